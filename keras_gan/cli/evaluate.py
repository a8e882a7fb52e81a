"""`keras-gan evaluate RUN_DIR`: sample-quality metrics into RUN_DIR/metrics.json, TensorBoard
and pictures (PR/ROC curves of anomaly scores, metrics by step)."""

import math
import os

from keras_gan.cli.common import (
    CLIError,
    FeatureProgress,
    add_command,
    add_features_options,
    add_run_dir,
    add_sampling_options,
    check_at_most,
    check_positive,
    standing_statistics,
)

MAX_SAMPLES = 100_000  # generated samples and their features are held in memory at once

# The metrics drawn by step, those present first; the others are in metrics_history.jsonl.
BY_STEP = (
    "fid",
    "kid",
    "inception_score",
    "confident_fraction",
    "modes",
    "high_quality_fraction",
    "reverse_kl",
    "l1_a_to_b",
    "l1_b_to_a",
    "wasserstein_1",
)


def add_parser(subparsers, parents):
    p = add_command(
        subparsers,
        "evaluate",
        parents,
        "sample-quality metrics of a run -> RUN_DIR/metrics.json",
        ["keras-gan evaluate runs/dcgan-mnist --n 5000"],
    )
    add_run_dir(p)
    p.add_argument(
        "--n",
        type=int,
        help="samples (default: 50,000 with Inception features, 10,000 where the real set is "
        "smaller; 2,000 with the classifier; 2,500 for 2-D mixtures)",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=0,
        help="seeds the samples and the real split (default: %(default)s)",
    )
    p.add_argument("--data-dir", help="override the run's data folder")
    add_features_options(p)
    p.add_argument(
        "--reference-stats",
        metavar="FILE.npz",
        help="score against these statistics (TTUR's format: mu, sigma; e.g. `keras-gan stats` "
        "or a published file) instead of the run's data; KID and precision/recall are skipped",
    )
    add_sampling_options(p)


def run(args):
    import tensorflow as tf

    from keras_gan import runs
    from keras_gan.metrics import evaluate_model

    check_positive(args, "n")
    if args.n is not None and args.n < 2:
        raise CLIError(
            f"--n must be at least 2 (FID and KID need two samples or more). Received: {args.n}"
        )
    check_at_most(args, "n", MAX_SAMPLES, "papers use 50,000; more does not fit in memory here")
    run_dir = runs.RunDir(args.run_dir)
    model = run_dir.load_model()
    config = run_dir.config()
    if not config.get("data"):
        raise CLIError(
            f"{args.run_dir} has no config.json naming its data; it was not made by `keras-gan "
            "train`."
        )
    standing = standing_statistics(model, args, config)
    try:
        result = evaluate_model(
            model,
            config["data"],
            data_dir=args.data_dir or config.get("data_dir"),
            n=args.n,
            seed=args.seed,
            truncation=args.truncation,
            features=args.features,
            features_file=args.features_file,
            reference_stats=args.reference_stats,
            source_b=config.get("data_b"),
            image_size=runs.image_size(model),
            progress=FeatureProgress(),
        )
    except ValueError as e:
        if args.truncation is None or "truncation" not in str(e):
            raise
        raise CLIError(str(e)) from e
    result.update(
        step=model.step,
        truncation=args.truncation,
        standing_statistics=standing,
        model=config.get("model"),
    )
    curves = result.get("anomaly", {}).pop("curves", None)
    runs.write_json_atomic(run_dir.metrics_path, result)
    pictures = evaluation_pictures(run_dir, result, curves)
    print(f"{config.get('model')} at step {result['step']}: {result['protocol']}")
    for name in result.get("skipped", []):
        print(f"{name}: skipped (needs the real images' features, not statistics)")
    real = "real" in result
    print(f"{'metric':<24}{'generated':>14}" + (f"{'real':>14}" if real else ""))
    for name, value in result["generated"].items():
        row = f"{name:<24}{value:>14.4f}"
        if real:
            row += f"{result['real'].get(name, float('nan')):>14.4f}"
        print(row)
    writer = tf.summary.create_file_writer(os.path.join(run_dir.log_dir, "eval"))
    scored = {k: result[k] for k in ("generated", "real") if k in result}
    with writer.as_default():
        for key, value in _flatten("", scored, {}).items():
            tf.summary.scalar(key, value, step=result["step"])
    writer.flush()
    print(f"Wrote {run_dir.metrics_path}" + "".join(f", {p}" for p in pictures))
    return 0


def _flatten(prefix, value, out):
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}/{k}" if prefix else k, v, out)
    elif isinstance(value, (int, float)):
        out[prefix] = value
    return out


def _finite(value):
    return isinstance(value, (int, float)) and math.isfinite(value)


def evaluation_pictures(run_dir, result, curves):
    """Appends this evaluation to the run's history and draws what a plot shows better than a
    table: PR and ROC curves of anomaly scores (pr_curve.png, roc_curve.png), and, once the run
    has been evaluated at two steps or more, its metrics by step (metrics_by_step.png).

    Returns:
        The paths written.
    """
    import numpy as np

    from keras_gan import images

    written = []
    if curves:
        anomaly, step = result["anomaly"], result["step"]
        recall, precision = curves["pr"]
        chance = [anomaly["auprc_chance"]] * 2
        written.append(
            images.write_png(
                os.path.join(run_dir.path, "pr_curve.png"),
                images.line_plot(
                    [("model", recall, precision), ("chance", [0, 1], chance)],
                    title=f"precision-recall, step {step}: AUPRC {anomaly['auprc']:.3f}",
                    xlabel="recall",
                    ylabel="precision",
                    xlim=(0, 1),
                    ylim=(0, 1),
                ),
            )
        )
        fpr, tpr = curves["roc"]
        written.append(
            images.write_png(
                os.path.join(run_dir.path, "roc_curve.png"),
                images.line_plot(
                    [("model", fpr, tpr), ("chance", [0, 1], [0, 1])],
                    title=f"ROC, step {step}: AUC {anomaly['roc_auc']:.3f}",
                    xlabel="false positive rate",
                    ylabel="true positive rate",
                    xlim=(0, 1),
                    ylim=(0, 1),
                ),
            )
        )
    generated = {
        k: v for k, v in result.get("generated", {}).items() if isinstance(v, (int, float))
    }
    run_dir.append_history(
        {"step": result["step"], "truncation": result["truncation"], "generated": generated}
    )
    latest = {}  # step -> the last evaluation at that step with the prior's latents
    for row in run_dir.history():
        if row.get("truncation") is None:
            latest[row["step"]] = row["generated"]
    steps = sorted(latest)
    keys = [k for k in BY_STEP if all(_finite(latest[s].get(k)) for s in steps)][:4]
    if len(steps) >= 2 and keys:
        panels = [
            images.line_plot(
                [(key, steps, [latest[s][key] for s in steps])],
                title=key,
                xlabel="step",
                size=(480, 200),
            )
            for key in keys
        ]
        width = max(p.shape[1] for p in panels)
        panels = [
            np.pad(p, [(0, 0), (0, width - p.shape[1]), (0, 0)], constant_values=255)
            for p in panels
        ]
        path = os.path.join(run_dir.path, "metrics_by_step.png")
        written.append(images.write_png(path, np.concatenate(panels)))
    return written
