"""MultiWorkerMirroredStrategy on one machine: two worker processes on 127.0.0.1.

Two `keras-gan train --strategy multiworker` processes, each with its own
TF_CONFIG, train 20 steps; both must end with the same weights, equal to one
process training on the same global batches, and only the chief may write.
"""

import json
import os
import signal
import socket
import subprocess
import sys

import numpy as np
import pytest

from keras_gan.runs import RunError
from keras_gan.runs.strategy import check_tf_config

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


@pytest.mark.parametrize(
    "tf_config, message",
    [
        (None, "TF_CONFIG is not set"),
        ("{not json", "TF_CONFIG is not JSON"),
        ('{"cluster": "worker", "task": 3}', '"cluster" must map job names'),
        ('{"cluster": {"worker": ["127.0.0.1"]}, "task": {}}', '"host:port" strings'),
        ('{"cluster": {"worker": ["a:1"]}, "task": {"type": "chief"}}', "name a job of the"),
        ('{"cluster": {"worker": ["a:1"]}, "task": {"type": "worker", "index": 1}}', r"\[0, 0\]"),
    ],
)
def test_a_malformed_tf_config_is_refused_showing_the_shape(tf_config, message):
    with pytest.raises(RunError, match=message) as error:
        check_tf_config(tf_config)
    assert '{"cluster": {"worker": ["host1:port", "host2:port"]}' in str(error.value)


def test_a_worker_that_never_comes_times_out_naming_it(tmp_path):
    own, missing = (f"127.0.0.1:{port}" for port in _free_ports(2))
    env = dict(
        os.environ,
        TF_CPP_MIN_LOG_LEVEL="3",
        TF_CONFIG=json.dumps(
            {"cluster": {"worker": [own, missing]}, "task": {"type": "worker", "index": 0}}
        ),
    )
    command = [sys.executable, "-m", "keras_gan.cli", "train", "gan-ring8", "--strategy"]
    command += ["multiworker", "--startup-timeout", "3", "--out", str(tmp_path / "run")]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert f"did not start within 3 s: no worker answers at {missing}." in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "run").exists()
    # Waiting is interruptible: SIGTERM stops it (a scheduler's preemption), exit 143.
    command[command.index("3")] = "300"
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().startswith(f"Waiting for the cluster's workers at {missing}")
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 143 and err == "keras-gan train: stopped.\n", err
