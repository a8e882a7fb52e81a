r"""How much "classifier confidence of samples" depends on the classifier.

The foundation issue's acceptance check labels generated digits with a small
classifier trained on the same data and counts samples labelled with
confidence >= 0.9. This trains the classifier of `keras_gan.metrics`
(`train_domain_classifier`) for each number of epochs, then with the early
stopping `keras-gan evaluate` uses, and for each prints one JSON line: its
accuracy and mean negative log-likelihood on the held-out tenth of the data,
the confident fraction of those real images, of each run's samples, of
uniform noise, and of real digits whose bottom halves were swapped between
images (controls that should score low).

Usage:
    python -m benchmarks.experiments.classifier_sensitivity runs/dcgan-mnist \
        --data-dir ../shared/data/mnist --epochs 4 8 12 16 24
"""

import argparse
import json

import numpy as np

from keras_gan import data
from keras_gan.metrics.classifier import (
    classifier_splits,
    sample_confidence,
    train_domain_classifier,
)
from keras_gan.runs import load_run


def confident(model, images):
    return sample_confidence(model.predict(images, batch_size=512, verbose=0)[0])[
        "confident_fraction"
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("run_dirs", nargs="+")
    parser.add_argument("--data", default="mnist")
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--epochs", type=int, nargs="*", default=[4, 8, 12, 16, 24])
    parser.add_argument("--n", type=int, default=5000, help="samples per run")
    parser.add_argument("--seed", type=int, default=1, help="sample seed")
    args = parser.parse_args(argv)

    x, y = data.load_arrays(args.data, data_dir=args.data_dir)
    rng = np.random.default_rng(5)
    images = {run: load_run(run).generate(args.n, seed=args.seed) for run in args.run_dirs}
    images["uniform_noise"] = rng.uniform(-1, 1, (2000, *x.shape[1:])).astype(np.float32)
    swapped = x[:2000].copy()
    half = x.shape[1] // 2
    swapped[:, half:] = swapped[rng.permutation(2000), half:]
    images["half_swapped_real"] = swapped

    val, _, _ = classifier_splits(len(x))  # the held-out split of `train_domain_classifier`
    for epochs in [*sorted(args.epochs), None]:
        model, _ = train_domain_classifier(x, y, epochs=epochs)
        probs = model.predict(x[val], batch_size=512, verbose=0)[0]
        row = {
            "classifier": "early stopping" if epochs is None else f"{epochs} epochs",
            "val_accuracy": float(np.mean(np.argmax(probs, 1) == y[val])),
            "val_nll": float(-np.mean(np.log(probs[np.arange(len(val)), y[val]] + 1e-12))),
            "real_heldout": sample_confidence(probs)["confident_fraction"],
        }
        row.update({name: confident(model, batch) for name, batch in images.items()})
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
