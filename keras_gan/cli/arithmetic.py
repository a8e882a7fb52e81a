"""`keras-gan arithmetic RUN_DIR "0,1,2 - 3,4,5 + 6,7,8"`: DCGAN's vector arithmetic as a figure."""

import os
import re

from keras_gan.cli.common import CLIError, add_command, add_run_dir, check_label, check_space

EXAMPLES = [
    'keras-gan arithmetic runs/dcgan-mnist "11,12,13 - 21,22,23 + 31,32,33"',
    'keras-gan arithmetic runs/stylegan-mnist "1,2,3 - 4,5,6 + 7,8,9" --space w',
]


def add_parser(subparsers, parents):
    p = add_command(
        subparsers,
        "arithmetic",
        parents,
        "add and subtract the mean latents of groups of exemplars (DCGAN's Figure 7)",
        EXAMPLES,
    )
    add_run_dir(p)
    p.add_argument(
        "terms",
        help='groups of seeds joined by + and -, e.g. "0,1,2 - 3,4,5 + 6,7,8": each group\'s '
        "exemplars are the samples of those seeds, averaged in latent space",
    )
    p.add_argument("--space", default="z", help="z, or w for StyleGAN (default: %(default)s)")
    p.add_argument(
        "--neighbours",
        type=int,
        default=7,
        help="samples near the result, its latent plus uniform noise in [-0.25, 0.25] as in "
        "DCGAN's figure, rounded up to fill the last row (default: %(default)s)",
    )
    p.add_argument("--label", type=int, help="class-conditional models: the class of every image")
    p.add_argument("--seed", type=int, default=0, help="seeds the neighbours' noise (default: 0)")
    p.add_argument("--scale", type=int, help="enlarge images this many times")
    p.add_argument("--out", help="PNG path (default: RUN_DIR/samples/arithmetic.png)")


def parse_terms(text):
    """`"0,1,2 - 3,4,5 + 6"` -> `([[0, 1, 2], [3, 4, 5], [6]], [1, -1, 1])`."""
    if not re.fullmatch(r"\s*[+-]?\s*\d+(\s*,\s*\d+)*(\s*[+-]\s*\d+(\s*,\s*\d+)*)*\s*", text):
        raise CLIError(
            'terms must be groups of seeds joined by + and -, e.g. "0,1,2 - 3,4,5 + 6,7,8". '
            f"Received: {text!r}"
        )
    groups, signs = [], []
    for sign, seeds in re.findall(r"([+-]?)\s*(\d+(?:\s*,\s*\d+)*)", text):
        groups.append([int(s) for s in seeds.split(",")])
        signs.append(-1 if sign == "-" else 1)
    return groups, signs


def run(args):
    import numpy as np

    from keras_gan import images, latent, runs

    groups, signs = parse_terms(args.terms)
    if not 0 <= args.neighbours <= 64:
        raise CLIError(f"--neighbours must be in [0, 64]. Received: {args.neighbours}")
    run_dir = runs.RunDir(args.run_dir)
    model = run_dir.load_model()
    caps = model.capabilities()
    check_space(model, caps, args.space)
    check_label(model, caps, args.label, required=True)
    exemplars = [
        model.to_space(np.concatenate([model.sample_latents(1, s) for s in group]), args.space)
        for group in groups
    ]
    result = np.asarray(latent.arithmetic(exemplars, signs))
    # DCGAN's Figure 7: a row per group (its exemplars, then their mean), then the result and its
    # neighbours, wrapped to the same width (the neighbours rounded up to fill the last row).
    width = max(len(g) for g in groups) + 1
    result_rows = -(-(1 + args.neighbours) // width)
    noise = np.random.default_rng(args.seed).uniform(
        -0.25, 0.25, (result_rows * width - 1, len(result))
    )
    rows, labels_text = [], []
    for sign, group, z in zip(signs, groups, exemplars):
        mean = z.mean(axis=0, keepdims=True)
        rows.append(np.concatenate([z, np.repeat(mean, width - len(z), axis=0)]))
        labels_text.append(f"{'+' if sign > 0 else '-'} {','.join(map(str, group))}")
    rows.append(np.concatenate([result[None], result[None] + noise]))
    labels_text += ["= result"] + ["neighbours"] * (result_rows - 1)
    latents = np.concatenate(rows).astype(np.float32)
    labels = None if args.label is None else np.full(len(latents), args.label)
    samples = model.decode_space(latents, args.space, labels)
    out = args.out or os.path.join(run_dir.samples_dir, "arithmetic.png")
    picture = images.picture(
        samples,
        columns=width,
        scale=args.scale,
        row_labels=labels_text,
        title=f"{args.terms} in {args.space}",
    )
    images.write_png(out, picture)
    np.save(os.path.splitext(out)[0] + ".npy", result)
    print(f"{out} (the result's latent: {os.path.splitext(out)[0]}.npy)")
    return 0
