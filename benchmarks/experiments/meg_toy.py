r"""MEG on the 2-D mixtures: modes, high-quality fraction, NLL (quadrature and Parzen), MI,
heat map.

Trains a `meg-ring8` / `meg-grid25` preset (or evaluates a saved one), then
reports, for generator samples and for samples after K MALA steps in z:
PacGAN's mode metrics on 2,500 samples and the Parzen NLL of 1,000 true test
points; for the energy model itself the test NLL of `exp(-E) / Z` with Z by
quadrature; and the mutual-information estimate `Î` of the last training
steps. Writes `OUT/metrics.json`, `OUT/energy.png` (heat map, generator
samples in red), `OUT/samples.png`, `OUT/samples_mcmc.png`, TensorBoard
images under `OUT/tensorboard` and the model `OUT/model.keras`.

    nice -n 10 python -m benchmarks.experiments.meg_toy meg-grid25 --marginal shuffle --steps 3000 \
        --out runs/meg-grid25-shuffle
"""

import argparse
import json
import os
import re
import time

import keras
import numpy as np

import keras_gan  # noqa: F401
from keras_gan import data, estimators, images, zoo
from keras_gan.metrics import (
    mode_coverage,
    parzen_log_likelihood,
    quadrature_nll,
    select_parzen_bandwidth,
)
from keras_gan.metrics.energy import energy_grid, write_energy_heatmap


