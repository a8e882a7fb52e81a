"""Faults a user meets (#38): two trainings in one run directory, a rerun after every checkpoint
was found damaged, Ctrl-C and SIGTERM, advice after a NaN with no checkpoint."""

import fcntl
import os
import shutil
import signal
import subprocess
import sys

import pytest

from keras_gan import callbacks, files, runs
from keras_gan.cli import main

RING = {"steps": 4, "batch_size": 16, "checkpoint_every": 2}


def _cli(*argv):
    return main([str(a) for a in argv])


def test_a_second_training_of_a_run_directory_is_refused_at_once(tmp_path):
    out = tmp_path / "run"
    with runs.RunLock(out):
        with pytest.raises(
            runs.RunError,
            match=rf"{out} is being trained by another process \(pid {os.getpid()} on ",
        ):
            runs.train("gan-ring8", out=str(out), **RING)
        assert not (out / "config.json").exists()  # refused before anything was written
    assert not out.exists()  # the refused attempt's lock created it; nothing else was written
    runs.train("gan-ring8", out=str(out), **RING)
    # Released on return: the lock file stays, free to take.
    with open(out / runs.LOCK_FILE) as f:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)


def test_a_run_with_only_damaged_checkpoints_is_never_silently_restarted(tmp_path, capsys):
    out = tmp_path / "run"
    runs.train("gan-ring8", out=str(out), **RING)
    model_bytes = (out / "model.keras").read_bytes()
    for name in os.listdir(out / "checkpoints"):
        (out / "checkpoints" / name).write_bytes(b"truncated")
    more = {**RING, "steps": 6}
    with pytest.raises(ValueError, match="(?s)could be read.*pass --restart"):
        runs.train("gan-ring8", out=str(out), **more)
    # The same command again (the damaged files are now aside): refused the same way.
    with pytest.raises(ValueError, match="an earlier attempt moved .* aside as damaged.*--restart"):
        runs.train("gan-ring8", out=str(out), **more)
    assert (out / "model.keras").read_bytes() == model_bytes
    # A model but no checkpoint at all: refused too.
    os.rename(out / "checkpoints", tmp_path / "moved")
    with pytest.raises(runs.RunError, match="holds a trained model.keras but no checkpoint"):
        runs.train("gan-ring8", out=str(out), **more)
    assert (out / "model.keras").read_bytes() == model_bytes
    os.rename(tmp_path / "moved", out / "checkpoints")
    capsys.readouterr()
    model = runs.train("gan-ring8", out=str(out), restart=True, **more)
    assert model.step == 6
    assert "Restarting from step 0" in capsys.readouterr().out
    assert (out / "model.keras.before-restart").read_bytes() == model_bytes


def test_ctrl_c_is_one_line_and_exit_130(tmp_path, monkeypatch, capsys):
    def interrupt(self, batch, logs=None):
        if batch == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(callbacks.ProgressLine, "on_train_batch_end", interrupt)
    out = tmp_path / "run"
    assert (
        _cli(
            "train",
            "gan-ring8",
            "--steps",
            10,
            "--checkpoint-every",
            2,
            "--batch-size",
            16,
            "--out",
            out,
        )
        == 130
    )
    err = capsys.readouterr().err
    assert err == (
        "keras-gan train: stopped at step 3; checkpoint step 2 kept; the same command resumes.\n"
    )
    with open(out / runs.LOCK_FILE) as f:  # released
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)


