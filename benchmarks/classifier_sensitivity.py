"""How much "classifier confidence of samples" depends on the classifier.

The foundation issue's acceptance check labels generated digits with a small
classifier trained on the same data and counts samples labelled with
confidence >= 0.9. This trains the classifier of `keras_gan.metrics`
(`build_domain_classifier`) for a growing number of epochs, then with the
early stopping `keras-gan evaluate` uses, and for each prints one JSON line:
its accuracy on 1,000 held-out images, the confident fraction of those real
images, of each run's samples, of uniform noise, and of real digits whose
bottom halves were swapped between images (controls that should score low).

Usage:
    python benchmarks/classifier_sensitivity.py runs/dcgan-mnist \
        --data-dir ../shared/data/mnist --epochs 4 8 12 16 24
"""

import argparse
import json

import keras
import numpy as np

from keras_gan import data
from keras_gan.cli import load_run
from keras_gan.metrics.classifier import build_domain_classifier, sample_confidence, train_domain_classifier


def confident(model, images):
    return sample_confidence(model.predict(images, batch_size=512, verbose=0)[0])["confident_fraction"]


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

    # The held-out and training split of `train_domain_classifier` (seed 0).
    order = np.random.default_rng(0).permutation(len(x))
    n_val = int(0.1 * len(x))
    val, train = order[:n_val], order[2 * n_val :]

    def report(rule, model):
        probs = model.predict(x[val], batch_size=512, verbose=0)[0]
        row = {"classifier": rule, "val_accuracy": float(np.mean(np.argmax(probs, 1) == y[val])),
               "real_heldout": sample_confidence(probs)["confident_fraction"]}
        row.update({name: confident(model, batch) for name, batch in images.items()})
        print(json.dumps(row), flush=True)

    keras.utils.set_random_seed(0)
    model = build_domain_classifier(x.shape[1:], int(np.max(y)) + 1)
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss=["sparse_categorical_crossentropy", None], metrics=[["accuracy"], []])
    done = 0
    for epochs in sorted(args.epochs):
        model.fit(x[train], y[train], epochs=epochs - done, batch_size=128, verbose=0)
        done = epochs
        report(f"{epochs} epochs", model)
    model, _ = train_domain_classifier(x, y)
    report("early stopping", model)


if __name__ == "__main__":
    main()
