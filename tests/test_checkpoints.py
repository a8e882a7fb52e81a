"""Step checkpoints: atomic writes, the last K kept, no non-finite state, exact resume after
SIGKILL."""

import os
import signal
import subprocess
import sys
import time

import h5py
import numpy as np
import pytest

from keras_gan.checkpoints import Checkpoints, state_is_finite
from tests.harness import build_tiny, max_weight_diff, synthetic_dataset


def _trained(name="gan-ring8", steps=2):
    model = build_tiny(name)
    model.fit(synthetic_dataset(model, 8, steps), epochs=1, verbose=0)
    return model


def test_save_keeps_the_last_k_and_restores_everything(tmp_path):
    model = _trained()
    ckpts = Checkpoints(str(tmp_path), keep=2)
    for step in (1, 2, 3):
        ckpts.save(model, step)
    assert ckpts.steps() == [2, 3]
    assert sorted(os.listdir(tmp_path)) == [
        "ckpt-000000002.weights.h5",
        "ckpt-000000003.weights.h5",
    ]
    fresh = build_tiny("gan-ring8")
    assert ckpts.restore(fresh) == 3
    for net in ("generator", "discriminator"):
        assert (
            max_weight_diff(getattr(fresh, net).get_weights(), getattr(model, net).get_weights())
            == 0
        )
    for opt in ("g_optimizer", "d_optimizer"):
        assert (
            max_weight_diff(
                [v.numpy() for v in getattr(fresh, opt).variables],
                [v.numpy() for v in getattr(model, opt).variables],
            )
            == 0
        )
    assert int(fresh.d_optimizer.iterations) == 2 * model.n_critic


def test_a_failed_write_leaves_the_previous_checkpoints(tmp_path, monkeypatch):
    model = _trained()
    ckpts = Checkpoints(str(tmp_path), keep=3)
    ckpts.save(model, 1)
    before = (tmp_path / "ckpt-000000001.weights.h5").read_bytes()

    def dies_half_way(path):
        with open(path, "wb") as f:
            f.write(b"half a file")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(model, "save_weights", dies_half_way)
    with pytest.raises(OSError, match="No space"):
        ckpts.save(model, 2)
    assert os.listdir(tmp_path) == ["ckpt-000000001.weights.h5"]
    assert (tmp_path / "ckpt-000000001.weights.h5").read_bytes() == before


def test_non_finite_state_is_never_written(tmp_path):
    model = _trained()
    ckpts = Checkpoints(str(tmp_path))
    ckpts.save(model, 1)
    kernel = model.discriminator.weights[0]
    kernel.assign(np.full(kernel.shape, np.nan, np.float32))
    assert not state_is_finite(model)
    with pytest.raises(ValueError, match="Not saving step 2.*last good checkpoint is step 1"):
        ckpts.save(model, 2)
    assert ckpts.steps() == [1]


def test_a_damaged_latest_checkpoint_falls_back_to_the_previous(tmp_path, capsys):
    model = _trained()
    ckpts = Checkpoints(str(tmp_path))
    ckpts.save(model, 1)
    (tmp_path / "ckpt-000000002.weights.h5").write_bytes(b"garbage")
    fresh = build_tiny("gan-ring8")
    assert ckpts.restore(fresh) == 1
    out = capsys.readouterr().out
    assert (
        "ckpt-000000002.weights.h5" in out
        and "moved to ckpt-000000002.weights.h5.unreadable" in out
    )
    # Moved aside, not deleted: a later save of step 2 is not skipped as "already there".
    assert (tmp_path / "ckpt-000000002.weights.h5.unreadable").read_bytes() == b"garbage"
    assert ckpts.steps() == [1]
    ckpts.save(model, 2)
    assert ckpts.steps() == [1, 2]


def test_save_never_deletes_what_it_has_just_written(tmp_path):
    model = _trained()
    ckpts = Checkpoints(str(tmp_path), keep=1)
    (tmp_path / "ckpt-000000003.weights.h5").write_bytes(b"a stale, later step")
    path = ckpts.save(model, 2)  # e.g. after a rollback: step 2 is the newest state
    assert os.path.exists(path) and ckpts.steps() == [2]


def _weights(path):
    out = {}
    with h5py.File(path) as f:
        f.visititems(
            lambda k, v: out.__setitem__(k, v[()]) if isinstance(v, h5py.Dataset) else None
        )
    return out


@pytest.mark.slow
def test_sigkill_then_rerun_equals_an_uninterrupted_run(tmp_path):
    """`keras-gan train` killed with SIGKILL mid-run, run again: bit-identical to one uninterrupted
    run."""
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")

    def command(out):
        return [
            sys.executable,
            "-m",
            "keras_gan.cli",
            "train",
            "wgan-gp-ring8",
            "--steps",
            "60",
            "--checkpoint-every",
            "10",
            "--deterministic",
            "--batch-size",
            "64",
            "--out",
            str(out),
        ]

    subprocess.run(
        command(tmp_path / "full"), check=True, env=env, capture_output=True, timeout=600
    )
    killed = tmp_path / "killed"
    proc = subprocess.Popen(
        command(killed), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    target = killed / "checkpoints" / "ckpt-000000020.weights.h5"
    deadline = time.time() + 300
    while not target.exists() and proc.poll() is None and time.time() < deadline:
        time.sleep(0.01)
    time.sleep(0.05)  # somewhere between two checkpoints (or inside a write)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    steps = Checkpoints(str(killed / "checkpoints")).steps()
    assert steps and steps[-1] < 60, steps  # it really was interrupted
    subprocess.run(command(killed), check=True, env=env, capture_output=True, timeout=600)
    full = _weights(tmp_path / "full" / "checkpoints" / "ckpt-000000060.weights.h5")
    resumed = _weights(killed / "checkpoints" / "ckpt-000000060.weights.h5")
    assert sorted(full) == sorted(resumed)
    for key in full:
        np.testing.assert_array_equal(resumed[key], full[key], err_msg=key)


def test_every_optimizer_of_the_model_is_checked_for_finiteness():
    model = _trained("meg-ring8")  # MEG holds a third optimizer, for the statistics network
    assert state_is_finite(model)
    slot = model.t_optimizer.variables[-1]
    slot.assign(np.full(slot.shape, np.inf, slot.dtype))
    assert not state_is_finite(model)


def test_restore_says_when_the_checkpoint_rate_replaces_the_model_rate(tmp_path, capsys):
    model = _trained()
    model.g_optimizer.learning_rate = 5e-5  # e.g. lowered by a rollback before this checkpoint
    ckpts = Checkpoints(str(tmp_path))
    ckpts.save(model, 1)
    fresh = build_tiny("gan-ring8")  # the preset's 2e-4
    assert ckpts.restore(fresh) == 1
    out = capsys.readouterr().out
    assert "g_optimizer: the checkpoint's learning rate 5e-05 is used, not 0.0002" in out, out
    assert "d_optimizer" not in out
    assert float(fresh.g_optimizer.learning_rate) == pytest.approx(5e-5)


def test_a_whole_checkpoint_of_another_model_is_refused_not_moved(tmp_path):
    ckpts = Checkpoints(str(tmp_path))
    ckpts.save(_trained(), 1)
    other = build_tiny("gan-ring8", depth=2)  # another architecture: the file does not fit it
    with pytest.raises(ValueError, match="does not match the model being resumed"):
        ckpts.restore(other)
    assert ckpts.steps() == [1]  # kept under its name