def test_nan_before_any_checkpoint_advises_what_works(tmp_path, capsys):
    out = tmp_path / "run"
    code = _cli(
        "train",
        "gan-ring8",
        "--steps",
        6,
        "--checkpoint-every",
        5,
        "--batch-size",
        16,
        "--set",
        "learning_rate=1e30",
        "--out",
        out,
        "--on-nan",
        "rollback",
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "step None" not in err and "No checkpoint was written before it" in err
    assert "--set learning_rate=" in err and "new --out" in err


def test_sigterm_stops_training_cleanly_with_exit_143(tmp_path):
    out = tmp_path / "run"
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "keras_gan.cli",
            "train",
            "gan-ring8",
            "--steps",
            "100000",
            "--checkpoint-every",
            "20",
            "--log-every",
            "20",
            "--batch-size",
            "16",
            "--out",
            str(out),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    for line in process.stdout:  # wait until it trains
        if line.startswith("step "):
            break
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 143, err
    assert "Traceback" not in err
    assert (
        err.startswith("keras-gan train: stopped at step ") and "the same command resumes." in err
    )
    with open(out / runs.LOCK_FILE) as f:  # released
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)


def test_config_json_is_validated_key_by_key(tmp_path):
    run = runs.RunDir(tmp_path)
    (tmp_path / "config.json").write_text('{"model": 3, "data": "ring8"}')
    with pytest.raises(runs.RunError, match=r"'model' must be a string. Received: 3"):
        run.config()
    (tmp_path / "config.json").write_text('{"model": "gan-ring8", "overrides": [1]}')
    with pytest.raises(runs.RunError, match=r"'overrides' must be an object or null"):
        run.config()
    assert _cli("export", tmp_path, "--serving-dir", tmp_path / "s") == 2  # no traceback


def test_a_model_keras_from_another_run_is_refused(tmp_path, capsys):
    ring, grid = tmp_path / "ring", tmp_path / "grid"
    runs.train("gan-ring8", out=str(ring), **RING)
    runs.train("gan-grid25", out=str(grid), **RING)
    os.replace(grid / "model.keras", ring / "model.keras")
    with pytest.raises(
        runs.RunError, match="holds the model 'gan_grid25', but .* trains 'gan-ring8'"
    ):
        runs.RunDir(ring).load_model()
    capsys.readouterr()
    assert _cli("export", ring, "--serving-dir", tmp_path / "serving") == 2
    assert "the files of two runs were mixed" in capsys.readouterr().err
    assert not (tmp_path / "serving").exists()


@pytest.mark.parametrize(
    "argv, message",
    [
        (("sample", "RUN", "--n", 10**9), "--n must be at most 10,000 (one picture;"),
        (("sample", "RUN", "--scale", 1000), "--scale must be at most 64"),
        (("evaluate", "RUN", "--n", 1), "--n must be at least 2 (FID and KID need two samples"),
        (("evaluate", "RUN", "--n", 10**6), "--n must be at most 100,000"),
        (("export", "RUN", "--serving-dir", "S", "--version", 10**20), "at most 2**63 - 1"),
    ],
)
def test_requests_are_bounded_before_anything_is_loaded(tmp_path, capsys, argv, message):
    if argv[0] == "export":  # export checks the version once the model is loaded
        runs.train("gan-ring8", out=str(tmp_path / "RUN"), **RING)
    argv = [str(tmp_path / a) if a in ("RUN", "S") else a for a in argv]
    capsys.readouterr()
    assert _cli(*argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "S").exists()


@pytest.mark.parametrize("command", ["train", "sample", "evaluate", "export", "board", "list"])
def test_help_states_each_default_once_and_never_a_flags(command, capsys):
    with pytest.raises(SystemExit):
        _cli(command, "--help")
    text = " ".join(capsys.readouterr().out.split())  # help lines are wrapped
    for wrong in ("(default: None)", "(default: False)", "(default: True)", ") (default"):
        assert wrong not in text, (wrong, text)
    if command == "train":
        assert "--seed SEED seeds the weights and the data order (default: 0)" in text
        assert "(default: the preset's length)" in text


