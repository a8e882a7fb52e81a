r"""CycleGAN on a built-in pair against its ground truth, beside the identity and a supervised
bound.

For a run of `keras-gan train cyclegan-digits` (or `cyclegan-mnist`, or either
with `--data` another built-in pair, e.g. `digits_tone_pair`), scores
both translators on the pair's held-out images (`keras_gan.metrics.translation`:
mean |G(x) - T(x)| and |F(T(x)) - x|), trains the same generator architecture
with an L1 loss on *true* pairs (x, T(x)) of the training images for the same
number of steps and batch size (the supervised bound), and writes:

    RUN_DIR/pair_benchmark.json   L1 rows (identity, a naive translator, CycleGAN, the bound) and
                                  the fraction of translations that keep the digit
    RUN_DIR/samples/pair_grid.png held-out rows a | G(a) | T(a) || b | F(b) | T⁻¹(b)

Usage:
    python -m benchmarks.experiments.cyclegan_pairs runs/cyclegan-digits
    python -m benchmarks.experiments.cyclegan_pairs runs/cyclegan-mnist --data-dir \
        ../shared/data/mnist
    keras-gan train cyclegan-digits --data digits_tone_pair --out runs/cyclegan-digits-tone
    python -m benchmarks.experiments.cyclegan_pairs runs/cyclegan-digits-tone
"""

import argparse
import json
import os
import time

import keras
import numpy as np
import tensorflow as tf

from keras_gan import data, images, zoo
from keras_gan.metrics.translation import pair_translation_errors
from keras_gan.runs import load_run, read_run_config
from keras_gan.zoo.cyclegan.networks import resnet_generator


def supervised_bound(preset, pair, data_dir, steps, batch_size, seed=0):
    """Two generators of the preset's architecture trained with L1 on true pairs; returns (G, F,
    seconds)."""
    arch = zoo.spec(preset).arch
    train_a, _, _ = data.pair_split(pair, data_dir)  # domain A's training images and their truth
    train_b = data.pair_transform(train_a, pair).copy()
    keras.utils.set_random_seed(seed)
    nets = [
        resnet_generator(
            arch["image_shape"], None, arch["width"], arch["downsamplings"], arch["blocks"]
        )
        for _ in range(2)
    ]
    optimizers = [keras.optimizers.Adam(2e-4, beta_1=0.5) for _ in nets]

    @tf.function
    def step(a, b):
        for net, opt, (x, y) in zip(nets, optimizers, ((a, b), (b, a))):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.abs(net(x, training=True) - y))
            opt.apply_gradients(
                zip(tape.gradient(loss, net.trainable_variables), net.trainable_variables)
            )

    ds = (
        tf.data.Dataset.from_tensor_slices((train_a, train_b))
        .shuffle(len(train_a), seed=seed)
        .repeat()
        .batch(batch_size, drop_remainder=True)
        .take(steps)
    )
    start = time.process_time()
    for a, b in ds:
        step(a, b)
    return _batched(nets[0]), _batched(nets[1]), time.process_time() - start


def _batched(net, batch_size=256):
    """NumPy images -> `net`'s outputs, `batch_size` images at a time."""
    return lambda x: np.concatenate(
        [net(x[i : i + batch_size], training=False).numpy() for i in range(0, len(x), batch_size)]
    )


def digits_kept(translators, pair, data_dir):
    """Fraction of held-out images whose translation keeps the digit, per translator.

    A domain classifier of the pair's data set (`keras-gan evaluate`'s, trained
    on the whole data set, held-out images included) labels T⁻¹(G(x)) and
    F(T(x)); each is compared with x's true label. A translator
    that has the other domain's style but another digit's shape scores low
    even where its pixel error looks small.

    Args:
        translators: `{name: (G, F)}`, NumPy images in and out.

    Returns:
        `{name: {"a_to_b": ..., "b_to_a": ...}}` and `"held-out images"`: the
        classifier's accuracy on the untranslated images.
    """
    from keras_gan.metrics.features import DomainClassifier

    dataset = data.PAIRS[pair].dataset
    classifier = DomainClassifier(*data.load_arrays(dataset, data_dir=data_dir), key=dataset)
    held_a, held_b = data.unpaired_arrays(pair, data_dir=data_dir, split="test")
    labels = data.pair_held_out_labels(pair, data_dir)

    def accuracy(images):
        return float(np.mean(np.argmax(classifier(images)[1], axis=-1) == labels))

    result = {"held-out images": accuracy(held_a)}
    for name, (g, f) in translators.items():
        result[name] = {
            "a_to_b": accuracy(data.pair_inverse(g(held_a), pair)),
            "b_to_a": accuracy(f(held_b)),
        }
    return result


