"""Sample quality of the presets, scored as `keras-gan evaluate` scores them.

    python -m benchmarks.quality --quick [--data-dir ../shared/data/mnist] [--out
    benchmarks/results/quality]
    python -m benchmarks.quality --full  [--data-dir ../shared/data/mnist] [--out
    benchmarks/results/quality]

Run by hand, not in CI. Three sections, each a list of jobs below (plain data):

- mixtures: PacGAN's 2-D protocol (ring of 8, σ 0.01; grid of 25, σ 0.05;
  2,500 samples; modes, high-quality %, reverse KL) over seeds, mean ±
  standard error (`benchmarks/mixture_seeds.py`), beside PacGAN's Table 1;
- stacked_mnist: modes (of 1,000) and KL to uniform over 26,000 samples, as
  VEEGAN and PacGAN count them, each channel labelled by the MNIST classifier;
- time_to_quality: each MNIST preset trained once over its own schedule, cut
  at `max_steps`, and scored (classifier FID, KID, IS, precision, recall,
  confident fraction) at evenly spaced steps; the train clock (CPU-seconds and
  wall seconds) excludes the scoring. A preset serving an EMA generator with
  BatchNorm (dcgan-mnist, biggan-mnist) is scored after its standing
  statistics, as `keras-gan evaluate` does, and with the trained network's
  statistics beside (`trained_statistics`). Writes
  `time_to_quality.png` (FID against training CPU-seconds) and the table.

`--quick` (a smoke test of the suite and of the presets it names: 286 s wall
on 2 cores) runs short versions; `--full` runs every 2-D preset over 5 seeds,
DCGAN, WGAN-GP and MEG on Stacked MNIST for 3,000 steps, and every MNIST
preset over its schedule up to 6,000 steps: on this 2-core machine about 8
CPU-hours of training and scoring, some 4-5 hours of wall time (estimated from
each preset's images per CPU-second in BENCHMARKS.md and the ~1.9 CPU-seconds
per wall second a training uses here; it has not been run in one piece).
Every job's result is written to OUT as JSON when it finishes, and a job whose
JSON is already there is skipped (delete it to rerun), so an interrupted
`--full` resumes; `--presets` runs a subset (e.g. two processes on two
halves), `--report` runs nothing and writes the tables of what has finished.
"""

import argparse
import json
import os
import time

MIXTURES_2D = (
    "gan-ring8",
    "pacgan-ring8",
    "wgan-ring8",
    "wgan-gp-ring8",
    "gan-grid25",
    "pacgan-grid25",
    "wgan-gp-grid25",
    "meg-ring8",
    "meg-grid25",
)
MNIST_PRESETS = (
    "dcgan-mnist",
    "lsgan-mnist",
    "cgan-mnist",
    "sngan-mnist",
    "wgan-gp-mnist",
    "sagan-mnist",
    "biggan-mnist",
    "fgan-jensen_shannon-mnist",
    "fgan-kl-mnist",
    "fgan-reverse_kl-mnist",
    "infogan-mnist",
    "bigan-mnist",
    "ebgan-mnist",
    "stylegan-mnist",
)
PLANS = {
    "quick": {
        "mixtures": [{"preset": "gan-ring8", "seeds": [0, 1], "steps": 3000}],
        "stacked_mnist": [{"preset": "dcgan-mnist", "steps": 500, "seed": 0}],
        "time_to_quality": [
            {"preset": name, "max_steps": 900, "evaluations": 3, "seed": 0}
            for name in ("dcgan-mnist", "lsgan-mnist")
        ],
    },
    "full": {
        "mixtures": [
            {"preset": name, "seeds": [0, 1, 2, 3, 4], "steps": None} for name in MIXTURES_2D
        ],
        "stacked_mnist": [
            {"preset": name, "steps": 3000, "seed": 0}
            for name in ("dcgan-mnist", "wgan-gp-mnist", "meg-stacked-mnist")
        ],
        # Each preset over its own schedule, cut at 6,000 steps (dcgan-mnist's is 72,000).
        "time_to_quality": [
            {"preset": name, "max_steps": 6000, "evaluations": 6, "seed": 0}
            for name in MNIST_PRESETS
        ],
    },
}
SCORES = (
    "fid",
    "kid",
    "inception_score",
    "precision",
    "recall",
    "confident_fraction",
    "classes_present",
)


