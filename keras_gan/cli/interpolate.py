"""`keras-gan interpolate RUN_DIR`: a grid of paths between latents, one path per row."""

import os

from keras_gan.cli.common import (
    CLIError,
    add_command,
    add_run_dir,
    check_at_most,
    check_label,
    check_positive,
    check_space,
    standing_statistics,
)

EXAMPLES = [
    "keras-gan interpolate runs/dcgan-mnist --from 0 --to 1 --rows 4 --steps 8",
    "keras-gan interpolate runs/stylegan-mnist --space w --out w_paths.png",
    "keras-gan interpolate runs/cgan-mnist --label 3",
]


def add_parser(subparsers, parents):
    p = add_command(
        subparsers,
        "interpolate",
        parents,
        "draw paths between latents (row r: from seed FROM+r to seed TO+r)",
        EXAMPLES,
    )
    add_run_dir(p)
    p.add_argument(
        "--from",
        dest="start",
        type=int,
        default=0,
        help="first row's start seed (default: %(default)s)",
    )
    p.add_argument(
        "--to",
        dest="end",
        type=int,
        default=1000,
        help="first row's end seed (default: %(default)s)",
    )
    p.add_argument("--rows", type=int, default=4, help="paths, one per row (default: %(default)s)")
    p.add_argument(
        "--steps", type=int, default=8, help="images per path, ends included (default: %(default)s)"
    )
    p.add_argument(
        "--space",
        default="z",
        help="z (the prior's latents) or, for StyleGAN, w (after the mapping network) "
        "(default: %(default)s)",
    )
    p.add_argument(
        "--method",
        choices=["slerp", "lerp"],
        help="default: slerp in a N(0, I) z, lerp in W and in other priors' z",
    )
    p.add_argument(
        "--label",
        type=int,
        action="append",
        help="class-conditional models: once, every row draws class K (default: row r draws "
        "class r); twice (--label A --label B), each row keeps its latent and goes from class A "
        "to class B",
    )
    p.add_argument(
        "--layers",
        metavar="START:STOP",
        help="StyleGAN with --space w: move only the ws of these synthesis layers (0-based, "
        "STOP excluded), the others stay at the start's w: coarse layers change shape, fine "
        "ones strokes (style mixing as a path)",
    )
    p.add_argument(
        "--scale", type=int, help="enlarge images this many times (default: to >= 512 px wide)"
    )
    p.add_argument("--out", help="PNG path (default: RUN_DIR/samples/interpolation.png)")
    p.add_argument(
        "--no-standing-stats",
        dest="standing_stats",
        action="store_false",
        help="models with an EMA generator and BatchNorm: keep the trained network's statistics",
    )


def run(args):
    import numpy as np

    from keras_gan import images, latent, runs

    check_positive(args, "rows", "scale")
    check_at_most(args, "rows", 64, "one picture")
    if args.steps is None or args.steps < 2:
        raise CLIError(f"--steps must be at least 2 (both ends). Received: {args.steps}")
    check_at_most(args, "steps", 64, "one picture")
    run_dir = runs.RunDir(args.run_dir)
    model = run_dir.load_model()
    caps = model.capabilities()
    check_space(model, caps, args.space)
    classes = args.label or []
    if len(classes) > 2:
        raise CLIError(f"--label: give one class, or two to go between. Received: {classes}")
    for k in classes:
        check_label(model, caps, k)
    standing_statistics(model, args, run_dir.config())
    z0 = np.concatenate([model.sample_latents(1, args.start + r) for r in range(args.rows)])
    if args.layers is not None and (args.space != "w" or not caps.style_layers):
        raise CLIError(
            f"--layers moves some of a style-based generator's per-layer ws: it needs --space w "
            f"and a StyleGAN. Received: --layers {args.layers} for {model.name} in "
            f"{args.space}"
        )
    if len(classes) == 2:  # z fixed per row, the class vector from A to B
        samples, title, row_labels = _between_classes(model, z0, classes, args)
    elif args.layers is not None:
        samples, title = _between_layers(model, caps, z0, args)
        row_labels = None
    else:
        labels = None
        if caps.conditional:
            rows = np.full(args.rows, classes[0]) if classes else np.arange(args.rows)
            labels = np.repeat(rows % caps.num_classes, args.steps)
        method = args.method or ("lerp" if args.space == "w" else caps.latent_path)
        z1 = np.concatenate([model.sample_latents(1, args.end + r) for r in range(args.rows)])
        a, b = model.to_space(z0, args.space), model.to_space(z1, args.space)
        paths = np.asarray(latent.interpolate(a, b, args.steps, method))  # [rows, steps, d]
        samples = model.decode_space(paths.reshape(-1, paths.shape[-1]), args.space, labels)
        title = f"{method} in {args.space}: seeds {args.start}+r -> {args.end}+r"
        row_labels = None if labels is None else [f"class {k}" for k in labels[:: args.steps]]
    out = args.out or os.path.join(run_dir.samples_dir, "interpolation.png")
    picture = images.picture(
        samples,
        columns=args.steps,
        scale=args.scale,
        title=title,
        row_labels=row_labels,
    )
    images.write_png(out, picture)
    print(out)
    return 0


def _between_classes(model, z, classes, args):
    """Row r: the latent of seed FROM+r, the class vector going from class A's to class B's."""
    import numpy as np

    from keras_gan import latent

    decoder = model.class_decoder()
    if decoder is None:
        raise CLIError(
            f"--label A --label B: {model.name}'s generator has no class vector to go "
            "between. Give one --label."
        )
    embed, decode = decoder
    a, b = embed(classes[:1]), embed(classes[1:])
    path = np.asarray(latent.interpolate(a[0], b[0], args.steps, "lerp"))  # [steps, e]
    vectors = np.tile(path, (len(z), 1))
    samples = decode(np.repeat(np.asarray(z), args.steps, axis=0), vectors)
    title = f"class {classes[0]} -> {classes[1]} (lerp of the class vectors): seeds {args.start}+r"
    return samples, title, [f"seed {args.start + r}" for r in range(len(z))]


def _between_layers(model, caps, z0, args):
    """Row r: every layer at the w of seed FROM+r, the layers START:STOP going to seed TO+r's."""
    import numpy as np

    from keras_gan import latent

    parts = args.layers.split(":")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        raise CLIError(f"--layers must be START:STOP, e.g. 0:4. Received: {args.layers!r}")
    z1 = np.concatenate([model.sample_latents(1, args.end + r) for r in range(args.rows)])
    w0, w1 = model.to_space(z0, "w"), model.to_space(z1, "w")
    try:
        ws = latent.layer_path(w0, w1, args.steps, caps.style_layers, [int(p) for p in parts])
    except ValueError as e:
        raise CLIError(f"--layers: {e}") from e
    ws = np.asarray(ws)
    samples = model.decode_space(ws.reshape(-1, *ws.shape[2:]), "w")
    title = (
        f"lerp in W, layers {args.layers} of {caps.style_layers}: seeds {args.start}+r -> "
        f"{args.end}+r"
    )
    return samples, title