def train(args):
    keras.utils.set_random_seed(args.seed)
    overrides = {"seed": args.seed, "marginal": args.marginal}
    if args.width:
        overrides["width"] = args.width
    model = zoo.build(args.preset, **overrides)
    spec = zoo.spec(args.preset)
    batch = args.batch_size or spec.batch_size
    ds = data.load(spec.dataset, batch, n_critic=model.n_critic, seed=args.seed, repeat=True)
    # the model sees x / scale (as the authors' code does for 25 Gaussians, / 2.828)
    if args.scale != 1.0:
        ds = ds.map(lambda x, *labels: (x / args.scale, *labels))
    per_epoch = min(500, args.steps)
    start = time.time()
    history = model.fit(ds, epochs=args.steps // per_epoch, steps_per_epoch=per_epoch, verbose=2)
    seconds = time.time() - start
    model.save(os.path.join(args.out, "model.keras"))
    return model, {
        "train_seconds": seconds,
        "batch_size": batch,
        "history": {k: [float(v) for v in vals] for k, vals in history.history.items()},
    }


def evaluate(model, source, out, mcmc_steps, step_size, seed=0, scale=1.0):
    mix = data.mixture(source)
    validation, test = mix.sample(500, seed=seed + 1)[0], mix.sample(1000, seed=seed + 2)[0]
    result = {}
    pictures = {}
    for key, steps in (("generator", 0), (f"mala_{mcmc_steps}", mcmc_steps)):
        start = time.time()
        samples = scale * model.generate(2500, seed=seed, mcmc_steps=steps, step_size=step_size)
        entry = mode_coverage(samples, mix.centers, mix.std)
        bandwidth, _ = select_parzen_bandwidth(samples, validation, np.logspace(-3, 0, 13))
        entry["parzen_nll"] = -parzen_log_likelihood(samples, test, bandwidth)
        entry["parzen_bandwidth"] = bandwidth
        entry["seconds"] = time.time() - start
        result[key] = entry
        pictures[key] = samples
    if steps:
        z = model.sample_latents(500, seed)
        _, rate = model.refine_latents(z, mcmc_steps, step_size, [seed, 7])
        result[f"mala_{mcmc_steps}"]["acceptance_rate"] = float(np.mean(rate))
    # Î of the trained T on 2,500 fresh (z, G(z)) pairs, against both kinds of marginal z̃.
    z = model.sample_latents(2500, seed + 11)
    fake = model.generator(z)
    joint = model.statistics([fake, z])
    result["mutual_information_eval"] = {
        "shuffle": float(
            estimators.jsd_mutual_information(
                joint, model.statistics([fake, estimators.shuffle_per_dimension(z, [seed, 12])])
            )
        ),
        "resample": float(
            estimators.jsd_mutual_information(
                joint, model.statistics([fake, model.sample_latents(2500, seed + 13)])
            )
        ),
    }
    extent = float(np.max(np.abs(mix.centers))) + 1.5
    bounds = [(-extent / scale, extent / scale)] * 2  # in the model's (scaled) input space
    energy_fn = lambda x: model.energies(x).numpy()  # noqa: E731
    result["energy_model"] = {
        # NLL of the original data: NLL(x / scale) + 2 log scale (the seeds' scaling identity).
        "quadrature_nll": quadrature_nll(
            energy_fn, test / scale, bounds, resolution=600, scale=scale
        ),
        "quadrature_nll_coarse": quadrature_nll(
            energy_fn, test / scale, bounds, resolution=300, scale=scale
        ),
        "bounds": bounds,
        "data_scale": scale,
        "true_nll": float(-np.mean(mixture_log_density(mix, test))),
    }
    _, grid, _ = energy_grid(energy_fn, bounds, resolution=400)
    step = int(model.g_optimizer.iterations)
    write_energy_heatmap(
        os.path.join(out, "energy.png"),
        grid,
        points=pictures["generator"][:1000] / scale,
        bounds=bounds,
        log_dir=os.path.join(out, "tensorboard", "eval"),
        step=step,
    )
    reference = mix.sample(1000, seed=1)[0]
    for key, samples in pictures.items():
        name = "samples.png" if key == "generator" else "samples_mcmc.png"
        images.write_png(os.path.join(out, name), images.scatter(samples, reference=reference))
    return result


def mixture_log_density(mix, x):
    d2 = np.sum((x[:, None, :] - mix.centers[None]) ** 2, axis=-1)
    log_comp = -d2 / (2 * mix.std**2) - np.log(2 * np.pi * mix.std**2)
    top = log_comp.max(axis=1, keepdims=True)
    return (top + np.log(np.mean(np.exp(log_comp - top), axis=1, keepdims=True))).ravel()


def _previous_training(out):
    """The training record of an earlier run: metrics.json, else the per-epoch lines of log.txt."""
    path = os.path.join(out, "metrics.json")
    if os.path.exists(path):
        return json.load(open(path)).get("training", {})
    history = {}
    if os.path.exists(os.path.join(out, "log.txt")):
        for line in open(os.path.join(out, "log.txt")):
            for key, value in re.findall(
                r"(\w+): (-?[0-9.]+(?:e[-+][0-9]+)?)", line if "ms/step" in line else ""
            ):
                history.setdefault(key, []).append(float(value))
    return {"history": history, "from": "log.txt"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("preset", choices=["meg-ring8", "meg-grid25"])
    parser.add_argument("--marginal", default="shuffle", choices=["shuffle", "resample"])
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--width", type=int, default=None)
    parser.add_argument("--mcmc-steps", type=int, default=100)
    parser.add_argument("--step-size", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--scale", type=float, default=1.0, help="train on x / scale (NLL reported for x)"
    )
    parser.add_argument("--out", required=True)
    parser.add_argument(
        "--eval-only", action="store_true", help="evaluate OUT/model.keras without training"
    )
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    if args.eval_only:
        model = keras.models.load_model(os.path.join(args.out, "model.keras"))
        info = _previous_training(args.out)
    else:
        model, info = train(args)
    source = zoo.spec(args.preset).dataset
    metrics = evaluate(
        model, source, args.out, args.mcmc_steps, args.step_size, seed=args.seed, scale=args.scale
    )
    mi = info.get("history", {}).get("mutual_information", [])
    report = {
        "preset": args.preset,
        "marginal": model.marginal,
        "steps": int(model.g_optimizer.iterations),
        "mcmc_steps": args.mcmc_steps,
        "step_size": args.step_size,
        "mutual_information_last_epoch": mi[-1] if mi else None,
        "training": info,
        **metrics,
    }
    with open(os.path.join(args.out, "metrics.json"), "w") as f:
        json.dump(report, f, indent=2)
    print(json.dumps({k: v for k, v in report.items() if k != "training"}, indent=2))


if __name__ == "__main__":
    main()
