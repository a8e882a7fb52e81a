"""The latent-space tools on trained MNIST generators (#35): interpolation grids, Z against W
smoothness, DCGAN's vector arithmetic with a measured attribute, and projection of held-out
images.

The runs train on the first 9,000 images of MNIST's test split (the only MNIST split here) and
the last 1,000 are held out; a domain classifier trained on the same 9,000 judges the digits.

    python -m benchmarks.experiments.latent_figures split --mnist ../shared/data/mnist --out DIR
    keras-gan train dcgan-mnist --steps 6000 --data-dir DIR/mnist9k --out DIR/runs/dcgan-mnist
    (the same for stylegan-mnist 6000, bigan-mnist 5000, biggan-mnist 3000 steps; the results in
    benchmarks/results/latent used biggan-mnist's step-2000 model, stopped for time)
    python -m benchmarks.experiments.latent_figures one-nn --mnist ../shared/data/mnist \\
        --run DIR/runs/bigan-mnist          (BiGAN's 1-NN protocol alone)
    python -m benchmarks.experiments.latent_figures figures --mnist ../shared/data/mnist \\
        --runs DIR/runs --out benchmarks/results/latent

Writes PNGs and `latent.json` into --out; the README there holds the tables.
"""

import argparse
import gzip
import json
import os
import struct
import time

import numpy as np

TRAIN = 9000  # the first 9,000 test-split images train; the last 1,000 are held out


def _mnist(folder):
    from keras_gan import data

    return data.load_arrays("mnist", data_dir=folder, split="test")


def split(mnist, out):
    """Writes the first 9,000 images of t10k as IDX `train-*` files into OUT/mnist9k."""
    folder = os.path.join(out, "mnist9k")
    os.makedirs(folder, exist_ok=True)
    for kind, magic, header, ndim in (("images", 2051, 16, 3), ("labels", 2049, 8, 1)):
        with gzip.open(os.path.join(mnist, f"t10k-{kind}-idx{ndim}-ubyte.gz")) as f:
            raw = f.read()
        size = 784 if kind == "images" else 1
        dims = struct.pack(">II", 28, 28) if kind == "images" else b""
        body = raw[header : header + TRAIN * size]
        with open(os.path.join(folder, f"train-{kind}-idx{ndim}-ubyte"), "wb") as f:
            f.write(struct.pack(">II", magic, TRAIN) + dims + body)
    print(folder)


def _load(runs, name):
    from keras_gan import runs as runs_lib
    from keras_gan.standing import standing_statistics_where_needed

    model = runs_lib.RunDir(os.path.join(runs, name)).load_model()
    standing_statistics_where_needed(model, 64)
    return model


def _classifier(x, y):
    """The domain classifier of the training images; it judges 28x28 digits, so stylegan-mnist's
    32x32 images lose their 2-pixel background border first."""
    from keras_gan.metrics.features import DomainClassifier

    trained = DomainClassifier(x, y, key="mnist-first9000")

    def judge(images):
        return trained(_crop28(images))

    judge.validation_accuracy = trained.validation_accuracy
    return judge


def _write(picture, path):
    from keras_gan import images

    images.write_png(path, picture)
    print(path)