def test_a_full_disk_stops_training_keeping_the_last_checkpoint(tmp_path, monkeypatch, capsys):
    real, calls = shutil.disk_usage, []

    def usage(path):  # the disk fills after the first checkpoint
        calls.append(path)
        return real(path)._replace(free=0) if len(calls) > 1 else real(path)

    monkeypatch.setattr(files.shutil, "disk_usage", usage)
    out = tmp_path / "run"
    argv = ("train", "gan-ring8", "--steps", 6, "--checkpoint-every", 2, "--batch-size", 16)
    assert _cli(*argv, "--out", out) == 2
    err = capsys.readouterr().err
    assert "error: No space left on device: the checkpoint of step 4 needs about" in err
    assert "run the same command again" in err and "Traceback" not in err
    assert sorted(os.listdir(out / "checkpoints")) == ["ckpt-000000002.weights.h5"]
    monkeypatch.setattr(files.shutil, "disk_usage", real)
    assert _cli(*argv, "--out", out) == 0  # space again: it resumes
    assert "Resuming gan-ring8 at step 2" in capsys.readouterr().out


def test_a_real_full_disk(tmp_path, capsys):
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        code = _cli(
            "train", "gan-ring8", "--steps", 30, "--checkpoint-every", 10, "--out", disk / "run"
        )
        err = capsys.readouterr().err
        assert code == 2 and "No space left on device" in err and "Traceback" not in err
        assert os.listdir(disk / "run" / "checkpoints") == []  # no temporary file left
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def test_an_override_of_the_wrong_kind_names_the_key(tmp_path, capsys):
    assert _cli("train", "gan-ring8", "--set", "latent_dim=abc", "--out", tmp_path / "r") == 2
    err = capsys.readouterr().err
    assert "Override 'latent_dim' of 'gan-ring8' must be an integer, like the preset's 2." in err
    assert not (tmp_path / "r").exists()


def test_board_refuses_a_port_out_of_range(tmp_path, capsys):
    (tmp_path / "tensorboard").mkdir()
    assert _cli("board", tmp_path, "--port", 99999) == 2
    assert "--port must be in [1, 65535]. Received: 99999" in capsys.readouterr().err


def test_sigterm_to_board_stops_its_tensorboard_too(tmp_path):
    import socket
    import urllib.request

    (tmp_path / "tensorboard").mkdir()
    port = _free_port()
    command = [sys.executable, "-m", "keras_gan.cli", "board", str(tmp_path), "--port", str(port)]
    board = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert board.stdout.readline().startswith("TensorBoard for ")
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as page:
        assert page.status == 200
    board.send_signal(signal.SIGTERM)
    _, err = board.communicate(timeout=60)
    assert board.returncode == 143 and "Traceback" not in err, err
    with pytest.raises(ConnectionRefusedError):  # nothing serves on the port any more
        socket.create_connection(("127.0.0.1", port), timeout=5)
    assert "oneDNN" not in err and "cuda" not in err.lower()


def _free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_inception_weights_offline_is_one_error(monkeypatch):
    import keras

    from keras_gan.metrics.features import InceptionFeatures

    def offline(**kwargs):
        raise Exception("URL fetch failure on https://storage.googleapis.com/...: None")

    monkeypatch.setattr(keras.applications, "InceptionV3", offline)
    with pytest.raises(
        ValueError, match="could not be downloaded .*URL fetch failure.*online"
    ) as e:
        InceptionFeatures("imagenet")
    assert e.value.__cause__ is None and e.value.__suppress_context__


def _folder(path, n, shape=(8, 8, 1)):
    import numpy as np
    import tensorflow as tf

    path.mkdir()
    for i in range(n):
        tf.io.write_file(str(path / f"{i}.png"), tf.io.encode_png(np.full(shape, 40 * i, np.uint8)))
    return path


@pytest.mark.parametrize(
    "argv, message",
    [
        (
            ("cyclegan-digits", "--data", "folder:IMAGES"),
            "cyclegan-digits translates between two domains; folder:",
        ),
        (
            ("gan-ring8", "--data-b", "folder:IMAGES"),
            "--data-b is domain B of a translation model; gan-ring8 trains on one source",
        ),
        (
            ("dcgan-digits", "--batch-size", 100000),
            "'digits' has 1797 examples, fewer than one batch of 100000",
        ),
    ],
)
def test_data_the_model_cannot_use_is_refused_before_training(tmp_path, capsys, argv, message):
    images = _folder(tmp_path / "images", 3)
    argv = [str(a).replace("IMAGES", str(images)) for a in argv]
    assert _cli("train", *argv, "--steps", 1, "--out", tmp_path / "run") == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "run").exists()


