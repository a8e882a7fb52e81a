"""`keras-gan import FORMAT CHECKPOINT --preset NAME --out RUN_DIR`: an authors' checkpoint as a
keras-gan run directory (`keras_gan.convert`)."""

from keras_gan.cli.common import CLIError, add_command, add_overrides_option, parse_overrides


def add_parser(subparsers, parents):
    p = add_command(
        subparsers,
        "import",
        parents,
        "an authors' checkpoint -> a run directory that sample, evaluate and export use",
        [
            "keras-gan import studiogan G_ema.pth --discriminator D.pth --preset biggan-cifar10 "
            "--out runs/biggan-cifar10-studiogan",
            "keras-gan import studiogan G.safetensors --preset sagan-cifar10 --out runs/sagan",
            "keras-gan import cyclegan latest_net_G_A.pth --generator-b latest_net_G_B.pth "
            "--preset cyclegan-horse2zebra --out runs/horse2zebra",
        ],
    )
    p.add_argument("format", help="where the checkpoint comes from: studiogan, cyclegan")
    p.add_argument(
        "checkpoint",
        help="the generator's state dict (.pth/.pt with PyTorch installed, .safetensors, .npz); "
        "an EMA generator's where the authors release one",
    )
    p.add_argument(
        "--discriminator", help="the discriminator's state dict (optional; CycleGAN: D_A)"
    )
    p.add_argument(
        "--generator-b", help="CycleGAN: G_B, the B -> A translator (latest_net_G_B.pth)"
    )
    p.add_argument("--discriminator-b", help="CycleGAN: D_B (optional)")
    p.add_argument("--preset", required=True, help="the preset the checkpoint is a network of")
    p.add_argument("--out", required=True, help="the run directory to write (a new one)")
    add_overrides_option(p)


def run(args):
    from keras_gan.convert.checkpoints import FORMATS, import_checkpoint

    if args.format not in FORMATS:
        raise CLIError(
            f"Unknown checkpoint format {args.format!r}: choose one of {', '.join(FORMATS)}."
        )
    try:
        run_dir = import_checkpoint(
            args.format,
            {
                "generator": args.checkpoint,
                "generator_b": args.generator_b,
                "discriminator": args.discriminator,
                "discriminator_b": args.discriminator_b,
            },
            args.preset,
            args.out,
            overrides=parse_overrides(args.overrides),
        )
    except ValueError as e:
        raise CLIError(str(e)) from e
    print(f"Imported {args.checkpoint} as {args.preset} into {run_dir.path}")
    return 0
