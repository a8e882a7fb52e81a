"""`keras-gan train NAME`: train a preset into a run directory (`keras_gan.runs.train`)."""

from keras_gan.cli.common import (
    CLIError,
    add_command,
    add_overrides_option,
    check_positive,
    parse_overrides,
)
from keras_gan.runs import STRATEGIES

EXAMPLES = [
    "keras-gan train gan-ring8",
    "keras-gan train dcgan-mnist --steps 10000 --out runs/mine",
    "keras-gan train gan-ring8 --set pack=2 --set lr_decay=0.5 --out runs/pac2",
    "keras-gan train cyclegan-digits --out runs/translate",
    "keras-gan train cyclegan-horse2zebra --data folder:horses --data-b folder:zebras",
]


def add_parser(subparsers, parents):
    p = add_command(
        subparsers, "train", parents, "train a preset (resumes an existing run directory)", EXAMPLES
    )
    p.add_argument("name", help="a preset (keras-gan list)")
    p.add_argument(
        "--data",
        help="data source (default: the preset's); for translation: domain "
        "A, or a two-domain source (digits_pair, mnist_pair, digits_tone_pair, "
        "mnist_tone_pair, tfds:cycle_gan/NAME)",
    )
    p.add_argument(
        "--data-b", help="translation models: the data source of domain B (e.g. folder:ZEBRAS)"
    )
    p.add_argument("--data-dir", help="folder of the data files (mnist, tfds)")
    length = p.add_mutually_exclusive_group()
    length.add_argument(
        "--steps", type=int, help="generator updates to train (default: the preset's length)"
    )
    length.add_argument("--epochs", type=int, help="epochs of the preset's steps_per_epoch")
    p.add_argument(
        "--batch-size",
        type=int,
        help="global batch per discriminator update (default: the preset's)",
    )
    p.add_argument("--out", help="run directory (default: runs/NAME)")
    p.add_argument(
        "--seed",
        type=int,
        default=0,
        help="seeds the weights and the data order (default: %(default)s)",
    )
    add_overrides_option(p)
    p.add_argument(
        "--strategy",
        default="default",
        choices=STRATEGIES,
        help="tf.distribute strategy: default (this device), mirrored (every local device), "
        "multiworker (the cluster in TF_CONFIG) or tpu (default: %(default)s)",
    )
    p.add_argument("--tpu", help="TPU name or address for --strategy tpu")
    p.add_argument(
        "--startup-timeout",
        type=float,
        default=300,
        help="--strategy multiworker: seconds to wait for every worker of the cluster "
        "(default: %(default)s)",
    )
    p.add_argument(
        "--checkpoint-every", type=int, help="steps between checkpoints (default: an epoch)"
    )
    p.add_argument(
        "--keep-checkpoints",
        type=int,
        default=3,
        help="how many recent checkpoints to keep (>= 1; default: %(default)s)",
    )
    p.add_argument(
        "--on-nan",
        default="stop",
        choices=["stop", "rollback"],
        help="on a NaN/inf loss: stop, or roll back to the last checkpoint with lower "
        "learning rates (default: %(default)s)",
    )
    p.add_argument(
        "--rollback-lr-factor",
        type=float,
        default=0.5,
        help="with --on-nan rollback: multiply the learning rates by this on each "
        "rollback, in (0, 1] (default: %(default)s)",
    )
    p.add_argument(
        "--max-rollbacks",
        type=int,
        default=3,
        help="with --on-nan rollback: give up after this many rollbacks (default: %(default)s)",
    )
    p.add_argument(
        "--mixed-precision",
        nargs="?",
        const="float16",
        choices=["float16", "bfloat16"],
        help="train with Keras's mixed_float16 (the flag alone) or mixed_bfloat16 policy",
    )
    jit = p.add_mutually_exclusive_group()
    jit.add_argument(
        "--jit-compile",
        dest="jit_compile",
        action="store_true",
        default=None,
        help="compile train steps with XLA (default: the preset's setting)",
    )
    jit.add_argument("--no-jit-compile", dest="jit_compile", action="store_false")
    p.add_argument(
        "--log-every",
        type=int,
        help="under a pipe or in a log: a progress line every N steps (default: ~50 lines a run)",
    )
    p.add_argument(
        "--restart",
        action="store_true",
        help="train a run directory whose checkpoints are all unreadable, or that has a model but "
        "no checkpoint, again from step 0 (refused without it; the old model.keras is kept as "
        "model.keras.before-restart)",
    )
    p.add_argument(
        "--deterministic",
        action="store_true",
        help="enable TensorFlow op determinism (bit-exact resume; slower)",
    )


def options(args):
    """`keras_gan.runs.train`'s keyword arguments from the parsed command line, checked."""
    check_positive(
        args, "steps", "epochs", "batch_size", "checkpoint_every", "keep_checkpoints", "log_every"
    )
    if not 0 < args.rollback_lr_factor <= 1:
        raise CLIError(
            f"--rollback-lr-factor must be in (0, 1]. Received: {args.rollback_lr_factor}"
        )
    if args.max_rollbacks < 0:
        raise CLIError(f"--max-rollbacks must be >= 0. Received: {args.max_rollbacks}")
    keys = (
        "out",
        "data",
        "data_b",
        "data_dir",
        "steps",
        "epochs",
        "batch_size",
        "seed",
        "strategy",
        "tpu",
        "startup_timeout",
        "checkpoint_every",
        "keep_checkpoints",
        "on_nan",
        "rollback_lr_factor",
        "max_rollbacks",
        "mixed_precision",
        "jit_compile",
        "log_every",
        "deterministic",
        "restart",
    )
    return {**{k: getattr(args, k) for k in keys}, "overrides": parse_overrides(args.overrides)}


def run(args):
    from keras_gan import runs

    runs.train(args.name, **options(args))
    return 0
