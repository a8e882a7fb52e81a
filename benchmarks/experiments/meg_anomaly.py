"""MEG anomaly detection on MNIST: one digit held out, scored by the energy; AUPRC and ROC AUC.

Protocol (Zenati et al. 2018, as in Kumar et al. 2019 §5.3, on our data):
the 10,000-image MNIST test set; the images of the held-out digit are the
anomalies (positives). A fixed 80% of the other digits trains the model
(`data.anomaly_split`, source `mnist_anomaly:D`); the test set is the other
20% of them plus every image of the held-out digit. Score = energy E(x)
(higher = more anomalous). AUPRC with Davis-Goadrich interpolation
(`keras_gan.metrics.auc_pr`), ROC AUC (`roc_auc`). The paper's MEG AUPRC
(full MNIST): 0.281 (1), 0.401 (4), 0.402 (5), 0.290 (7), 0.342 (9).

    nice -n 10 python -m benchmarks.experiments.meg_anomaly --digits 1 4 5 7 9 --steps 1000 --out
    runs/meg/anomaly
"""

import argparse
import json
import os
import time

import keras

import keras_gan  # noqa: F401
from keras_gan import data, zoo
from keras_gan.metrics.evaluate import anomaly_detection

PAPER_AUPRC = {1: 0.281, 4: 0.401, 5: 0.402, 7: 0.290, 9: 0.342}


def run_digit(digit, args):
    keras.utils.set_random_seed(args.seed)
    overrides = {"seed": args.seed}
    if args.width:
        overrides["width"] = args.width
    model = zoo.build("meg-mnist-anomaly", **overrides)
    source = f"mnist_anomaly:{digit}"
    ds = data.load(
        source,
        args.batch_size,
        n_critic=model.n_critic,
        data_dir=args.data_dir,
        seed=args.seed,
        repeat=True,
    )
    start = time.time()
    per_epoch = min(250, args.steps)
    history = model.fit(
        ds, epochs=args.steps // per_epoch, steps_per_epoch=per_epoch, verbose=2
    ).history
    seconds = time.time() - start
    train_x, _ = data.load_arrays(source, data_dir=args.data_dir, split="train")
    # score = the energy (`anomaly_scores`)
    scores = anomaly_detection(model, source, data_dir=args.data_dir)
    scores.pop("curves")
    result = {
        "digit": digit,
        "steps": int(model.g_optimizer.iterations),
        "train_seconds": seconds,
        "train_examples": int(len(train_x)),
        **scores,
        "test_anomalies": int(round(scores["auprc_chance"] * scores["test_examples"])),
        "paper_meg_auprc": PAPER_AUPRC.get(digit),
        "final": {k: float(v[-1]) for k, v in history.items()},
    }
    model.save(os.path.join(args.out, f"digit{digit}.keras"))
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--digits", type=int, nargs="+", default=[1, 4, 5, 7, 9])
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--width", type=int, default=None)
    parser.add_argument(
        "--data-dir",
        default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "mnist"),
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "metrics.json")
    results = json.load(open(path)) if os.path.exists(path) else {}
    for digit in args.digits:
        results[str(digit)] = run_digit(digit, args)
        with open(path, "w") as f:
            json.dump(results, f, indent=2)
        r = results[str(digit)]
        print(
            f"digit {digit}: AUPRC {r['auprc']:.3f} (chance {r['auprc_chance']:.3f}, paper "
            f"{r['paper_meg_auprc']}), ROC AUC {r['roc_auc']:.3f}, {r['steps']} steps in "
            f"{r['train_seconds']:.0f} s",
            flush=True,
        )


if __name__ == "__main__":
    main()