def interpolation(models, classifier, out, paths=100, steps=8):
    """Grids (8 rows) and the mean classifier-feature distance between neighbouring frames over
    `paths` paths (a smoother path has smaller, more even steps)."""
    from keras_gan import images, latent

    rows = {}
    for name, space in (
        ("dcgan-mnist", "z"),
        ("stylegan-mnist", "z"),
        ("stylegan-mnist", "w"),
        ("biggan-mnist", "z"),
    ):
        model = models[name]
        caps = model.capabilities()
        method = "lerp" if space == "w" else caps.latent_path
        z0 = np.concatenate([model.sample_latents(1, 1000 + r) for r in range(paths)])
        z1 = np.concatenate([model.sample_latents(1, 2000 + r) for r in range(paths)])
        a, b = model.to_space(z0, space), model.to_space(z1, space)
        path = np.asarray(latent.interpolate(a, b, steps, method)).reshape(-1, a.shape[-1])
        labels = None
        if caps.conditional:
            labels = np.repeat(np.arange(paths) % caps.num_classes, steps)
        frames = model.decode_space(path, space, labels)
        feats, _ = classifier(frames)
        feats = feats.reshape(paths, steps, -1)
        gaps = np.linalg.norm(np.diff(feats, axis=1), axis=-1)  # [paths, steps - 1]
        key = f"{name} {space} ({method})"
        rows[key] = {
            "mean_neighbour_distance": float(gaps.mean()),
            "max_over_mean_per_path": float((gaps.max(axis=1) / gaps.mean(axis=1)).mean()),
            "endpoint_distance": float(np.linalg.norm(feats[:, -1] - feats[:, 0], axis=-1).mean()),
            # the path's length in feature space over the straight distance of its ends: 1 for a
            # path that goes straight, more for one that wanders through other digits
            "length_over_endpoint_distance": float(
                np.median(gaps.sum(axis=1) / np.linalg.norm(feats[:, -1] - feats[:, 0], axis=-1))
            ),
        }
        title = f"{name}: {method} in {space}, seeds 1000+r -> 2000+r"
        _write(
            images.picture(frames[: 8 * steps], columns=steps, title=title),
            os.path.join(out, f"interpolate_{name}_{space}.png"),
        )
    # StyleGAN's coarse and fine layers (per-layer W): which digit properties each half moves
    model = models["stylegan-mnist"]
    layers = model.capabilities().style_layers
    z0 = np.concatenate([model.sample_latents(1, 1000 + r) for r in range(paths)])
    z1 = np.concatenate([model.sample_latents(1, 2000 + r) for r in range(paths)])
    w0, w1 = model.to_space(z0, "w"), model.to_space(z1, "w")
    _, start_probs = classifier(model.decode_space(w0, "w"))
    _, end_probs = classifier(model.decode_space(w1, "w"))
    for part, span in (("coarse", (0, layers // 2)), ("fine", (layers // 2, layers))):
        ws = np.asarray(latent.layer_path(w0, w1, steps, layers, span))
        frames = model.decode_space(ws.reshape(-1, layers, ws.shape[-1]), "w")
        _, probs = classifier(frames)
        last = probs.reshape(paths, steps, -1)[:, -1].argmax(-1)
        rows[f"stylegan-mnist w layers {span[0]}:{span[1]} ({part})"] = {
            "share_last_frame_is_start_digit": float((last == start_probs.argmax(-1)).mean()),
            "share_last_frame_is_end_digit": float((last == end_probs.argmax(-1)).mean()),
            "ink_change_last_over_first": float(
                np.mean(_ink(frames.reshape(paths, steps, *frames.shape[1:])[:, -1]))
                / np.mean(_ink(frames.reshape(paths, steps, *frames.shape[1:])[:, 0]))
            ),
        }
        title = f"stylegan-mnist: layers {span[0]}:{span[1]} of {layers} ({part}) in W"
        _write(
            images.picture(frames[: 8 * steps], columns=steps, title=title),
            os.path.join(out, f"interpolate_stylegan-mnist_w_{part}.png"),
        )
    # BigGAN across classes: z fixed per row, the class vector from 3 to 8
    model = models["biggan-mnist"]
    embed, decode = model.class_decoder()
    z = np.concatenate([model.sample_latents(1, 1000 + r) for r in range(8)])
    path = np.asarray(latent.interpolate(embed([3])[0], embed([8])[0], steps, "lerp"))
    frames = decode(np.repeat(z, steps, axis=0), np.tile(path, (8, 1)))
    _, probs = classifier(frames)
    label = probs.reshape(8, steps, -1).argmax(-1)
    rows["biggan-mnist class 3 -> 8"] = {
        "share_classified_3_first_frame": float((label[:, 0] == 3).mean()),
        "share_classified_8_last_frame": float((label[:, -1] == 8).mean()),
    }
    _write(
        images.picture(frames, columns=steps, title="biggan-mnist: class 3 -> 8, z fixed per row"),
        os.path.join(out, "interpolate_biggan-mnist_classes.png"),
    )
    return rows


def _crop28(images):
    """stylegan-mnist's 32x32 images (mnist32: MNIST padded with background) back to 28x28."""
    images = np.asarray(images)
    return images[:, 2:30, 2:30] if images.shape[1] == 32 else images


def _pad_to(images, model):
    """28x28 MNIST as the model takes it (mnist32's 2-pixel background border for StyleGAN)."""
    side = int(model.data_spec().shape[1])
    pad = (side - images.shape[1]) // 2
    return np.pad(images, [(0, 0), (pad, pad), (pad, pad), (0, 0)], constant_values=-1.0)


def _ink(x):
    """Stroke mass: the mean intensity in [0, 1] (thicker strokes, more ink)."""
    return ((np.asarray(x) + 1) / 2).reshape(len(x), -1).mean(axis=1)


def arithmetic(model, classifier, pool=3000, exemplars=3, neighbours=7):
    """thick(a) - thin(a) + thin(b) for every ordered pair of digits a != b: does the result
    keep b (the classifier) and gain ink (stroke thickness) over thin(b)? Exemplars are chosen
    among `pool` seeds by the classifier's confident label and their ink."""
    from keras_gan import latent

    z = np.concatenate([model.sample_latents(1, s) for s in range(pool)])
    x = model.decode_space(z, "z")
    _, probs = classifier(x)
    label, confident = probs.argmax(-1), probs.max(-1) >= 0.95
    ink = _ink(x)
    thick, thin = {}, {}
    for d in range(10):
        seeds = np.flatnonzero((label == d) & confident)
        order = seeds[np.argsort(ink[seeds])]
        thin[d], thick[d] = order[:exemplars], order[-exemplars:]
    rng = np.random.default_rng(0)
    results = []
    for a in range(10):
        for b in range(10):
            if a == b:
                continue
            r = np.asarray(latent.arithmetic([z[thick[a]], z[thin[a]], z[thin[b]]], [1, -1, 1]))
            noise = rng.uniform(-0.25, 0.25, (neighbours, len(r)))
            batch = np.concatenate([r[None], r[None] + noise])
            made = model.decode_space(batch.astype(np.float32), "z")
            _, p = classifier(made)
            base = model.decode_space(z[thin[b]].mean(0, keepdims=True), "z")
            # control: the same step from thin(b) in a random direction
            step = z[thick[a]].mean(0) - z[thin[a]].mean(0)
            direction = rng.normal(size=step.shape)
            control = z[thin[b]].mean(0) + direction * np.linalg.norm(step) / np.linalg.norm(
                direction
            )
            control = np.concatenate([control[None], control[None] + noise]).astype(np.float32)
            made_control = model.decode_space(control, "z")
            _, p_control = classifier(made_control)
            results.append(
                {
                    "a": a,
                    "b": b,
                    "kept_b": float((p.argmax(-1) == b).mean()),
                    "ink_result": float(_ink(made).mean()),
                    "ink_thin_b_exemplars": float(ink[thin[b]].mean()),
                    "ink_thin_b_mean_latent": float(_ink(base)[0]),
                    "ink_thick_b_exemplars": float(ink[thick[b]].mean()),
                    "control_kept_b": float((p_control.argmax(-1) == b).mean()),
                    "control_ink": float(_ink(made_control).mean()),
                    "terms": f"{','.join(map(str, thick[a]))} - {','.join(map(str, thin[a]))} + "
                    f"{','.join(map(str, thin[b]))}",
                }
            )
    kept = np.array([r["kept_b"] for r in results])
    gain = np.array([r["ink_result"] / r["ink_thin_b_mean_latent"] for r in results])
    control = np.array([r["control_ink"] / r["ink_thin_b_mean_latent"] for r in results])
    best = results[int(np.argmax(kept * gain))]
    summary = {
        "pairs": len(results),
        "mean_share_kept_b": float(kept.mean()),
        "pairs_majority_kept_b": int((kept > 0.5).sum()),
        "median_ink_ratio_result_over_thin_b_mean_latent": float(np.median(gain)),
        "pairs_with_more_ink": int((gain > 1).sum()),
        "control_mean_share_kept_b": float(np.mean([r["control_kept_b"] for r in results])),
        "control_median_ink_ratio": float(np.median(control)),
        "figure": {k: best[k] for k in ("a", "b", "terms", "kept_b")},
    }
    return summary, results


def projection(models, classifier, held_x, held_y, train_x, train_y, out, steps, batch):
    """Projects the held-out images; pixel L1 (in [0, 1] intensity) and the share whose digit
    the classifier keeps, beside the nearest training image; images per CPU-second."""
    from keras_gan import images
    from keras_gan import projection as proj

    rows = {}
    # Nearest training image in pixel L2 (the baseline a generator must beat to be more than a
    # lookup table).
    d = (
        (held_x.reshape(len(held_x), -1) ** 2).sum(1)[:, None]
        - 2 * held_x.reshape(len(held_x), -1) @ train_x.reshape(len(train_x), -1).T
        + (train_x.reshape(len(train_x), -1) ** 2).sum(1)[None]
    )
    nearest = train_x[d.argmin(1)]
    _, p = classifier(nearest)
    rows["nearest training image"] = {
        "l1": float(np.abs(nearest - held_x).mean() / 2),
        "kept": float((p.argmax(-1) == held_y).mean()),
        "label_of_nearest_kept": float((train_y[d.argmin(1)] == held_y).mean()),
    }
    _, p = classifier(held_x)
    rows["held-out images themselves"] = {"l1": 0.0, "kept": float((p.argmax(-1) == held_y).mean())}
    # (label, preset, space or "encoder", project() options)
    cases = [
        ("dcgan-mnist z", "dcgan-mnist", "z", {}),
        ("stylegan-mnist w + noise", "stylegan-mnist", "w", {}),
        ("stylegan-mnist w, fixed noise", "stylegan-mnist", "w", {"noise_weight": None}),
        ("bigan-mnist E(x)", "bigan-mnist", "encoder", {}),
        ("bigan-mnist z from E(x)", "bigan-mnist", "z", {}),
    ]
    pictures = []
    for label, name, space, options in cases:
        model = models[name]
        recon, cpu = [], 0.0
        for i in range(0, len(held_x), batch):
            x = _pad_to(held_x[i : i + batch], model)
            t = time.process_time()
            if space == "encoder":
                r = model.decode_space(np.asarray(model.encode(x)), "z")
            else:
                r = proj.project(model, x, steps=steps, space=space, **options)["reconstructions"]
            cpu += time.process_time() - t
            recon.append(_crop28(np.clip(np.asarray(r), -1, 1)))
        recon = np.concatenate(recon)
        _, p = classifier(recon)
        key = label if space == "encoder" else f"{label} ({steps} Adam steps)"
        rows[key] = {
            "l1": float(np.abs(recon - held_x).mean() / 2),
            "kept": float((p.argmax(-1) == held_y).mean()),
            "images_per_cpu_second": float(len(held_x) / cpu),
            "cpu_seconds": float(cpu),
        }
        print(key, rows[key], flush=True)
        pictures.append((label, recon[:12]))
    grid = np.concatenate([held_x[:12]] + [r for _, r in pictures])
    _write(
        images.picture(
            grid,
            columns=12,
            row_labels=["held-out"] + [k for k, _ in pictures],
            title="projection of held-out MNIST",
        ),
        os.path.join(out, "projection.png"),
    )
    return rows


def one_nn(model, train_x, train_y, held_x, held_y):
    """BiGAN's Table 1 protocol on this split: 1-NN classification of the held-out images by
    the encoder's E(x) of the training images (Euclidean and cosine), beside raw pixels and the
    same encoder untrained (its layers re-initialized, seed 0)."""
    import keras

    keras.utils.set_random_seed(0)
    untrained = keras.models.clone_model(model.encoder)

    def accuracy(a, b, metric):
        if metric == "cosine":
            a = a / np.linalg.norm(a, axis=1, keepdims=True)
            b = b / np.linalg.norm(b, axis=1, keepdims=True)
            nearest = (b @ a.T).argmax(1)
        else:
            nearest = ((b**2).sum(1)[:, None] - 2 * b @ a.T + (a**2).sum(1)[None]).argmin(1)
        return float((train_y[nearest] == held_y).mean())

    def features(network):
        return lambda x: np.asarray(network.predict(x, batch_size=500, verbose=0), np.float64)

    encoders = {"raw pixels": lambda x: x.reshape(len(x), -1).astype(np.float64)}
    encoders["E(x), trained run"] = features(model.encoder)
    encoders["E(x), untrained (seed 0)"] = features(untrained)
    rows = {}
    for key, encode in encoders.items():
        a, b = encode(train_x), encode(held_x)
        rows[key] = {m: accuracy(a, b, m) for m in ("euclidean", "cosine")}
    return rows


def one_nn_of_run(mnist, run, held, step=None):
    """`one_nn` for one BiGAN run directory trained on the 9,000-image split (its checkpoint of
    `step` where given)."""
    from benchmarks.experiments.family_eval import restore_step

    x, y = _mnist(mnist)
    model = _load(os.path.dirname(os.path.abspath(run)), os.path.basename(os.path.abspath(run)))
    if step is not None:
        restore_step(model, run, step)
    rows = one_nn(model, x[:TRAIN], y[:TRAIN], x[TRAIN : TRAIN + held], y[TRAIN : TRAIN + held])
    report = {"run": run, "step": model.step, "one_nn": rows}
    print(json.dumps(report, indent=1))
    return report


def figures(mnist, runs, out, steps, batch, held):
    os.makedirs(out, exist_ok=True)
    x, y = _mnist(mnist)
    train_x, train_y = x[:TRAIN], y[:TRAIN]
    held_x, held_y = x[TRAIN : TRAIN + held], y[TRAIN : TRAIN + held]
    classifier = _classifier(train_x, train_y)
    names = ("dcgan-mnist", "stylegan-mnist", "bigan-mnist", "biggan-mnist")
    models = {name: _load(runs, name) for name in names}
    report = {
        "classifier_validation_accuracy": classifier.validation_accuracy,
        "interpolation": interpolation(models, classifier, out),
    }
    summary, pairs = arithmetic(models["dcgan-mnist"], classifier)
    report["arithmetic"] = {"summary": summary, "pairs": pairs}
    report["bigan_one_nn"] = one_nn(models["bigan-mnist"], train_x, train_y, held_x, held_y)
    # The figure, as a user makes it (DCGAN's Figure 7 layout; the terms are seeds)
    from keras_gan.cli import main as cli

    picture = os.path.join(out, "arithmetic_dcgan-mnist.png")
    run_dir = os.path.join(runs, "dcgan-mnist")
    assert cli(["arithmetic", run_dir, summary["figure"]["terms"], "--out", picture]) == 0
    with open(os.path.join(out, "latent.json"), "w") as f:
        json.dump(report, f, indent=1)
    report["projection"] = projection(
        models, classifier, held_x, held_y, train_x, train_y, out, steps, batch
    )
    with open(os.path.join(out, "latent.json"), "w") as f:
        json.dump(report, f, indent=1)
    print(json.dumps({k: v for k, v in report.items() if k != "arithmetic"}, indent=1))
    print(json.dumps(summary, indent=1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("split")
    s.add_argument("--mnist", required=True)
    s.add_argument("--out", required=True)
    o = sub.add_parser("one-nn", help="BiGAN's 1-NN protocol for one run")
    o.add_argument("--mnist", required=True)
    o.add_argument("--run", required=True)
    o.add_argument("--held", type=int, default=1000)
    o.add_argument("--step", type=int, help="score this checkpoint of the run")
    f = sub.add_parser("figures")
    f.add_argument("--mnist", required=True)
    f.add_argument("--runs", required=True)
    f.add_argument("--out", required=True)
    f.add_argument("--steps", type=int, default=50, help="Adam steps of projection")
    f.add_argument("--batch", type=int, default=1000, help="images projected at once")
    f.add_argument("--held", type=int, default=1000, help="held-out images projected")
    args = parser.parse_args()
    if args.command == "split":
        split(args.mnist, args.out)
    elif args.command == "one-nn":
        one_nn_of_run(args.mnist, args.run, args.held, args.step)
    else:
        figures(args.mnist, args.runs, args.out, args.steps, args.batch, args.held)


if __name__ == "__main__":
    main()
