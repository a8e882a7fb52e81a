r"""Mode coverage of a 2-D mixture or Stacked MNIST preset as training goes on (for choosing a
preset's schedule).

Trains preset `NAME` (with optional `zoo.build` overrides, as JSON) on its
dataset, and every `--every` steps prints one JSON line: the step, the
training's process CPU-seconds and wall seconds so far, PacGAN's mode
metrics (and on the 2-D mixtures the Parzen NLL) of `keras-gan evaluate`,
and the last training logs (the Wasserstein estimate for the WGAN family).
On Stacked MNIST (`--data-dir`: the MNIST files) each evaluation scores
26,000 samples, as PacGAN's Table 3, with one MNIST classifier trained once.

With `--figure PATH`, also writes a PNG of one scatter plot per evaluation
(2,500 samples over 500 real points, the same axes throughout; the rows of
Metz et al.'s Figure 1).

Usage:
    python -m benchmarks.experiments.mode_curve wgan-gp-grid25 --steps 8000 --every 2000 \
        --overrides '{"gp_weight": 0.1}'
    python -m benchmarks.experiments.mode_curve gan-stacked-mnist-metz --steps 10000 \
        --every 2000 --data-dir ../shared/data/mnist
"""

import argparse
import json
import time

import keras
import numpy as np

from keras_gan import data, images, zoo
from keras_gan.metrics import evaluate_model
from keras_gan.metrics.features import DomainClassifier

STACKED = "stacked_mnist"


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
    parser.add_argument(
        "--data-dir", default=None, help="folder of the MNIST files (Stacked MNIST)"
    )
    parser.add_argument("--n", type=int, default=26000, help="samples per Stacked MNIST score")
    args = parser.parse_args(argv)
    spec = zoo.spec(args.name)
    if spec.dataset not in (*data.MIXTURES, STACKED):
        parser.error(
            f"{args.name} trains on {spec.dataset}; this benchmark is for "
            f"{', '.join(data.MIXTURES)} and {STACKED}"
        )
    if spec.dataset == STACKED and args.figure:
        parser.error("--figure draws 2-D scatter plots; Stacked MNIST has none.")
    keras.utils.set_random_seed(args.seed)
    model = zoo.build(args.name, steps=args.steps, seed=args.seed, **json.loads(args.overrides))
    dataset = data.load(
        spec.dataset,
        args.batch_size or spec.batch_size,
        n_critic=model.n_critic,
        data_dir=args.data_dir,
        seed=args.seed,
        repeat=True,
    )
    if spec.dataset == STACKED:
        x, y = data.load_arrays("mnist", data_dir=args.data_dir)
        classifier = DomainClassifier(x, y, key="mnist")

        def evaluate():
            return evaluate_model(
                model,
                STACKED,
                data_dir=args.data_dir,
                n=args.n,
                seed=args.seed + 1,
                classifier=classifier,
            )

    else:
        real, _ = data.mixture(spec.dataset).sample(500, seed=args.seed)

        def evaluate():
            return evaluate_model(model, spec.dataset)

    start, cpu, panels = time.time(), 0.0, []
    for _ in range(args.steps // args.every):
        begin = time.process_time()
        history = model.fit(dataset, epochs=1, steps_per_epoch=args.every, verbose=0).history
        cpu += time.process_time() - begin
        metrics = evaluate()["generated"]
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
