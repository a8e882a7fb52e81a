"""Classifier confidence of generated digits (foundation issue's acceptance check).

Trains a small CNN on the run's data (the 10,000 MNIST test images by default;
early-stopped, as `keras-gan evaluate` does), then labels N generated samples:
the fraction classified with probability >= 0.9, and which digits appear, with
the same fraction for real images and for uniform noise (a control). For a
conditional run it also reports the accuracy of the samples against the labels
they were generated for.

Usage: python -m benchmarks.experiments.classifier_confidence RUN_DIR [--n 1000] [--data-dir DIR]
"""

import argparse
import json

import numpy as np

from keras_gan import data
from keras_gan.metrics.classifier import (
    noise_confident_fraction,
    sample_confidence,
    train_domain_classifier,
)
from keras_gan.runs import load_run, read_run_config

parser = argparse.ArgumentParser()
parser.add_argument("run_dir")
parser.add_argument("--n", type=int, default=1000)
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--data-dir", default=None)
args = parser.parse_args()

config = read_run_config(args.run_dir)
x, y = data.load_arrays(config["data"], data_dir=args.data_dir or config.get("data_dir"))
classifier, val_acc = train_domain_classifier(x, y)
model = load_run(args.run_dir)
labels = np.arange(args.n) % model.num_classes if model.conditional else None
samples = model.generate(args.n, seed=args.seed, labels=labels)
probs = classifier.predict(samples, batch_size=512, verbose=0)[0]
result = {
    "run": args.run_dir,
    "classifier_val_accuracy": val_acc,
    "classifier_noise_confident_fraction": noise_confident_fraction(classifier, x.shape[1:]),
    **sample_confidence(probs),
}
real_probs = classifier.predict(x[: args.n], batch_size=512, verbose=0)[0]
result["real_confident_fraction"] = sample_confidence(real_probs)["confident_fraction"]
if labels is not None:
    result["conditional_accuracy"] = float(np.mean(np.argmax(probs, axis=1) == labels))
print(json.dumps(result))
