"""PacGAN's 2-D protocol over seeds: modes, high-quality fraction and reverse KL, mean ± standard
error.

Protocol (Lin et al. 2018, PacGAN §5.1, Table 1): the ring of 8 (σ 0.01) or
the grid of 25 (σ 0.05) Gaussians; 2,500 samples; a mode is captured when a
sample lies within 3σ of it; high quality = the fraction of samples within
3σ of some mode; reverse KL of the samples' mode histogram to the uniform
one (`keras-gan evaluate` on a 2-D run gives the same numbers). Each seed
trains preset NAME from scratch (weights, latents and data order all keyed
on the seed), with optional `zoo.build` overrides as JSON.

Usage:
    python -m benchmarks.mixture_seeds gan-ring8 --seeds 0 1 2 3 4 --overrides '{"pack": 2}' \
        --out benchmarks/results/pacgan/gan-ring8-pack2.json
"""

import argparse
import json
import time

import keras
import numpy as np

from keras_gan import data, files, zoo
from keras_gan.metrics import evaluate_model

# Published (modes, high-quality %, reverse KL) on the 2-D mixtures. GAN, ALI and PacGAN4 are
# PacGAN's Table 1 (Lin et al. 2018); VEEGAN's rows are the VEEGAN paper's Table 1 (Srivastava et
# al. 2017), which quotes no KL.
PUBLISHED = {
    "ring8": {
        "GAN": (6.3, 98.2, 0.45),
        "ALI": (6.6, 97.6, 0.36),
        "PacGAN4": (7.8, 95.9, 0.07),
        "VEEGAN": (8, 52.9, None),
    },
    "grid25": {
        "GAN": (17.3, 94.8, 0.70),
        "ALI": (24.1, 95.7, 0.14),
        "PacGAN4": (24.8, 93.6, 0.04),
        "VEEGAN": (24.6, 40.0, None),
    },
}
SOURCES = {
    "GAN": "PacGAN Table 1",
    "ALI": "PacGAN Table 1",
    "PacGAN4": "PacGAN Table 1",
    "VEEGAN": "VEEGAN Table 1",
}


def summary(rows, key):
    values = np.asarray([r[key] for r in rows], np.float64)
    se = float(values.std(ddof=1) / np.sqrt(len(values))) if len(values) > 1 else float("nan")
    return {
        "mean": float(values.mean()),
        "se": se,
        "min": float(values.min()),
        "max": float(values.max()),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("name", help="a 2-D preset, e.g. gan-ring8")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--steps", type=int, help="default: the preset's")
    parser.add_argument("--overrides", default="{}", help="JSON dict of zoo.build overrides")
    parser.add_argument("--out", help="JSON file for the per-seed rows and the summary")
    args = parser.parse_args(argv)
    spec = zoo.spec(args.name)
    if spec.dataset not in data.MIXTURES:
        parser.error(
            f"{args.name} trains on {spec.dataset}; this protocol is for {', '.join(data.MIXTURES)}"
        )
    overrides = json.loads(args.overrides)
    steps = args.steps or spec.steps
    rows = []
    for seed in args.seeds:
        keras.utils.set_random_seed(seed)
        model = zoo.build(args.name, steps=steps, seed=seed, **overrides)
        dataset = data.load(
            spec.dataset, spec.batch_size, n_critic=model.n_critic, seed=seed, repeat=True
        )
        cpu, wall = time.process_time(), time.time()
        model.fit(dataset, epochs=1, steps_per_epoch=steps, verbose=0)
        cpu, wall = time.process_time() - cpu, time.time() - wall
        metrics = evaluate_model(model, spec.dataset, n=2500, seed=seed)["generated"]
        row = {
            "seed": seed,
            "modes": metrics["modes"],
            "high_quality_percent": 100 * metrics["high_quality_fraction"],
            "reverse_kl": metrics["reverse_kl"],
            "train_cpu_seconds": round(cpu, 1),
            "train_wall_seconds": round(wall, 1),
        }
        print(json.dumps(row), flush=True)
        rows.append(row)
    result = {
        "preset": args.name,
        "overrides": overrides,
        "steps": steps,
        "batch_size": spec.batch_size,
        "seeds": args.seeds,
        "rows": rows,
        "summary": {k: summary(rows, k) for k in ("modes", "high_quality_percent", "reverse_kl")},
        "published": PUBLISHED[spec.dataset],
    }
    s = result["summary"]
    print(
        f"{args.name} {overrides} over {len(rows)} seeds: modes {s['modes']['mean']:.2f} ± "
        f"{s['modes']['se']:.2f}, high quality {s['high_quality_percent']['mean']:.1f} ± "
        f"{s['high_quality_percent']['se']:.1f}%, KL {s['reverse_kl']['mean']:.4f} ± "
        f"{s['reverse_kl']['se']:.4f}"
    )
    if args.out:
        files.write_json(args.out, result)


if __name__ == "__main__":
    main()