def mixtures(job, out, data_dir):
    from benchmarks import mixture_seeds

    argv = [job["preset"], "--seeds", *map(str, job["seeds"]), "--out", out]
    if job["steps"]:
        argv += ["--steps", str(job["steps"])]
    mixture_seeds.main(argv)
    with open(out) as f:
        return json.load(f)


def _seeded(preset, source, steps, seed, data_dir, **overrides):
    """`preset` built for `steps` from `seed` and its endless dataset of `source`, seeded alike."""
    import keras

    from keras_gan import data, zoo

    keras.utils.set_random_seed(seed)
    model = zoo.build(preset, steps=steps, seed=seed, **overrides)
    return model, data.load(
        source,
        zoo.spec(preset).batch_size,
        n_critic=model.n_critic,
        data_dir=data_dir,
        seed=seed,
        repeat=True,
    )


def _score(model, source, batch_size, **evaluate_args):
    """`evaluate_model` as `keras-gan evaluate` runs it: on an EMA generator with BatchNorm, after
    its
    standing statistics (`standing_statistics_where_needed`). Returns `(result, applied)`."""
    from keras_gan import standing
    from keras_gan.metrics import evaluate_model

    applied = standing.standing_statistics_where_needed(model, batch_size)
    return evaluate_model(model, source, **evaluate_args), applied


def stacked_mnist(job, out, data_dir):
    """`job["preset"]` on Stacked MNIST (its networks at 28x28x3 unless the preset trains on it
    already)."""
    from keras_gan import data, files, zoo
    from keras_gan.metrics.features import DomainClassifier

    overrides = (
        {} if zoo.spec(job["preset"]).dataset == "stacked_mnist" else {"image_shape": (28, 28, 3)}
    )
    model, dataset = _seeded(
        job["preset"], "stacked_mnist", job["steps"], job["seed"], data_dir, **overrides
    )
    cpu, wall = time.process_time(), time.perf_counter()
    model.fit(dataset, steps_per_epoch=job["steps"], epochs=1, verbose=0)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    x, y = data.load_arrays("mnist", data_dir=data_dir)
    scores, standing = _score(
        model,
        "stacked_mnist",
        zoo.spec(job["preset"]).batch_size,
        data_dir=data_dir,
        n=26000,
        seed=job["seed"] + 1,
        classifier=DomainClassifier(x, y, key="mnist"),
    )
    result = {
        **job,
        **scores["generated"],
        "standing_statistics": standing,
        "samples": 26000,
        "train_cpu_s": round(cpu, 1),
        "train_wall_s": round(wall, 1),
        "published": {"PacGAN": {"modes": 1000, "kl": 0.06}, "MEG": {"modes": 1000, "kl": 0.0313}},
    }
    files.write_json(out, result)
    print(
        json.dumps(
            {k: result[k] for k in ("preset", "steps", "modes", "reverse_kl", "train_cpu_s")}
        ),
        flush=True,
    )
    return result


def time_to_quality(job, out, data_dir, features=None):
    import keras

    from keras_gan import files, standing, zoo
    from keras_gan.metrics import evaluate_model

    spec = zoo.spec(job["preset"])
    steps = min(spec.steps, job["max_steps"])
    model, dataset = _seeded(job["preset"], spec.dataset, steps, job["seed"], data_dir)
    points = sorted(
        {round(steps * (i + 1) / job["evaluations"]) for i in range(job["evaluations"])}
    )
    rows, real = [], {}

    class Clock(keras.callbacks.Callback):
        """Scores the model at `points`; the train clock stops while it does."""

        def on_train_begin(self, logs=None):
            self.cpu, self.wall = time.process_time(), time.perf_counter()
            self.spent_cpu = self.spent_wall = 0.0

        def on_train_batch_end(self, batch, logs=None):
            step = model.step
            if step not in points:
                return
            cpu, wall = time.process_time(), time.perf_counter()
            row = {
                "step": step,
                "train_cpu_s": round(cpu - self.cpu - self.spent_cpu, 1),
                "train_wall_s": round(wall - self.wall - self.spent_wall, 1),
            }
            # the trained network's statistics too, for comparison
            if standing.needs_standing_statistics(model):
                trained = evaluate_model(
                    model, spec.dataset, data_dir=data_dir, seed=job["seed"], **features
                )["generated"]
                row["trained_statistics"] = {k: trained[k] for k in SCORES if k in trained}
            result, row["standing_statistics"] = _score(
                model,
                spec.dataset,
                spec.batch_size,
                data_dir=data_dir,
                seed=job["seed"],
                **features,
            )
            real.update(result.get("real", {}))
            rows.append(
                {**row, **{k: result["generated"][k] for k in SCORES if k in result["generated"]}}
            )
            print(json.dumps({"preset": job["preset"], **rows[-1]}), flush=True)
            self.spent_cpu += time.process_time() - cpu
            self.spent_wall += time.perf_counter() - wall

    features = features or {}
    model.fit(dataset, steps_per_epoch=steps, epochs=1, verbose=0, callbacks=[Clock()])
    result = {
        **job,
        "steps": steps,
        "dataset": spec.dataset,
        "batch_size": spec.batch_size,
        "rows": rows,
        "real": real,
        "features": features.get("features") or "default",
    }
    files.write_json(out, result)
    return result


