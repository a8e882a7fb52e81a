r"""Mode coverage of a 2-D mixture preset as training goes on (for choosing a preset's schedule).

Trains preset `NAME` (with optional `zoo.build` overrides, as JSON) on its
dataset, and every `--every` steps prints one JSON line: the step, the
training's process CPU-seconds and wall seconds so far, PacGAN's mode
metrics and the Parzen NLL of `keras-gan evaluate`, and the last training
logs (the Wasserstein estimate for the WGAN family).

With `--figure PATH`, also writes a PNG of one scatter plot per evaluation
(2,500 samples over 500 real points, the same axes throughout; the rows of
Metz et al.'s Figure 1).

Usage:
    python -m benchmarks.experiments.mode_curve wgan-gp-grid25 --steps 8000 --every 2000 \
        --overrides '{"gp_weight": 0.1}'
"""

import argparse
import json
import time

import keras
import numpy as np

from keras_gan import data, images, zoo
from keras_gan.metrics import evaluate_model


def scatter_row(panels, real, path):
    """`panels` (`[(step, samples)]`) as one row of scatter plots over the `real` points, on axes
    that hold the real points with a margin."""
    extent = float(np.abs(real).max()) * 1.5
    row = np.concatenate(
        [
            images.scatter(samples, real, size=240, limits=(-extent, extent), title=f"step {step}")
            for step, samples in panels
        ],
        axis=1,
    )
    images.write_png(path, row)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("name")
    parser.add_argument("--steps", type=int, required=True)
    parser.add_argument("--every", type=int, default=1000)
    parser.add_argument("--overrides", default="{}", help="JSON dict of zoo.build overrides")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch-size", type=int, default=None, help="default: the preset's")
    parser.add_argument("--figure", default=None, help="PNG of the samples at each evaluation")
    args = parser.parse_args(argv)
    keras.utils.set_random_seed(args.seed)
    model = zoo.build(args.name, steps=args.steps, seed=args.seed, **json.loads(args.overrides))
    spec = zoo.spec(args.name)
    if spec.dataset not in data.MIXTURES:
        parser.error(
            f"{args.name} trains on {spec.dataset}; this benchmark is for "
            f"{', '.join(data.MIXTURES)}"
        )
    dataset = data.load(
        spec.dataset,
        args.batch_size or spec.batch_size,
        n_critic=model.n_critic,
        seed=args.seed,
        repeat=True,
    )
    start, cpu, panels = time.time(), 0.0, []
    real, _ = data.mixture(spec.dataset).sample(500, seed=args.seed)
    for _ in range(args.steps // args.every):
        begin = time.process_time()
        history = model.fit(dataset, epochs=1, steps_per_epoch=args.every, verbose=0).history
        cpu += time.process_time() - begin
        metrics = evaluate_model(model, spec.dataset)["generated"]
        row = {
            "step": model.step,
            "cpu_seconds": round(cpu, 1),
            "seconds": round(time.time() - start, 1),
            **{k: round(v, 4) for k, v in metrics.items()},
            **{k: round(float(v[-1]), 4) for k, v in history.items()},
        }
        print(json.dumps(row), flush=True)
        if args.figure:
            panels.append((model.step, model.generate(2500, seed=args.seed)))
            scatter_row(panels, real, args.figure)


if __name__ == "__main__":
    main()