def test_the_first_eta_does_not_count_the_compilation():
    class Model:
        step = 0

    now = [0.0]
    lines = []
    progress = callbacks.ProgressLine(
        total=100, every_n_steps=1, print_fn=lambda s, **k: lines.append(s)
    )
    progress.set_model(Model())
    progress.on_train_begin()
    progress._clock = lambda: now[0]
    for step, seconds in ((1, 100.0), (2, 1.0), (3, 1.0)):  # the first step compiles for 100 s
        now[0] += seconds
        Model.step = step
        progress.on_train_batch_end(step - 1, {"loss": 0.5})
    assert lines[0].endswith("? steps/s  ETA ?")
    assert lines[-1].endswith("1.00 steps/s  ETA 1m37s"), lines  # 97 steps left at 1 step/s


def test_a_served_png_bomb_is_refused_from_its_header():
    import struct
    import zlib

    import numpy as np
    import tensorflow as tf

    from tests.harness import build_tiny

    png = build_tiny("cyclegan-digits").serving_signatures()["png_a_to_b"].function

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    # 20000 x 20000 grey declared, a few bytes of data: decoding would allocate 400 MB.
    bomb = b"\x89PNG\r\n\x1a\n" + chunk(
        b"IHDR", struct.pack(">IIBBBBB", 20000, 20000, 8, 0, 0, 0, 0)
    )
    bomb += chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b"")
    with pytest.raises(tf.errors.InvalidArgumentError, match="must be 8x8 \\(its header says"):
        png(images_bytes=tf.constant([bomb]))
    big_jpeg = tf.io.encode_jpeg(np.zeros((16, 16, 1), np.uint8)).numpy()
    with pytest.raises(tf.errors.InvalidArgumentError, match="its header says"):
        png(images_bytes=tf.constant([big_jpeg]))
    good = [
        tf.io.encode_jpeg(np.zeros((8, 8, 1), np.uint8)),
        tf.io.encode_png(np.zeros((8, 8, 1), np.uint8)),
    ]
    out = png(images_bytes=tf.stack(good))["images_bytes"]
    assert [tf.io.decode_png(x).shape for x in out] == [(8, 8, 1)] * 2


def test_an_export_killed_while_writing_leaves_nothing_behind_the_next(tmp_path):
    from tests.harness import build_tiny

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a pid whose process has exited
    stale = tmp_path / "m" / f".tmp-{gone.pid}-1-abcd"
    stale.mkdir(parents=True)
    (stale / "saved_model.pb").write_bytes(b"half")
    live = tmp_path / "m" / f".tmp-{os.getpid()}-2-efgh"  # an export still running
    live.mkdir()
    from keras_gan import export

    export.export_generator(build_tiny("gan-ring8"), str(tmp_path), "m")
    assert sorted(os.listdir(tmp_path / "m")) == [live.name, "1"]


def test_paths_in_errors_are_the_ones_the_user_gave(tmp_path, capsys):
    runs.train("gan-ring8", out=str(tmp_path / "run"), **RING)
    capsys.readouterr()
    assert _cli("sample", tmp_path / "run", "--out", "/proc/x.png") == 2
    assert "cannot use /proc/x.png: No such file or directory" in capsys.readouterr().err
    (tmp_path / "file").write_text("")
    assert _cli("train", "gan-ring8", "--out", tmp_path / "file") == 2
    assert f"{tmp_path / 'file'} is a file, not a run directory" in capsys.readouterr().err
    assert (
        _cli(
            "train",
            "dcgan-digits",
            "--data",
            f"folder:{tmp_path / 'file'}",
            "--out",
            tmp_path / "r",
        )
        == 2
    )
    assert "is a file, not a folder: folder:PATH takes a folder" in capsys.readouterr().err
