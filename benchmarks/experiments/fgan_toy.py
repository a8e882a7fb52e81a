r"""The f-GAN toy experiment: fit one Gaussian to a 1-D mixture with every f-divergence.

For each divergence, trains `fgan-<name>-mixture1d` and reports the fitted
(μ, σ) and D_f(P‖N(μ, σ²)) by quadrature, next to the exact optimum found by
minimizing the quadrature divergence over (μ, log σ) with SciPy. Draws every
fitted density over the mixture into one PNG.

Usage: python -m benchmarks.experiments.fgan_toy [--steps 3000] [--out runs/fgan_toy.png] \
        [--only kl,reverse_kl]
"""

import argparse
import json

import numpy as np
from scipy import optimize, stats

from keras_gan import data, divergences, images, zoo

X = np.linspace(-6, 8, 20001)


def divergence_value(div, mu, sigma):
    p, q = data.MIXTURE1D.pdf(X), stats.norm(mu, sigma).pdf(X)
    mask = (q > 1e-300) & (p > 1e-300)
    u = p[mask] / q[mask]  # float64 throughout: p/q spans hundreds of orders of magnitude
    return float(np.trapezoid(q[mask] * div.f(u).numpy(), X[mask]))


def exact_optimum(div):
    best = None
    for mu0 in (-1.0, 0.2, 2.0):
        res = optimize.minimize(
            lambda th: divergence_value(div, th[0], np.exp(th[1])),
            [mu0, 0.0],
            method="Nelder-Mead",
            options={"xatol": 1e-4, "fatol": 1e-7, "maxiter": 400},
        )
        if best is None or res.fun < best.fun:
            best = res
    return float(best.x[0]), float(np.exp(best.x[1])), float(best.fun)


def plot(curves, path, size=(360, 720)):
    h, w = size
    canvas = np.full((h, w, 3), 255, np.uint8)
    top = max(np.max(c) for _, c, _ in curves) * 1.05
    colors = [
        (0, 0, 0),
        (220, 30, 30),
        (30, 90, 220),
        (20, 160, 60),
        (200, 120, 0),
        (150, 40, 180),
        (0, 160, 170),
        (120, 120, 120),
        (240, 80, 160),
        (90, 60, 20),
        (60, 200, 200),
        (170, 170, 0),
    ]
    cols = np.round((X - X[0]) / (X[-1] - X[0]) * (w - 1)).astype(int)
    for (name, density, _), color in zip(curves, colors):
        rows = np.round((h - 1) * (1 - density / top)).astype(int)
        for dr in (-1, 0, 1):
            canvas[np.clip(rows + dr, 0, h - 1), cols] = color
    images.write_png(path, canvas)
    return [(name, color) for (name, _, _), color in zip(curves, colors)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=None)
    parser.add_argument("--out", default="runs/fgan_toy.png")
    parser.add_argument("--only")
    args = parser.parse_args()
    names = args.only.split(",") if args.only else divergences.names()
    ds = data.load("mixture1d", 512, repeat=True)
    rows, curves = [], [("mixture", data.MIXTURE1D.pdf(X), None)]
    for name in names:
        preset = zoo.spec(f"fgan-{name}-mixture1d")
        model = zoo.build(preset.name)
        model.fit(ds, epochs=1, steps_per_epoch=args.steps or preset.steps, verbose=0)
        loc, log_scale = model.generator.get_layer("location_scale").get_weights()
        mu, sigma = float(loc[0]), float(np.exp(log_scale[0]))
        div = model.divergence
        opt_mu, opt_sigma, opt_value = exact_optimum(div)
        row = {
            "divergence": name,
            "mu": mu,
            "sigma": sigma,
            "D_f": divergence_value(div, mu, sigma),
            "opt_mu": opt_mu,
            "opt_sigma": opt_sigma,
            "opt_D_f": opt_value,
            "critic_estimate": float(model.divergence_tracker.result()),
        }
        rows.append(row)
        curves.append((name, stats.norm(mu, sigma).pdf(X), row))
        print(json.dumps(row), flush=True)
    legend = plot(curves, args.out)
    print(
        f"\n{'divergence':<26}{'mu':>8}{'sigma':>8}{'D_f':>10}   "
        f"{'opt mu':>8}{'opt sigma':>10}{'opt D_f':>10}"
    )
    for r in rows:
        print(
            f"{r['divergence']:<26}{r['mu']:>8.3f}{r['sigma']:>8.3f}{r['D_f']:>10.4f}   "
            f"{r['opt_mu']:>8.3f}{r['opt_sigma']:>10.3f}{r['opt_D_f']:>10.4f}"
        )
    print(f"plot: {args.out} (colours: {', '.join(f'{n}={c}' for n, c in legend)})")


if __name__ == "__main__":
    main()
