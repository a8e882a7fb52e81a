"""The `keras-gan` command: one module per command, each parsing its arguments and printing.

The work itself is done by the library (`keras_gan.runs`, `keras_gan.metrics`,
`keras_gan.export`). `--help` and argument errors are answered without importing TensorFlow.
"""

import argparse
import errno
import os
import signal
import sys
import threading

from keras_gan.cli import (
    arithmetic,
    board,
    evaluate,
    export,
    import_checkpoint,
    interpolate,
    presets,
    project,
    sample,
    stats,
    train,
)
from keras_gan.cli.common import CLIError, Terminated, terminate
from keras_gan.runs import RunError

COMMANDS = {
    "list": presets,
    "train": train,
    "sample": sample,
    "interpolate": interpolate,
    "arithmetic": arithmetic,
    "project": project,
    "evaluate": evaluate,
    "stats": stats,
    "import": import_checkpoint,
    "export": export,
    "board": board,
}
EXAMPLES = [
    "keras-gan list",
    "keras-gan train dcgan-digits",
    "keras-gan sample runs/dcgan-digits",
    "keras-gan board runs/dcgan-digits",
    "keras-gan export runs/dcgan-digits --serving-dir serving",
]

__all__ = ["CLIError", "COMMANDS", "build_parser", "main"]


def _version():
    """The package version, read without importing TensorFlow."""
    from importlib import metadata

    try:
        return metadata.version("keras-gan")
    except metadata.PackageNotFoundError:
        return "unknown"


def _import_tensorflow(verbose=False):
    """Imports TensorFlow and the API once a command needs them.

    Without `--verbose`, TensorFlow's C++ start-up lines (oneDNN, CPU features, "could not find
    CUDA drivers") are not shown: its log level is set before the import (unless
    TF_CPP_MIN_LOG_LEVEL is set already) and the lines it writes while loading, before that level
    applies, go to /dev/null. An import that fails still raises its error.
    """
    import keras_gan

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "0" if verbose else "3")
    if verbose or "tensorflow" in sys.modules:
        keras_gan._import_all()
        return
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        import keras  # noqa: F401
        import tensorflow  # noqa: F401
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
    keras_gan._import_all()


def build_parser():
    """The `keras-gan` argument parser, one subcommand per module of `COMMANDS`."""
    parser = argparse.ArgumentParser(
        prog="keras-gan",
        description="Train, sample and serve GANs. `keras-gan COMMAND --help` describes a command.",
        epilog="examples:\n" + "\n".join(f"  {line}" for line in EXAMPLES),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"keras-gan {_version()}")
    subparsers = parser.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--verbose", action="store_true", help="show TensorFlow's start-up and C++ log lines"
    )
    for module in COMMANDS.values():
        module.add_parser(subparsers, [common])
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    # SIGTERM (a scheduler, `kill`, preemption) stops a command as Ctrl-C does: the `finally`
    # blocks run (the run directory's lock is released, temporary files removed).
    on_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, terminate) if on_main_thread else None
    try:
        _import_tensorflow(args.verbose)
        return COMMANDS[args.command].run(args)
    except KeyboardInterrupt as e:  # one line, no traceback
        print(f"keras-gan {args.command}: {str(e) or 'stopped.'}", file=sys.stderr)
        return 143 if isinstance(e, Terminated) else 130
    except OSError as e:
        if e.errno == errno.ENOSPC:
            where = f" ({e.filename})" if e.filename else ""
            print(
                f"keras-gan {args.command}: error: {e.strerror}{where}. Nothing already written "
                "was changed: free some space (or choose another folder) and run the same command "
                "again.",
                file=sys.stderr,
            )
        elif e.errno is None:  # raised with a message of ours (e.g. an existing export version)
            print(f"keras-gan {args.command}: error: {e}", file=sys.stderr)
        else:  # a path the system refused: name it
            where = f" {e.filename}" if e.filename else ""
            print(
                f"keras-gan {args.command}: error: cannot use{where}: {e.strerror or e}. Choose "
                "another path.",
                file=sys.stderr,
            )
        return 2
    except (RunError, ValueError) as e:
        print(f"keras-gan {args.command}: error: {e}", file=sys.stderr)
        return 2
    finally:
        if on_main_thread:
            signal.signal(signal.SIGTERM, previous)
