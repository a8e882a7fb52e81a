"""`keras-gan board RUN_DIR`: TensorBoard on a run's logs at 127.0.0.1."""

import os
import time

from keras_gan.cli.common import CLIError, Terminated, add_command, add_run_dir


def add_parser(subparsers, parents):
    parser = add_command(
        subparsers,
        "board",
        parents,
        "run TensorBoard on a run's logs at 127.0.0.1 (Ctrl-C stops it)",
        ["keras-gan board runs/dcgan-mnist --port 6007"],
    )
    add_run_dir(parser)
    parser.add_argument(
        "--port", type=int, default=6006, help="port on 127.0.0.1 (default: %(default)s)"
    )


def run(args):
    """Serves TensorBoard on the run's logs at 127.0.0.1 from this process until Ctrl-C (exit 0)
    or SIGTERM (exit 143). In-process (TensorBoard's `program.TensorBoard`), so no server is
    left behind however the command ends, and TensorFlow's start-up lines stay hidden."""
    if not 1 <= args.port <= 65535:
        raise CLIError(f"--port must be in [1, 65535]. Received: {args.port}")
    log_dir = os.path.join(args.run_dir, "tensorboard")
    if not os.path.isdir(log_dir):
        raise CLIError(f"No TensorBoard logs in {log_dir}: train with --out {args.run_dir} first.")
    from tensorboard import program

    board = program.TensorBoard()
    board.configure(logdir=log_dir, host="127.0.0.1", port=args.port)
    try:
        url = board.launch()  # serves from a daemon thread
    except program.TensorBoardServerException as e:
        raise CLIError(f"TensorBoard cannot serve on 127.0.0.1:{args.port}: {e.msg} Try --port.")
    print(f"TensorBoard for {args.run_dir}: {url}  (Ctrl-C stops it)", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt as stop:  # Ctrl-C, or SIGTERM (`Terminated`)
        print("TensorBoard stopped.")
        if isinstance(stop, Terminated):
            raise
        return 0