SECTIONS = {
    "mixtures": mixtures,
    "stacked_mnist": stacked_mnist,
    "time_to_quality": time_to_quality,
}


def tables(results):
    """Markdown tables of the finished jobs."""
    from benchmarks.mixture_seeds import PUBLISHED, SOURCES

    lines = []
    if results["mixtures"]:
        lines += [
            "| preset | steps | seeds | modes | high quality % | reverse KL |",
            "|---|---|---|---|---|---|",
        ]
        for r in results["mixtures"]:
            s = r["summary"]
            lines.append(
                f"| {r['preset']} | {r['steps']} | {len(r['seeds'])} | "
                + " | ".join(
                    f"{s[k]['mean']:.{d}f} ± {s[k]['se']:.{d}f}"
                    for k, d in (("modes", 2), ("high_quality_percent", 1), ("reverse_kl", 4))
                )
                + " |"
            )
        for data_name, rows in PUBLISHED.items():
            for who, (modes, hq, kl) in rows.items():
                lines.append(
                    f"| {who} ({SOURCES[who]}, {data_name}) | | | {modes} | {hq} | "
                    f"{kl if kl else ''} |"
                )
        lines.append("")
    if results["stacked_mnist"]:
        lines += [
            "| preset on Stacked MNIST | steps | modes (of 1,000) | KL | train CPU-s |",
            "|---|---|---|---|---|",
        ]
        for r in results["stacked_mnist"]:
            lines.append(
                f"| {r['preset']} | {r['steps']} | {r['modes']} | {r['reverse_kl']:.3f} | "
                f"{r['train_cpu_s']} |"
            )
        lines += [
            "| PacGAN (published) | | 1000 | 0.06 | |",
            "| MEG (published) | | 1000 | 0.0313 | |",
            "",
        ]
    if results["time_to_quality"]:
        lines += time_to_quality_tables(results["time_to_quality"])
    return "\n".join(lines)


FID_TARGET = 30.0  # the summary's "time to FID <= 30" column


