r"""How far the unrolled GAN's simulated discriminator steps move the discriminator.

`UnrolledGAN` simulates K plain gradient steps of size η (Metz et al. 2017,
equation (2), `unroll_optimizer="sgd"`) or K steps of the discriminator's own
Adam from its current moments (the authors' code, `"adam"`). This trains
preset `NAME` for `--warmup` steps, then, on one real batch and one generated
batch, reports the mean |Δ logit| of the discriminator on the generated batch
after:

    unrolled_eta    the model's `unrolled_discriminator` with plain steps of
                    η, for each η of `--rates`;
    unrolled_adam   the model's `unrolled_discriminator` with D's own Adam
                    (its moments after the warmup);
    adam            K real updates of a copy of the discriminator by a fresh
                    Adam with the preset's discriminator optimizer config (the
                    reach of K Adam steps from zeroed moments);

beside the mean |logit| itself. One JSON line per row.

Usage:
    python -m benchmarks.experiments.unroll_reach unrolled-ring8 --warmup 300 \
        --rates 2e-4 2e-3 2e-2 2e-1
"""

import argparse
import json

import keras
import numpy as np
import tensorflow as tf

from keras_gan import data, zoo
from keras_gan.models.latent import StepBatch


def adam_reach(model, optimizer_config, real, fake, steps):
    """Discriminator logits on `fake` after `steps` updates of a copy by a fresh optimizer of
    `optimizer_config` (zeroed moments)."""
    copy = keras.models.clone_model(model.discriminator)
    copy.set_weights(model.discriminator.get_weights())
    optimizer = keras.optimizers.get(optimizer_config)
    for _ in range(steps):
        with tf.GradientTape() as tape:
            batch = StepBatch(real, fake, copy(real), copy(fake), None, None, None, None)
            loss = model.discriminator_loss(batch)
        optimizer.apply_gradients(
            zip(tape.gradient(loss, copy.trainable_variables), copy.trainable_variables)
        )
    return copy(fake)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("name", help="an UnrolledGAN preset, e.g. unrolled-ring8")
    parser.add_argument("--warmup", type=int, default=300, help="training steps before measuring")
    parser.add_argument("--rates", type=float, nargs="+", default=[2e-4, 2e-3, 2e-2, 2e-1])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    keras.utils.set_random_seed(args.seed)
    spec = zoo.spec(args.name)
    model = zoo.build(args.name, seed=args.seed)
    dataset = data.load(spec.dataset, spec.batch_size, seed=args.seed, repeat=True)
    if args.warmup:
        model.fit(dataset, epochs=1, steps_per_epoch=args.warmup, verbose=0)
    real = next(iter(dataset))
    real = real[0] if isinstance(real, tuple) else real
    fake = model.generator(model.draw_latents(1, spec.batch_size)[0])
    before = model.discriminator(fake).numpy()
    print(json.dumps({"mean_abs_logit": float(np.abs(before).mean()), "warmup": args.warmup}))
    batch = StepBatch(real, fake, None, None, None, None, None, None)

    def unrolled_reach(unroll_optimizer, rate, row):
        model.unroll_optimizer, model.unroll_learning_rate = unroll_optimizer, rate
        trainable, frozen = model.unrolled_discriminator(batch)
        after, _ = model.discriminator.stateless_call(trainable, frozen, fake)
        row = {**row, "steps": model.unroll_steps}
        row["mean_abs_delta_logit"] = float(np.abs(after.numpy() - before).mean())
        print(json.dumps(row), flush=True)

    for rate in args.rates:
        unrolled_reach("sgd", rate, {"unrolled_eta": rate})
    if spec.d_optimizer["class_name"] == "Adam":
        unrolled_reach("adam", None, {"unrolled_adam": int(model.d_optimizer.iterations)})
    after = adam_reach(model, spec.d_optimizer, real, fake, model.unroll_steps).numpy()
    row = {"adam": spec.d_optimizer["config"], "steps": model.unroll_steps}
    row["mean_abs_delta_logit"] = float(np.abs(after - before).mean())
    print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
