"""`keras-gan sample RUN_DIR`: samples of a trained run as a PNG grid, or translated images."""

import os

from keras_gan.cli.common import (
    CLIError,
    add_command,
    add_run_dir,
    add_sampling_options,
    check_at_most,
    check_positive,
    standing_statistics,
)

EXAMPLES = [
    "keras-gan sample runs/gan-ring8 --n 2500",
    "keras-gan sample runs/cgan-mnist --out grid.png --scale 4",
    "keras-gan sample runs/cgan-mnist --label 7",
    "keras-gan sample runs/biggan-mnist --truncation 0.5",
    "keras-gan sample runs/stylegan-mnist --psi 0.7",
    "keras-gan sample runs/cyclegan-digits --input my_digits/ --direction a2b --out translated/",
]
MAX_PICTURE = 10_000  # samples in one picture (a 100 x 100 grid, or a scatter of 2-D points)


def add_parser(subparsers, parents):
    p = add_command(
        subparsers,
        "sample",
        parents,
        "draw samples of a trained run into a PNG, or translate images",
        EXAMPLES,
    )
    add_run_dir(p)
    p.add_argument("--n", type=int, default=64, help="samples to draw (default: %(default)s)")
    p.add_argument(
        "--out",
        help="PNG path (default: RUN_DIR/samples/sample.png); with --input, a "
        "folder (default: RUN_DIR/translated/DIRECTION)",
    )
    p.add_argument("--seed", type=int, default=0, help="seeds the latents (default: %(default)s)")
    p.add_argument("--label", type=int, help="class-conditional models: draw only class K")
    p.add_argument(
        "--scale",
        type=int,
        help="enlarge images this many times (default: a grid to >= 512 px wide; translated "
        "files keep the input's size)",
    )
    p.add_argument(
        "--input", help="translation models: an image file or a folder of images to translate"
    )
    p.add_argument(
        "--direction",
        default="a2b",
        choices=["a2b", "b2a"],
        help="with --input: a2b (domain A to B) or b2a (default: %(default)s)",
    )
    add_sampling_options(p)
    p.add_argument(
        "--psi", type=float, help="StyleGAN: truncation in W, w_avg + psi (w - w_avg) (e.g. 0.7)"
    )


def _refuse(caps, option, flag, default):
    """Raises the model's reason for refusing `option`, else `default`."""
    why = caps.refusals.get(option)
    raise CLIError(f"{flag}: {why}" if why else default)


def run(args):
    from keras_gan import images, runs

    check_positive(args, "n", "scale")
    check_at_most(
        args, "n", MAX_PICTURE, "one picture; draw more in batches with model.generate in Python"
    )
    check_at_most(args, "scale", 64, "a larger picture is no sharper")
    run_dir = runs.RunDir(args.run_dir)
    model = run_dir.load_model()
    config = run_dir.config()
    caps = model.capabilities()
    if args.input:
        return translate_files(model, args)
    standing_statistics(model, args, config)
    title, column_labels = f"step {model.step}", None
    if args.psi is not None:
        if not caps.psi:
            _refuse(
                caps,
                "psi",
                "--psi",
                f"--psi truncates in W (StyleGAN); {model.name} has no W. Use --truncation for "
                "BigGAN.",
            )
        samples = model.generate(args.n, seed=args.seed, psi=args.psi)
        columns, row_labels = None, None
        title += f", psi {args.psi:g}"
    elif args.truncation is not None or args.label is not None:
        samples, columns, row_labels = drawn_samples(model, caps, args)
        if args.label is not None:
            title = f"class {args.label}, " + title
        if args.truncation is not None:
            title += f", truncation {args.truncation:g}"
    else:
        inputs = runs.preview_inputs(config, model, args.n)
        samples, columns = model.preview(args.n, seed=args.seed, inputs=inputs)
        row_labels = model.preview_labels(args.n)
        column_labels = model.preview_column_labels(args.n)
    out = args.out or os.path.join(run_dir.samples_dir, "sample.png")
    picture = images.picture(
        samples,
        reference=runs.mixture_reference(config.get("data")),
        columns=columns,
        scale=args.scale,
        row_labels=row_labels,
        title=title,
        column_labels=column_labels,
    )
    images.write_png(out, picture)
    print(out)
    return 0


def drawn_samples(model, caps, args):
    """`--label K` (one class) and/or `--truncation T` (latents truncated to |z_i| <= T):
    `(samples, columns, row_labels)`."""
    import numpy as np

    if args.truncation is not None and not caps.truncation:
        _refuse(
            caps,
            "truncation",
            "--truncation",
            f"--truncation truncates latents; {model.name} has none. Drop --truncation.",
        )
    n, columns, row_labels, labels = args.n, None, None, None
    if args.label is not None:
        if not caps.conditional:
            raise CLIError(
                f"--label draws one class of a class-conditional model; {model.name} is not "
                "class-conditional. Drop --label."
            )
        if not 0 <= args.label < caps.num_classes:
            raise CLIError(
                f"--label must be a class in [0, {caps.num_classes - 1}]. Received: {args.label}"
            )
        labels = np.full(n, args.label)
    elif caps.conditional:  # one row per class, as the preview
        columns = max(1, n // caps.num_classes)
        n = columns * caps.num_classes
        labels = np.repeat(np.arange(caps.num_classes), columns)
        row_labels = model.preview_labels(n)
    try:
        samples = model.generate(n, seed=args.seed, labels=labels, truncation=args.truncation)
    except ValueError as e:
        raise CLIError(str(e)) from e
    return samples, columns, row_labels


def translate_files(model, args):
    """`keras-gan sample RUN_DIR --input IMAGE_OR_FOLDER --direction a2b|b2a --out DIR`."""
    import numpy as np

    from keras_gan import data, images

    translations = model.capabilities().translations
    if not translations:
        raise CLIError(
            f"--input translates images; {model.name} generates from latents. Drop --input."
        )
    if args.direction not in translations:
        raise CLIError(
            f"--direction must be one of {', '.join(translations)}. Received: {args.direction}"
        )
    shape = translations[args.direction]
    files = data.image_files(args.input)
    batch = []
    for path in files:
        image = data.read_image(path)
        if image.shape != shape:
            raise CLIError(
                f"{path} is {image.shape[0]}x{image.shape[1]} with {image.shape[2]} channel(s); "
                f"{args.direction} translates {shape[0]}x{shape[1]} images with {shape[2]} "
                "channel(s). Resize or convert it first."
            )
        batch.append(image.astype(np.float32) / 127.5 - 1.0)
    out_dir = args.out or os.path.join(args.run_dir, "translated", args.direction)
    translated = model.translate(np.stack(batch), args.direction)
    try:
        for path, image in zip(files, translated):
            name = os.path.splitext(os.path.basename(path))[0] + ".png"
            # The input's size: translations are data. --scale enlarges them for viewing.
            out = images.to_uint8(image)
            images.write_png(os.path.join(out_dir, name), images.scale_up(out, args.scale or 1))
    except OSError as e:
        raise CLIError(f"Cannot write to {out_dir} ({e.strerror}). Choose another --out.") from e
    size = f"{shape[0] * (args.scale or 1)}x{shape[1] * (args.scale or 1)}"
    print(
        f"Translated {len(files)} image(s) {args.direction} into {out_dir} ({size}"
        + (", enlarged with --scale" if args.scale else "; --scale K enlarges them")
        + ")"
    )
    return 0