def time_to_quality_tables(runs):
    """A summary (each preset's last scores and its time to FID <= FID_TARGET, the held-out real
    data's scores once per dataset) and the table of every scored step."""

    def scores(p):
        return (
            f"{p['fid']:.2f} | {p['kid']:.2f} | {p['inception_score']:.2f} | {p['precision']:.3f} "
            f"| {p['recall']:.3f} | {p['confident_fraction']:.3f}"
        )

    lines = [
        "| preset | steps | train CPU-s | FID | KID×100 | IS | precision | recall | confident | "
        f"CPU-s to FID ≤ {FID_TARGET:g} |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    real = {}
    for r in sorted((r for r in runs if r["rows"]), key=lambda r: r["rows"][-1]["fid"]):
        last = r["rows"][-1]
        reached = next((p["train_cpu_s"] for p in r["rows"] if p["fid"] <= FID_TARGET), None)
        lines.append(
            f"| {r['preset']} | {last['step']} | {last['train_cpu_s']} | {scores(last)} | "
            f"{'not reached' if reached is None else reached} |"
        )
        if r["real"]:
            real[r["dataset"]] = r["real"]
    lines += [
        f"| held-out real ({name}) | | | {scores(value)} | |"
        for name, value in sorted(real.items())
    ]
    lines += [
        "",
        "| preset | step | train CPU-s | train wall s | FID | KID×100 | IS | precision | recall | "
        "confident |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        lines += [
            f"| {r['preset']} | {p['step']} | {p['train_cpu_s']} | {p['train_wall_s']} | "
            f"{scores(p)} |"
            for p in r["rows"]
        ]
    return lines


def plot(results, path, per_panel=5, fid_cut=100.0):
    """FID against training CPU-seconds, `per_panel` presets a panel (distinct colours), panels
    stacked on shared axes; the FID axis stops at `fid_cut` (the first scores of a run are far above
    the range where presets differ)."""
    import numpy as np

    from keras_gan import images

    series = [
        (r["preset"], [p["train_cpu_s"] for p in r["rows"]], [p["fid"] for p in r["rows"]])
        for r in results["time_to_quality"]
        if r["rows"]
    ]
    if not series:
        return None
    top = max(max(y) for _, _, y in series)
    ylim = (0.0, min(top, fid_cut) * 1.05)
    xlim = (0.0, 1.05 * max(max(x) for _, x, _ in series))
    groups = [series[i : i + per_panel] for i in range(0, len(series), per_panel)]
    cut = f", FID axis cut at {fid_cut:g}" if top > fid_cut else ""
    panels = [
        images.line_plot(
            group,
            title=f"classifier FID by training time ({i + 1}/{len(groups)}{cut})",
            xlabel="training CPU-seconds",
            ylabel="FID",
            xlim=xlim,
            ylim=ylim,
        )
        for i, group in enumerate(groups)
    ]
    width = max(p.shape[1] for p in panels)
    panels = [
        np.pad(p, ((0, 0), (0, width - p.shape[1]), (0, 0)), constant_values=255) for p in panels
    ]
    images.write_png(path, np.concatenate(panels, axis=0))
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--quick", action="store_const", dest="plan", const="quick")
    size.add_argument("--full", action="store_const", dest="plan", const="full")
    parser.add_argument(
        "--data-dir", help="folder of the MNIST files (default: keras.datasets, online)"
    )
    parser.add_argument("--out", default=os.path.join("benchmarks", "results", "quality"))
    parser.add_argument(
        "--features",
        choices=("inception-2015", "keras-inception", "classifier"),
        help="time_to_quality's features, as `keras-gan evaluate --features` (default: its "
        "default; results go to a folder named after the features when given)",
    )
    parser.add_argument("--features-file", help="as `keras-gan evaluate --features-file`")
    parser.add_argument("--sections", nargs="+", choices=list(SECTIONS), default=list(SECTIONS))
    parser.add_argument(
        "--presets",
        nargs="+",
        metavar="PRESET",
        help="run only these presets' jobs (the others' finished results still enter the tables), "
        "e.g. to split the plan over processes",
    )
    parser.add_argument(
        "--report",
        action="store_true",
        help="run nothing: write the tables and the plot of the finished jobs, list the others",
    )
    args = parser.parse_args(argv)
    plan = PLANS[args.plan]
    unknown = sorted(
        set(args.presets or ()) - {job["preset"] for jobs in plan.values() for job in jobs}
    )
    if unknown:
        parser.error(
            f"--presets: {', '.join(unknown)} not in the {args.plan} plan; its presets: "
            + ", ".join(sorted({job["preset"] for jobs in plan.values() for job in jobs}))
        )
    out = os.path.join(args.out, args.plan + (f"-{args.features}" if args.features else ""))
    features = dict(features=args.features, features_file=args.features_file)
    os.makedirs(out, exist_ok=True)
    start = time.perf_counter()
    results = {key: [] for key in SECTIONS}
    missing = []
    for section in args.sections:
        for job in plan[section]:
            path = os.path.join(out, f"{section}-{job['preset']}.json")
            if os.path.exists(path):
                with open(path) as f:
                    results[section].append(json.load(f))
                print(f"{path} exists: kept (delete it to rerun)", flush=True)
                continue
            if args.report or (args.presets and job["preset"] not in args.presets):
                missing.append(f"{section}-{job['preset']}")
                continue
            extra = {"features": features} if section == "time_to_quality" else {}
            results[section].append(SECTIONS[section](job, path, args.data_dir, **extra))
    text = tables(results)
    if missing:
        text += "\n\nNot run yet: " + ", ".join(missing) + "."
    with open(os.path.join(out, "tables.md"), "w") as f:
        f.write(text + "\n")
    picture = plot(results, os.path.join(out, "time_to_quality.png"))
    print(text)
    print(
        f"{args.plan}: {time.perf_counter() - start:.0f} s wall; wrote {out}/tables.md"
        + (f" and {picture}" if picture else "")
    )


if __name__ == "__main__":
    main()
