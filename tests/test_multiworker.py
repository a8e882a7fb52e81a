"""MultiWorkerMirroredStrategy on one machine: two worker processes on 127.0.0.1.

Two `keras-gan train --strategy multiworker` processes, each with its own
TF_CONFIG, train 20 steps; both must end with the same weights, equal to one
process training on the same global batches, and only the chief may write.
"""

import json
import os
import socket
import subprocess
import sys

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Runs `keras-gan train` in-process (to keep the final weights) in float64:
# 1 and 2 workers add partial sums in another order, and in float32 Adam
# amplifies that rounding (we measured 5e-5 after 20 steps of gan-ring8); in
# float64 any difference above 1e-5 is a real discrepancy.
_WORKER = r"""
import sys
import keras
import numpy as np
from keras_gan import runs
from keras_gan.cli import build_parser, train
keras.config.set_dtype_policy("float64")
args = build_parser().parse_args(sys.argv[2:])
model = runs.train(args.name, **train.options(args))
np.savez(sys.argv[1], *model.get_weights())
"""


def _free_ports(n):
    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def test_two_workers_equal_one_process_and_only_the_chief_writes(tmp_path):
    # ~16 s on an idle 2-core machine: in `make test`.
    train = [
        "train",
        "gan-ring8",
        "--steps",
        "20",
        "--batch-size",
        "64",
        "--checkpoint-every",
        "10",
    ]
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", PYTHONPATH=REPO)
    env.pop("TF_CONFIG", None)
    cluster = {"worker": [f"127.0.0.1:{port}" for port in _free_ports(2)]}
    run_dir = tmp_path / "run"
    procs = []
    for index in range(2):
        cwd = tmp_path / f"cwd{index}"
        cwd.mkdir()
        worker_env = dict(
            env,
            TF_CONFIG=json.dumps({"cluster": cluster, "task": {"type": "worker", "index": index}}),
        )
        procs.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    _WORKER,
                    str(tmp_path / f"worker{index}.npz"),
                    *train,
                    "--strategy",
                    "multiworker",
                    "--out",
                    str(run_dir),
                ],
                cwd=cwd,
                env=worker_env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
        )
    outputs = [p.communicate(timeout=600)[0] for p in procs]
    for p, out in zip(procs, outputs):
        assert p.returncode == 0, out[-3000:]
    subprocess.run(
        [
            sys.executable,
            "-c",
            _WORKER,
            str(tmp_path / "single.npz"),
            *train,
            "--out",
            str(tmp_path / "single"),
        ],
        env=env,
        check=True,
        capture_output=True,
        timeout=600,
    )

    chief, worker, single = (
        np.load(tmp_path / f"{n}.npz") for n in ("worker0", "worker1", "single")
    )
    assert len(chief.files) == len(single.files) > 0
    for key in chief.files:
        np.testing.assert_array_equal(chief[key], worker[key])
        assert np.max(np.abs(chief[key] - single[key])) <= 1e-5, key
    assert "2 replica(s)" in outputs[0] and "worker 1 (not writing)" in outputs[1]
    # Only the chief wrote: the run directory has its files, the other worker left nothing anywhere.
    assert sorted(os.listdir(run_dir / "checkpoints")) == [
        "ckpt-000000010.weights.h5",
        "ckpt-000000020.weights.h5",
    ]
    for path in ("config.json", "model.keras", "samples/step_0000020.png"):
        assert (run_dir / path).exists(), path
    assert os.listdir(run_dir / "tensorboard" / "train")
    assert not os.listdir(tmp_path / "cwd0") and not os.listdir(tmp_path / "cwd1")
