r"""Sample quality of a run's served (EMA) networks beside the trained (online) ones.

Scores the model as `keras-gan evaluate` does (same data, samples and
classifier), once as saved (the EMA networks are served) and once with every
EMA copy replaced by the network it averages (`AdversarialModel.ema_networks`),
and writes both results to OUT as JSON.

Usage:
    python -m benchmarks.experiments.ema_vs_online runs/stylegan-mnist --data-dir \
        ../shared/data/mnist --out ema_vs_online.json
"""

import argparse

from keras_gan.files import write_json
from keras_gan.metrics import evaluate_model
from keras_gan.runs import load_run, read_run_config

SHOWN = ("fid", "kid", "precision", "recall", "confident_fraction", "classes_present")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("run_dir")
    parser.add_argument("--data-dir")
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    model = load_run(args.run_dir)
    pairs = model.ema_networks()
    if not pairs:
        raise SystemExit(
            f"{args.run_dir}: the model keeps no EMA of its networks; nothing to compare."
        )
    data = read_run_config(args.run_dir)["data"]
    results = {"run": args.run_dir, "step": model.step}
    for key in ("ema", "online"):
        if key == "online":
            for ema, network in pairs:
                ema.set_weights(network.get_weights())
        result = evaluate_model(model, data, data_dir=args.data_dir, seed=args.seed)
        results[key] = result["generated"]
        results["real"] = result["real"]
        print(
            f"{key:>7} step {model.step}: "
            + "  ".join(
                f"{name} {result['generated'][name]:.4g}"
                for name in SHOWN
                if name in result["generated"]
            )
        )
    write_json(args.out, results)
    print(f"Wrote {args.out}")


if __name__ == "__main__":
    main()
