r"""What InfoGAN's codes and BiGAN's encoder learned, scored as their papers score them.

InfoGAN (Chen et al. 2016, §7.1: "the categorical code c1 ... 5% error"): for
each value of the categorical code, `--n` samples with random noise and
continuous codes are labelled by the domain classifier of `keras-gan evaluate`;
the code's agreement with digit class is the accuracy of the best one-to-one
matching of code values to classes (Hungarian algorithm on the confusion matrix).

BiGAN (Donahue et al. 2017, Table 1's protocol on MNIST): a logistic-regression
probe on E(x), trained on 8,000 images of the data and tested on 2,000 others;
beside it the same probe on the raw pixels and on an untrained encoder of the
same architecture (re-initialised with `keras.models.clone_model`).

Usage:
    python -m benchmarks.experiments.family_eval infogan runs/infogan-mnist [--data-dir \
        ../shared/data/mnist]
    python -m benchmarks.experiments.family_eval bigan runs/bigan-mnist [--data-dir \
        ../shared/data/mnist]
Writes RUN_DIR/family_eval.json and prints it; `--step N` scores the run's checkpoint of step N
instead (RUN_DIR/family_eval-N.json).
"""

import argparse
import json
import os

import keras
import numpy as np
from scipy.optimize import linear_sum_assignment

from keras_gan import data
from keras_gan.checkpoints import Checkpoints
from keras_gan.metrics.features import DomainClassifier
from keras_gan.runs import RunDir, load_run, read_run_config


def infogan_code_agreement(model, classifier, num_classes, n, seed):
    if len(model.categorical_codes) != 1:
        raise ValueError(
            f"This protocol scores one categorical code. Received: {model.categorical_codes}"
        )
    k = model.categorical_codes[0]
    confusion = np.zeros((k, num_classes), np.int64)
    for value in range(k):
        samples = model.generate(
            n, seed=seed + value, codes={"categorical": np.full((n, 1), value)}
        )
        _, probs = classifier(samples)
        np.add.at(confusion[value], np.argmax(probs, axis=1), 1)
    rows, cols = linear_sum_assignment(-confusion)
    return {
        "agreement": float(confusion[rows, cols].sum() / confusion.sum()),
        "matching": {int(r): int(c) for r, c in zip(rows, cols)},
        "confusion": confusion.tolist(),
        "samples_per_code_value": n,
    }


def bigan_linear_probe(model, x, y, seed):
    from sklearn.linear_model import LogisticRegression

    order = np.random.default_rng(seed).permutation(len(x))
    train, test = order[:8000], order[8000:10000]
    features = model.encode(x[order[:10000]])
    train_f, test_f = features[:8000], features[8000:10000]
    probe = LogisticRegression(max_iter=2000).fit(train_f, y[train])
    result = {
        "linear_probe_accuracy": float(probe.score(test_f, y[test])),
        "train": len(train),
        "test": len(test),
        "feature_dim": int(features.shape[1]),
    }
    # Baselines under the same probe and split: the raw pixels, and an encoder of the same
    # architecture with its initial (untrained) weights.
    pixels = x[order[:10000]].reshape(10000, -1)
    raw = LogisticRegression(max_iter=2000).fit(pixels[:8000], y[train])
    result["pixels_probe_accuracy"] = float(raw.score(pixels[8000:], y[test]))
    untrained = keras.models.clone_model(model.encoder)
    random_f = np.asarray(untrained(x[order[:10000]], training=False))
    rand = LogisticRegression(max_iter=2000).fit(random_f[:8000], y[train])
    result["untrained_encoder_probe_accuracy"] = float(rand.score(random_f[8000:], y[test]))
    return result


def restore_step(model, run_dir, step):
    """Loads the run's checkpoint of `step` into `model` (for scores along the run)."""
    checkpoints = Checkpoints(RunDir(run_dir).checkpoint_dir)
    if step not in checkpoints.steps():
        raise ValueError(
            f"No checkpoint of step {step} in {checkpoints.directory}: pass one of the steps kept, "
            f"{checkpoints.steps()}."
        )
    model.load_weights(checkpoints.path(step))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("kind", choices=["infogan", "bigan"])
    parser.add_argument("run_dir")
    parser.add_argument("--data-dir")
    parser.add_argument("--n", type=int, default=500, help="InfoGAN: samples per code value")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--step", type=int, help="score this checkpoint of the run (written as family_eval-STEP)"
    )
    args = parser.parse_args()
    model = load_run(args.run_dir)
    name = "family_eval.json"
    if args.step is not None:
        restore_step(model, args.run_dir, args.step)
        name = f"family_eval-{args.step}.json"
    config = read_run_config(args.run_dir)
    x, y = data.load_arrays(
        config.get("data", "mnist"), data_dir=args.data_dir or config.get("data_dir")
    )
    if args.kind == "infogan":
        classifier = DomainClassifier(x, y, key=config.get("data", "mnist"))
        result = infogan_code_agreement(model, classifier, int(y.max()) + 1, args.n, args.seed)
    else:
        result = bigan_linear_probe(model, x, y, args.seed)
    result.update(step=model.step, run_dir=args.run_dir)
    with open(os.path.join(args.run_dir, name), "w") as f:
        json.dump(result, f, indent=1)
    print(json.dumps({k: v for k, v in result.items() if k != "confusion"}, indent=1))


if __name__ == "__main__":
    main()
