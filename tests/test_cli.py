"""The `keras-gan` command end to end, in-process, at a few steps."""

import json
import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan import cli


def run(*argv):
    return cli.main([str(a) for a in argv])


def test_list(capsys):
    assert run("list") == 0
    out = capsys.readouterr().out
    for name in ("gan-ring8", "dcgan-digits", "cgan-mnist"):
        assert name in out


def test_train_resume_sample_export(tmp_path, capsys):
    run_dir = tmp_path / "run"
    assert run("train", "gan-ring8", "--steps", 4, "--out", run_dir, "--batch-size", 16) == 0
    config = json.loads((run_dir / "config.json").read_text())
    assert config["model"] == "gan-ring8" and config["batch_size"] == 16
    for path in ("model.keras", "checkpoints/latest.weights.h5", "samples/step_0000004.png"):
        assert (run_dir / path).exists(), path
    assert any(f.startswith("events") for f in os.listdir(run_dir / "tensorboard" / "train"))
    model = keras.models.load_model(run_dir / "model.keras")
    assert int(model.g_optimizer.iterations) == 4

    # The same command again: nothing left to do, nothing lost.
    assert run("train", "gan-ring8", "--steps", 4, "--out", run_dir, "--batch-size", 16) == 0
    assert int(keras.models.load_model(run_dir / "model.keras").g_optimizer.iterations) == 4
    # A longer schedule continues from the checkpoint.
    assert run("train", "gan-ring8", "--steps", 8, "--out", run_dir, "--batch-size", 16) == 0
    assert int(keras.models.load_model(run_dir / "model.keras").g_optimizer.iterations) == 8

    png = tmp_path / "s.png"
    assert run("sample", run_dir, "--n", 16, "--out", png) == 0
    assert tf.io.decode_png(tf.io.read_file(str(png))).shape[-1] == 3

    capsys.readouterr()
    assert run("export", run_dir, "--serving-dir", tmp_path / "serving") == 0
    out = capsys.readouterr().out
    assert (tmp_path / "serving" / "gan-ring8" / "1" / "saved_model.pb").exists()
    assert "docker run" in out and "curl" in out and "serving_default" in out
    assert run("export", run_dir, "--serving-dir", tmp_path / "serving") == 0
    assert (tmp_path / "serving" / "gan-ring8" / "2" / "saved_model.pb").exists()


def test_different_run_in_same_dir_is_refused(tmp_path, capsys):
    run_dir = tmp_path / "run"
    assert run("train", "gan-ring8", "--steps", 2, "--out", run_dir, "--batch-size", 16) == 0
    before = (run_dir / "model.keras").read_bytes()
    capsys.readouterr()
    assert run("train", "gan-grid25", "--steps", 2, "--out", run_dir, "--batch-size", 16) == 2
    err = capsys.readouterr().err
    assert "holds a different run" in err and "gan-ring8" in err
    assert (run_dir / "model.keras").read_bytes() == before


def test_unknown_model(capsys):
    assert run("train", "dcgan-imagenet", "--steps", 1) == 2
    assert "Unknown model 'dcgan-imagenet'" in capsys.readouterr().err


def test_sample_without_a_run(tmp_path, capsys):
    assert run("sample", tmp_path) == 2
    assert "No trained model" in capsys.readouterr().err


def test_missing_mnist_dir(tmp_path, capsys):
    assert run("train", "dcgan-mnist", "--steps", 1, "--out", tmp_path / "r",
               "--data-dir", tmp_path / "nowhere") == 2
    assert "does not exist" in capsys.readouterr().err


def test_sample_grid_callback_draws_images(tmp_path):
    from keras_gan.callbacks import SampleGrid
    from tests.harness import build_tiny, synthetic_dataset

    model = build_tiny("cgan-mnist")
    model.fit(synthetic_dataset(model, 4, 2), epochs=1, verbose=0,
              callbacks=[SampleGrid(str(tmp_path), every_n_steps=1, n=20, log_dir=str(tmp_path / "tb"))])
    files = sorted(os.listdir(tmp_path / "samples"))
    assert files == ["step_0000001.png", "step_0000002.png"]
    grid = tf.io.decode_png(tf.io.read_file(str(tmp_path / "samples" / files[0]))).numpy()
    # 20 images of 28x28 in rows of 10 classes, 1-pixel padding.
    assert grid.shape == (2 * 29 + 1, 10 * 29 + 1, 1)
    assert os.listdir(tmp_path / "tb" / "samples")
    assert np.unique(grid).size > 2
