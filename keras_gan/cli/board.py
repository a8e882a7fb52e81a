"""`keras-gan board RUN_DIR`: TensorBoard on a run's logs at 127.0.0.1."""

import os
import subprocess
import sys

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
    """Runs TensorBoard on the run's logs at 127.0.0.1 until Ctrl-C."""
    if not 1 <= args.port <= 65535:
        raise CLIError(f"--port must be in [1, 65535]. Received: {args.port}")
    log_dir = os.path.join(args.run_dir, "tensorboard")
    if not os.path.isdir(log_dir):
        raise CLIError(f"No TensorBoard logs in {log_dir}: train with --out {args.run_dir} first.")
    command = [
        sys.executable,
        "-m",
        "tensorboard.main",
        "--logdir",
        log_dir,
        "--host",
        "127.0.0.1",
        "--port",
        str(args.port),
    ]
    env = dict(os.environ)
    if not args.verbose:  # TensorFlow's start-up lines in the child too
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    server = subprocess.Popen(command, env=env)
    print(
        f"TensorBoard for {args.run_dir}: http://127.0.0.1:{args.port}/  (Ctrl-C stops it)",
        flush=True,
    )
    try:
        code = server.wait()
    except KeyboardInterrupt as stop:  # Ctrl-C, or SIGTERM (`Terminated`): never orphan it
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        print("TensorBoard stopped.")
        if isinstance(stop, Terminated):
            raise
        return 0
    if code:
        raise CLIError(
            f"TensorBoard exited with status {code} (is port {args.port} in use? Try --port)."
        )
    return 0