def pair_grid(model, pair, data_dir, rows=12, scale=4):
    """uint8 picture: held-out rows a | G(a) | T(a) || b | F(b) | T⁻¹(b), scaled up `scale`
    times."""
    held_a, held_b = data.unpaired_arrays(pair, data_dir=data_dir, split="test")
    a, b = held_a[:rows], held_b[rows : 2 * rows]  # B's row shows other digits than A's
    columns = [
        a,
        model.translate(a, "a2b"),
        data.pair_transform(a, pair),
        b,
        model.translate(b, "b2a"),
        data.pair_inverse(b, pair),
    ]
    grid = images.image_grid(np.stack(columns, axis=1).reshape(rows * 6, *a.shape[1:]), columns=6)
    return np.repeat(np.repeat(grid, scale, axis=0), scale, axis=1)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("run_dir")
    parser.add_argument("--data-dir", help="default: the run's")
    parser.add_argument("--supervised-steps", type=int, help="default: the steps the run trained")
    parser.add_argument(
        "--no-bound", action="store_true", help="skip the supervised bound (its rows are left out)"
    )
    args = parser.parse_args(argv)
    config = read_run_config(args.run_dir)
    pair, preset = config.get("data"), config.get("model")
    if pair not in data.PAIRS:
        parser.error(
            f"{args.run_dir} trained on {pair!r}; this benchmark needs one of "
            f"{', '.join(data.PAIRS)}"
        )
    data_dir = args.data_dir or config.get("data_dir")
    model = load_run(args.run_dir)
    steps = None if args.no_bound else args.supervised_steps or model.step
    naive = data.PAIRS[pair].naive  # gets part of T right (e.g. -x: inverted, not rotated)
    translators = {
        data.PAIRS[pair].naive_name: (naive, naive),
        "cyclegan (unpaired)": (
            lambda x: model.translate(x, "a2b"),
            lambda x: model.translate(x, "b2a"),
        ),
    }
    seconds = None
    if steps:
        *bound, seconds = supervised_bound(preset, pair, data_dir, steps, config["batch_size"])
        translators["supervised L1 on true pairs (bound)"] = tuple(bound)
    errors = {name: pair_translation_errors(*t, pair, data_dir) for name, t in translators.items()}
    identity = next(iter(errors.values()))["identity_l1"]
    result = {
        "run": args.run_dir,
        "preset": preset,
        "pair": pair,
        "cyclegan_steps": model.step,
        "supervised_steps": steps,
        "supervised_cpu_seconds": seconds,
        "held_out_images": next(iter(errors.values()))["n"],
        "rows": {
            "identity (no translation)": {"l1_a_to_b": identity, "l1_b_to_a": identity},
            **{
                name: {
                    k: e[k]
                    for k in ("l1_a_to_b", "l1_b_to_a", "a_to_b_vs_identity", "b_to_a_vs_identity")
                }
                for name, e in errors.items()
            },
        },
        "digit_kept": digits_kept(translators, pair, data_dir),
    }
    with open(os.path.join(args.run_dir, "pair_benchmark.json"), "w") as fh:
        json.dump(result, fh, indent=2)
    grid = images.write_png(
        os.path.join(args.run_dir, "samples", "pair_grid.png"), pair_grid(model, pair, data_dir)
    )
    print(
        f"{preset} at step {model.step} on {result['held_out_images']} held-out images of {pair} "
        "(L1 in [-1, 1] units):"
    )
    print(f"{'':<38}{'A->B':>8}{'B->A':>8}{'A->B/id':>9}{'B->A/id':>9}")
    for name, row in result["rows"].items():
        ratios = (
            f"{row['a_to_b_vs_identity']:>9.3f}{row['b_to_a_vs_identity']:>9.3f}"
            if "a_to_b_vs_identity" in row
            else ""
        )
        print(f"{name:<38}{row['l1_a_to_b']:>8.4f}{row['l1_b_to_a']:>8.4f}{ratios}")
    kept = result["digit_kept"]
    print(
        f"Digit kept (a {data.PAIRS[pair].dataset} classifier on T⁻¹(G(x)) and F(T(x)) against x's "
        f"label; on the held-out images themselves {kept['held-out images']:.3f}):"
    )
    for name, row in kept.items():
        if name != "held-out images":
            print(f"{name:<38}{row['a_to_b']:>8.3f}{row['b_to_a']:>8.3f}")
    print(f"Wrote {os.path.join(args.run_dir, 'pair_benchmark.json')} and {grid}")


if __name__ == "__main__":
    main()
