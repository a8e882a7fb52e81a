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
    for path in (
        "model.keras",
        "checkpoints/ckpt-000000004.weights.h5",
        "samples/step_0000004.png",
    ):
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
    assert "tensorflow_model_server" in out and "curl" in out and "serving_default" in out
    config = (tmp_path / "serving" / "models.config").read_text()
    assert f'base_path: "{tmp_path / "serving" / "gan-ring8"}"' in config  # a native server's
    args = ("export", run_dir, "--serving-dir", tmp_path / "serving")
    assert run(*args, "--model-base-path", "/models") == 0
    assert (tmp_path / "serving" / "gan-ring8" / "2" / "saved_model.pb").exists()
    assert "docker run" in capsys.readouterr().out
    assert 'base_path: "/models/gan-ring8"' in (tmp_path / "serving" / "models.config").read_text()


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
    assert (
        run(
            "train",
            "dcgan-mnist",
            "--steps",
            1,
            "--out",
            tmp_path / "r",
            "--data-dir",
            tmp_path / "nowhere",
        )
        == 2
    )
    assert "does not exist" in capsys.readouterr().err


def test_sample_grid_callback_draws_images(tmp_path):
    from keras_gan import images
    from keras_gan.callbacks import SampleGrid
    from tests.harness import build_tiny, synthetic_dataset

    model = build_tiny("cgan-mnist")
    model.fit(
        synthetic_dataset(model, 4, 2),
        epochs=1,
        verbose=0,
        callbacks=[SampleGrid(str(tmp_path), every_n_steps=1, n=20, log_dir=str(tmp_path / "tb"))],
    )
    files = sorted(os.listdir(tmp_path / "samples"))
    assert files == ["step_0000001.png", "step_0000002.png"]
    grid = tf.io.decode_png(tf.io.read_file(str(tmp_path / "samples" / files[0]))).numpy()
    # 20 images of 28x28, one row of two per class, 1-pixel padding, scaled up twice to reach 512
    # px, with the class labels on the left and the step above: the bottom-right corner is that grid
    # exactly.
    height, width = 2 * (10 * 29 + 1), 2 * (2 * 29 + 1)
    assert (
        grid.shape[2] == 3
        and height < grid.shape[0] < height + 60
        and width + 40 < grid.shape[1] < width + 120
    )
    last = tf.io.decode_png(tf.io.read_file(str(tmp_path / "samples" / files[-1]))).numpy()
    samples, columns = model.preview(20, seed=0)  # the model as the last grid drew it
    expected = images.scale_up(images.image_grid(samples, columns=columns))
    assert expected.shape[:2] == (height, width)
    np.testing.assert_array_equal(last[-height:, -width:, 0], expected[..., 0])
    # the step and the labels' ink
    assert (last[:-height] < 100).any() and (last[:, :-width] < 100).any()
    assert model.preview_labels(20) == [f"class {k}" for k in range(10)]
    assert os.listdir(tmp_path / "tb" / "samples")
    assert np.unique(grid).size > 2


def _nan_at(monkeypatch, step, times=1):
    """Makes `keras-gan train`'s data hold NaN in the element step `step` trains on (the first
    `times` loads)."""
    from keras_gan import data

    original, calls = data.load, []

    def load(*args, **kwargs):
        ds = original(*args, **kwargs)
        calls.append(1)
        if len(calls) > times:
            return ds

        def poison(i, element):
            x = element[0] if isinstance(element, tuple) else element
            x = tf.where(i == step - 1, tf.fill(tf.shape(x), np.nan), x)
            return (x, *element[1:]) if isinstance(element, tuple) else x

        return ds.enumerate().map(poison)

    monkeypatch.setattr(data, "load", load)


def test_nan_stops_naming_the_step_and_keeps_the_last_good_checkpoint(
    tmp_path, monkeypatch, capsys
):
    run_dir = tmp_path / "run"
    _nan_at(monkeypatch, step=8)
    assert (
        run(
            "train",
            "gan-ring8",
            "--steps",
            12,
            "--checkpoint-every",
            5,
            "--out",
            run_dir,
            "--batch-size",
            16,
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "step 8" in err and "d_loss=nan" in err and "step 5" in err, err
    assert sorted(os.listdir(run_dir / "checkpoints")) == ["ckpt-000000005.weights.h5"]
    from keras_gan.checkpoints import Checkpoints, state_is_finite
    from tests.harness import build_tiny

    model = build_tiny("gan-ring8", width=256, depth=3)
    assert Checkpoints(str(run_dir / "checkpoints")).restore(model) == 5
    assert state_is_finite(model) and int(model.g_optimizer.iterations) == 5
    assert not (run_dir / "model.keras").exists()  # never a NaN model


def test_nan_rollback_lowers_the_learning_rate_and_finishes(tmp_path, monkeypatch, capsys):
    run_dir = tmp_path / "run"
    _nan_at(monkeypatch, step=8, times=1)
    assert (
        run(
            "train",
            "gan-ring8",
            "--steps",
            12,
            "--checkpoint-every",
            5,
            "--out",
            run_dir,
            "--batch-size",
            16,
            "--on-nan",
            "rollback",
            "--rollback-lr-factor",
            0.25,
        )
        == 0
    )
    assert "Rolled back to step 5" in capsys.readouterr().out
    model = keras.models.load_model(run_dir / "model.keras")
    assert int(model.g_optimizer.iterations) == 12
    np.testing.assert_allclose(float(model.g_optimizer.learning_rate), 2e-4 * 0.25, rtol=1e-6)
    np.testing.assert_allclose(float(model.d_optimizer.learning_rate), 2e-4 * 0.25, rtol=1e-6)


def test_nan_rollback_gives_up_when_nan_persists(tmp_path, monkeypatch, capsys):
    _nan_at(monkeypatch, step=3, times=100)
    assert (
        run(
            "train",
            "gan-ring8",
            "--steps",
            6,
            "--checkpoint-every",
            2,
            "--out",
            tmp_path / "run",
            "--batch-size",
            16,
            "--on-nan",
            "rollback",
            "--max-rollbacks",
            2,
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "Gave up after 2 rollbacks" in err and "step 3" in err, err


def test_unwritable_run_dir_fails_before_training(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert run("train", "gan-ring8", "--steps", 2, "--out", blocker / "run") == 2
    err = capsys.readouterr().err
    assert "not writable" in err and "a-file" in err, err


@pytest.fixture
def restore_policy():
    previous = keras.config.dtype_policy()
    yield
    keras.config.set_dtype_policy(previous)


def test_mixed_precision_run_trains_and_saves_float32_outputs(tmp_path, restore_policy):
    run_dir = tmp_path / "run"
    assert (
        run(
            "train",
            "gan-ring8",
            "--steps",
            3,
            "--out",
            run_dir,
            "--batch-size",
            16,
            "--mixed-precision",
        )
        == 0
    )
    model = keras.models.load_model(run_dir / "model.keras")
    assert model.generator.dtype_policy.name == "mixed_float16"
    assert isinstance(model.g_optimizer, keras.optimizers.LossScaleOptimizer)
    samples = model.generate(8, seed=0)
    assert samples.dtype == np.float32 and np.isfinite(samples).all()


@pytest.mark.parametrize("flag, value", [("--rollback-lr-factor", 2), ("--checkpoint-every", 0)])
def test_bad_resilience_options_are_refused_before_anything_is_written(
    tmp_path, capsys, flag, value
):
    assert run("train", "gan-ring8", "--steps", 2, "--out", tmp_path / "run", flag, value) == 2
    assert flag in capsys.readouterr().err
    assert not (tmp_path / "run").exists()


def _decaying_gan_ring8(monkeypatch):
    """Makes the `gan-ring8` preset decay its learning rates over the second half of a run."""
    import dataclasses

    from keras_gan.zoo import registry

    monkeypatch.setitem(
        registry._PRESETS,
        "gan-ring8",
        dataclasses.replace(registry.spec("gan-ring8"), lr_decay=0.5),
    )


def test_a_decaying_preset_decays_over_the_asked_steps_and_rolls_back(
    tmp_path, monkeypatch, capsys
):
    from keras_gan.schedules import LinearDecay

    _decaying_gan_ring8(monkeypatch)
    _nan_at(monkeypatch, step=8, times=1)
    run_dir = tmp_path / "run"
    assert (
        run(
            "train",
            "gan-ring8",
            "--steps",
            12,
            "--checkpoint-every",
            5,
            "--out",
            run_dir,
            "--batch-size",
            16,
            "--on-nan",
            "rollback",
            "--rollback-lr-factor",
            0.25,
        )
        == 0
    )
    assert "Rolled back to step 5; learning rates now 5e-05, 5e-05" in capsys.readouterr().out
    model = keras.models.load_model(run_dir / "model.keras")
    assert int(model.g_optimizer.iterations) == 12
    for optimizer in (model.g_optimizer, model.d_optimizer):
        assert isinstance(optimizer._learning_rate, LinearDecay)
        assert optimizer._learning_rate.get_config() == {
            "initial_learning_rate": 2e-4 * 0.25,
            "decay_start": 6,
            "decay_steps": 6,
        }
        assert float(optimizer.learning_rate) == 0.0


def test_resuming_with_other_optimizer_settings_fails_and_keeps_the_run(
    tmp_path, monkeypatch, capsys
):
    run_dir = tmp_path / "run"
    assert run("train", "gan-ring8", "--steps", 2, "--out", run_dir, "--batch-size", 16) == 0
    before = sorted(os.listdir(run_dir / "checkpoints"))
    _decaying_gan_ring8(monkeypatch)
    assert run("train", "gan-ring8", "--steps", 4, "--out", run_dir, "--batch-size", 16) == 2
    err = capsys.readouterr().err
    assert "ckpt-000000002.weights.h5 does not match the model being resumed" in err, err
    assert "choose another --out" in err
    assert sorted(os.listdir(run_dir / "checkpoints")) == before


def test_cyclegan_train_translate_evaluate_export(tmp_path, capsys):
    run_dir = tmp_path / "run"
    assert run("train", "cyclegan-digits", "--steps", 2, "--out", run_dir, "--batch-size", 4) == 0
    # a | G(a) | F(G(a)) | b | F(b) | G(F(b))
    assert (run_dir / "samples" / "step_0000002.png").exists()
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for i in range(3):
        tf.io.write_file(
            str(inputs / f"{i}.png"), tf.io.encode_png(np.full((8, 8, 1), 40 * i, np.uint8))
        )
    assert (
        run("sample", run_dir, "--input", inputs, "--direction", "b2a", "--out", tmp_path / "out")
        == 0
    )
    assert sorted(os.listdir(tmp_path / "out")) == ["0.png", "1.png", "2.png"]
    assert tf.io.decode_png(tf.io.read_file(str(tmp_path / "out" / "1.png"))).shape == (8, 8, 1)
    args = ("sample", run_dir, "--input", inputs, "--out", tmp_path / "big", "--scale", 4)
    assert run(*args) == 0
    assert tf.io.decode_png(tf.io.read_file(str(tmp_path / "big" / "1.png"))).shape == (32, 32, 1)

    capsys.readouterr()
    tf.io.write_file(str(tmp_path / "rgb.png"), tf.io.encode_png(np.zeros((16, 16, 3), np.uint8)))
    assert run("sample", run_dir, "--input", tmp_path / "rgb.png") == 2
    assert (
        "is 16x16 with 3 channel(s); a2b translates 8x8 images with 1 channel(s)"
        in capsys.readouterr().err
    )
    (tmp_path / "text.png").write_text("not an image")
    assert run("sample", run_dir, "--input", tmp_path / "text.png") == 2
    err = capsys.readouterr().err
    assert "Cannot decode image" in err and "text.png" in err
    looped = tmp_path / "looped"
    looped.mkdir()
    os.symlink("loop.png", looped / "loop.png")  # a link to itself
    assert run("sample", run_dir, "--input", looped) == 2
    err = capsys.readouterr().err
    assert "loop.png: Too many levels of symbolic links" in err and "Traceback" not in err
    assert run("sample", run_dir, "--input", tmp_path / "missing") == 2
    assert "neither an image file nor a folder" in capsys.readouterr().err

    assert run("evaluate", run_dir) == 0
    metrics = json.loads((run_dir / "metrics.json").read_text())["generated"]
    assert metrics["identity_l1"] > 0.5 and set(metrics) >= {
        "l1_a_to_b",
        "l1_b_to_a",
        "a_to_b_vs_identity",
    }

    capsys.readouterr()
    assert run("export", run_dir, "--serving-dir", tmp_path / "serving") == 0
    out = capsys.readouterr().out
    for sig in ("translate_a_to_b", "translate_b_to_a", "png_a_to_b", "png_b_to_a"):
        assert sig in out
    assert '"b64"' in out


def _poison_state_at(monkeypatch, step, times=1):
    """At the end of step `step`, puts a NaN into an Adam slot of D: the state turns non-finite
    while that step's logs stay finite (the first `times` times the step is reached)."""
    from keras_gan import callbacks as gan_callbacks

    original, hits = gan_callbacks.StopAtStep.on_train_batch_end, []

    def on_train_batch_end(self, batch, logs=None):
        if self.model.step == step and len(hits) < times:
            hits.append(1)
            slot = [v for v in self.model.d_optimizer.variables if "float" in str(v.dtype)][-1]
            slot.assign(np.full(slot.shape, np.nan, np.float32))
        original(self, batch, logs)

    monkeypatch.setattr(gan_callbacks.StopAtStep, "on_train_batch_end", on_train_batch_end)


def test_non_finite_weights_behind_finite_logs_fail_the_run(tmp_path, monkeypatch, capsys):
    _poison_state_at(monkeypatch, step=6)
    assert (
        run(
            "train",
            "gan-ring8",
            "--steps",
            12,
            "--checkpoint-every",
            3,
            "--out",
            tmp_path / "run",
            "--batch-size",
            16,
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "Not saving step 6" in err and "step 3" in err, err
    assert sorted(os.listdir(tmp_path / "run" / "checkpoints")) == ["ckpt-000000003.weights.h5"]


def test_non_finite_weights_behind_finite_logs_roll_back(tmp_path, monkeypatch, capsys):
    _poison_state_at(monkeypatch, step=6)
    assert (
        run(
            "train",
            "gan-ring8",
            "--steps",
            12,
            "--checkpoint-every",
            3,
            "--out",
            tmp_path / "run",
            "--batch-size",
            16,
            "--on-nan",
            "rollback",
        )
        == 0
    )
    assert "Rolled back to step 3" in capsys.readouterr().out
    assert (
        int(keras.models.load_model(tmp_path / "run" / "model.keras").g_optimizer.iterations) == 12
    )


@pytest.mark.parametrize(
    "argv, flag",
    [
        (["train", "gan-ring8", "--steps", 0], "--steps"),
        (["train", "gan-ring8", "--epochs", 0], "--epochs"),
        (["train", "gan-ring8", "--batch-size", 0], "--batch-size"),
        (["train", "gan-ring8", "--batch-size", -4], "--batch-size"),
        (["train", "gan-ring8", "--keep-checkpoints", 0], "--keep-checkpoints"),
        (["evaluate", "RUN", "--n", 0], "--n"),
        (["sample", "RUN", "--n", 0], "--n"),
    ],
)
def test_zero_and_negative_counts_are_errors(argv, flag, tmp_path, capsys):
    argv = [str(tmp_path / "run") if a == "RUN" else a for a in argv]
    out = ["--out", tmp_path / "run"] if argv[0] == "train" else []
    assert run(*argv, *out) == 2
    assert f"{flag} must be a positive integer" in capsys.readouterr().err
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize(
    "first", [["--batch-size", -4], ["--keep-checkpoints", 0], ["--data", "folder:MISSING"]]
)
def test_a_failed_first_attempt_writes_nothing(first, tmp_path, capsys):
    first = [
        a.replace("MISSING", str(tmp_path / "missing")) if isinstance(a, str) else a for a in first
    ]
    run_dir = tmp_path / "run"
    assert run("train", "gan-ring8", "--steps", 2, "--out", run_dir, *first) == 2
    assert not run_dir.exists()
    assert run("train", "gan-ring8", "--steps", 2, "--out", run_dir, "--batch-size", 16) == 0


def test_images_of_another_shape_name_both_shapes(tmp_path, capsys):
    folder = tmp_path / "images"
    folder.mkdir()
    for i in range(20):
        tf.io.write_file(
            str(folder / f"{i}.png"), tf.io.encode_png(np.zeros((16, 16, 3), np.uint8))
        )
    assert (
        run(
            "train",
            "dcgan-digits",
            "--steps",
            2,
            "--data",
            f"folder:{folder}",
            "--batch-size",
            4,
            "--out",
            tmp_path / "run",
        )
        == 2
    )
    err = capsys.readouterr().err
    assert (
        "holds 16x16 images with 3 channel(s), but dcgan-digits takes 8x8 with 1 channel(s)" in err
    ), err
    assert not (tmp_path / "run").exists()


def test_metrics_json_is_strict_json(tmp_path, monkeypatch):
    import keras_gan.metrics

    run_dir = tmp_path / "run"
    assert run("train", "gan-ring8", "--steps", 2, "--out", run_dir, "--batch-size", 16) == 0
    monkeypatch.setattr(
        keras_gan.metrics,
        "evaluate_model",
        lambda *a, **k: {
            "protocol": "test",
            "generated": {"reverse_kl": float("inf"), "modes": 8.0, "bad": float("nan")},
        },
    )
    assert run("evaluate", run_dir) == 0

    def refuse(token):
        raise ValueError(f"non-standard JSON token {token}")

    metrics = json.loads((run_dir / "metrics.json").read_text(), parse_constant=refuse)
    assert metrics["generated"] == {"reverse_kl": None, "modes": 8.0, "bad": None}


def test_damaged_files_and_unwritable_paths_are_named(tmp_path, capsys, monkeypatch):
    run_dir = tmp_path / "run"
    assert run("train", "gan-ring8", "--steps", 2, "--out", run_dir, "--batch-size", 16) == 0
    model_file = run_dir / "model.keras"
    whole = model_file.read_bytes()
    model_file.write_bytes(whole[: len(whole) // 2])
    capsys.readouterr()
    assert run("sample", run_dir) == 2
    err = capsys.readouterr().err
    assert "model.keras is damaged" in err and "re-run the same `keras-gan train`" in err, err
    model_file.unlink()  # as the message says: the same train command writes it again
    assert run("train", "gan-ring8", "--steps", 2, "--out", run_dir, "--batch-size", 16) == 0
    assert keras.models.load_model(model_file).step == 2

    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert run("export", run_dir, "--serving-dir", blocker) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
    assert run("export", run_dir, "--serving-dir", "/proc/keras-gan-serving") == 2
    assert "Cannot write the serving tree under /proc/keras-gan-serving" in capsys.readouterr().err
    assert run("sample", run_dir, "--out", blocker / "s.png") == 2
    err = capsys.readouterr().err
    assert "cannot use" in err and "a-file" in err and "Traceback" not in err, err

    config = run_dir / "config.json"
    saved = config.read_text()
    config.write_text("\n{not json")
    assert run("evaluate", run_dir) == 2
    assert f"{config} is not valid JSON" in capsys.readouterr().err
    config.write_text("[]")
    assert run("train", "gan-ring8", "--steps", 2, "--out", run_dir, "--batch-size", 16) == 2
    assert "must hold a JSON object" in capsys.readouterr().err
    config.write_text(saved)

    monkeypatch.setenv("TF_CONFIG", "{cluster")
    assert (
        run(
            "train",
            "gan-ring8",
            "--steps",
            2,
            "--out",
            tmp_path / "mw",
            "--strategy",
            "multiworker",
        )
        == 2
    )
    assert "TF_CONFIG is not JSON" in capsys.readouterr().err
    monkeypatch.delenv("TF_CONFIG")
    assert (
        run("train", "gan-ring8", "--steps", 2, "--out", tmp_path / "tpu", "--strategy", "tpu") == 2
    )
    assert "--tpu NAME_OR_ADDRESS" in capsys.readouterr().err


def test_progress_lines_and_absolute_sample_steps_after_a_resume(tmp_path, capsys):
    run_dir = tmp_path / "run"
    args = ["train", "dcgan-digits", "--out", run_dir, "--batch-size", 8, "--checkpoint-every", 7]
    # epochs of 25 steps (the run's length, under the preset's 500)
    assert run(*args, "--steps", 25) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("step ")]
    assert (
        lines[-1].startswith("step 25/25 (100%)")
        and "d_loss" in lines[-1]
        and "steps/s" in lines[-1]
    )
    # As if the run had been killed after step 14: its last checkpoint is 14.
    for name in ("ckpt-000000021.weights.h5", "ckpt-000000025.weights.h5"):
        (run_dir / "checkpoints" / name).unlink()
    for name in os.listdir(run_dir / "samples"):
        (run_dir / "samples" / name).unlink()
    assert run(*args, "--steps", 60, "--log-every", 15) == 0
    out = capsys.readouterr().out
    assert [line.split()[1] for line in out.splitlines() if line.startswith("step ")] == [
        "15/60",
        "30/60",
        "45/60",
        "60/60",
    ]
    # Samples at the absolute epoch ends of an uninterrupted run (25, 50) and at the end, not at 39,
    # 64.
    assert sorted(os.listdir(run_dir / "samples")) == [
        "step_0000025.png",
        "step_0000050.png",
        "step_0000060.png",
    ]
    grid = tf.io.decode_png(tf.io.read_file(str(run_dir / "samples" / "step_0000060.png"))).numpy()
    assert grid.shape[1] >= 512 and grid.std() > 0  # 8x8 digits scaled up to be readable
    assert run("sample", run_dir, "--n", 4, "--scale", 3, "--out", tmp_path / "s.png") == 0
    picture = tf.io.decode_png(tf.io.read_file(str(tmp_path / "s.png")))
    # the step written above
    assert picture.shape[1] == 3 * (2 * 9 + 1) and picture.shape[0] > 3 * (2 * 9 + 1)


def test_board_serves_the_run_on_localhost_and_stops_on_ctrl_c(tmp_path):
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    run_dir = tmp_path / "run"
    assert run("train", "gan-ring8", "--steps", 20, "--out", run_dir, "--batch-size", 16) == 0
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # Ctrl-C as a terminal delivers it: SIGINT at its default disposition (a shell that starts jobs
    # in the background, as `nohup make test &`, hands them SIGINT ignored), in a session of its own
    # so that it can be killed as a group if the test fails.
    board = subprocess.Popen(
        [sys.executable, "-m", "keras_gan.cli", "board", str(run_dir), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert f"http://127.0.0.1:{port}/" in board.stdout.readline()
        deadline, tags = time.monotonic() + 90, None
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/data/plugin/scalars/tags", timeout=5
                ) as r:
                    tags = json.loads(r.read())
                if tags.get("train"):
                    break
            except OSError:
                pass
            time.sleep(1)
        assert tags and {
            "d_loss",
            "g_loss",
            "learning_rate/g_optimizer",
            "learning_rate/d_optimizer",
            "speed/steps_per_second",
            "speed/images_per_second",
        } <= set(tags["train"]), tags
        board.send_signal(signal.SIGINT)
        assert board.wait(timeout=30) == 0
    finally:
        if board.poll() is None:
            os.killpg(board.pid, signal.SIGKILL)


def test_truncation_and_standing_statistics_options(tmp_path, capsys, mnist_dir):
    run_dir = tmp_path / "run"
    assert (
        run(
            "train",
            "dcgan-mnist",
            "--steps",
            2,
            "--out",
            run_dir,
            "--batch-size",
            8,
            "--data-dir",
            mnist_dir,
        )
        == 0
    )
    capsys.readouterr()
    # dcgan-mnist serves an EMA generator with BatchNorm: its statistics are recomputed before
    # sampling.
    assert run("sample", run_dir, "--n", 10, "--truncation", 0.5, "--out", tmp_path / "t.png") == 0
    assert "Standing statistics" in capsys.readouterr().out
    assert tf.io.decode_png(tf.io.read_file(str(tmp_path / "t.png"))).shape[0] >= 28
    assert (
        run("sample", run_dir, "--n", 10, "--no-standing-stats", "--out", tmp_path / "u.png") == 0
    )
    assert "Standing statistics" not in capsys.readouterr().out
    assert run("sample", run_dir, "--truncation", 0, "--out", tmp_path / "v.png") == 2
    assert "truncation threshold must be a finite number" in capsys.readouterr().err
    assert not (tmp_path / "v.png").exists()
    assert run("export", run_dir, "--serving-dir", tmp_path / "serving") == 0
    assert "Standing statistics" in capsys.readouterr().out

    ring = tmp_path / "ring"
    assert run("train", "gan-ring8", "--steps", 2, "--out", ring, "--batch-size", 16) == 0
    assert run("evaluate", ring, "--truncation", 1.0) == 0
    metrics = json.loads((ring / "metrics.json").read_text())
    assert metrics["truncation"] == 1.0 and metrics["standing_statistics"] is False


def test_stylegan_trains_and_samples_with_psi(tmp_path, monkeypatch, capsys, mnist_dir):
    import dataclasses

    from keras_gan.zoo import registry

    # its test-size networks at the preset's 32x32 (the CLI path, not the size)
    preset = registry.spec("stylegan-mnist")
    monkeypatch.setitem(
        registry._PRESETS,
        "stylegan-mnist",
        dataclasses.replace(
            preset, arch={**preset.arch, **preset.tiny, "image_shape": preset.arch["image_shape"]}
        ),
    )
    run_dir = tmp_path / "run"
    assert (
        run(
            "train",
            "stylegan-mnist",
            "--steps",
            2,
            "--out",
            run_dir,
            "--batch-size",
            8,
            "--data-dir",
            mnist_dir,
        )
        == 0
    )
    assert run("sample", run_dir, "--n", 8, "--psi", 0.5, "--out", tmp_path / "psi.png") == 0
    assert tf.io.decode_png(tf.io.read_file(str(tmp_path / "psi.png"))).shape[1] >= 512
    capsys.readouterr()
    assert run("sample", run_dir, "--truncation", 0.5, "--out", tmp_path / "t.png") == 2
    assert "StyleGAN truncates in W" in capsys.readouterr().err


def _imports(argv):
    """The return code, stderr and whether TensorFlow was imported, of `python -m keras_gan.cli
    ARGV`."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "keras_gan.cli", *argv],
        capture_output=True,
        text=True,
        timeout=120,
    )
    imported = {
        line.rsplit("|", 1)[-1].strip()
        for line in done.stderr.splitlines()
        if "import time:" in line
    }
    return done.returncode, done.stderr, "tensorflow" in imported


def test_help_and_argument_errors_answer_without_importing_tensorflow():
    code, _, tensorflow = _imports(["--help"])
    assert code == 0 and not tensorflow
    code, _, tensorflow = _imports(["sample", "--help"])
    assert code == 0 and not tensorflow
    code, err, tensorflow = _imports(["train"])
    assert code == 2 and "the following arguments are required: name" in err and not tensorflow


def test_commands_print_no_tensorflow_start_up_lines():
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    done = subprocess.run(
        [sys.executable, "-m", "keras_gan.cli", "list"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert done.returncode == 0 and "gan-ring8" in done.stdout
    assert done.stderr == ""


def test_conditional_samples_one_labelled_row_per_class_and_one_class_on_request(
    tmp_path, capsys, mnist_dir
):
    run_dir = tmp_path / "run"
    assert (
        run(
            "train",
            "cgan-mnist",
            "--steps",
            1,
            "--out",
            run_dir,
            "--batch-size",
            10,
            "--data-dir",
            mnist_dir,
        )
        == 0
    )
    model = keras.models.load_model(run_dir / "model.keras")
    samples, columns = model.preview(25)
    assert columns == 2 and samples.shape[0] == 20 and model.preview_labels(25)[3] == "class 3"
    assert run("sample", run_dir, "--n", 20, "--out", tmp_path / "rows.png", "--scale", 1) == 0
    assert (
        run(
            "sample",
            run_dir,
            "--n",
            20,
            "--out",
            tmp_path / "plain.png",
            "--scale",
            1,
            "--label",
            7,
        )
        == 0
    )
    rows = tf.io.decode_png(tf.io.read_file(str(tmp_path / "rows.png"))).numpy()
    plain = tf.io.decode_png(tf.io.read_file(str(tmp_path / "plain.png"))).numpy()
    assert rows.shape[1] > 2 * 29 + 1  # two columns of 28-pixel digits and the labels' margin
    assert plain.shape[0] < rows.shape[0]  # 20 samples of class 7 in a 5x4 grid, not 10 rows
    capsys.readouterr()
    assert run("sample", run_dir, "--label", 10, "--out", tmp_path / "bad.png") == 2
    assert "--label must be a class in [0, 9]. Received: 10" in capsys.readouterr().err
    assert not (tmp_path / "bad.png").exists()


def test_evaluate_draws_metrics_by_step_once_a_run_has_two_evaluations(tmp_path, capsys):
    run_dir = tmp_path / "ring"
    assert run("train", "gan-ring8", "--steps", 2, "--out", run_dir, "--batch-size", 16) == 0
    assert run("evaluate", run_dir, "--n", 200) == 0
    assert not (run_dir / "metrics_by_step.png").exists()  # one step: a table says it all
    assert run("train", "gan-ring8", "--steps", 4, "--out", run_dir, "--batch-size", 16) == 0
    assert run("evaluate", run_dir, "--n", 200) == 0
    # not a point of the curve
    assert run("evaluate", run_dir, "--n", 200, "--truncation", 1.0) == 0
    rows = [
        json.loads(line) for line in (run_dir / "metrics_history.jsonl").read_text().splitlines()
    ]
    assert [(r["step"], r["truncation"]) for r in rows] == [(2, None), (4, None), (4, 1.0)]
    assert rows[0]["generated"]["modes"] >= 0
    picture = tf.io.decode_png(tf.io.read_file(str(run_dir / "metrics_by_step.png"))).numpy()
    # Panels of modes and high_quality_fraction; reverse_kl is infinite (no mode hit) and left out.
    assert 2 * 200 < picture.shape[0] < 3 * 200 and picture.shape[1] > 480


@pytest.mark.slow  # trains the domain classifier on 48,000 MNIST images
def test_evaluate_scores_anomaly_detection_and_draws_pr_and_roc_curves(tmp_path, capsys, mnist_dir):
    run_dir = tmp_path / "anomaly"
    assert (
        run(
            "train",
            "meg-mnist-anomaly",
            "--steps",
            1,
            "--out",
            run_dir,
            "--batch-size",
            8,
            "--data-dir",
            mnist_dir,
        )
        == 0
    )
    assert run("evaluate", run_dir, "--n", 100) == 0
    anomaly = json.loads((run_dir / "metrics.json").read_text())["anomaly"]
    assert 0 <= anomaly["auprc"] <= 1 and 0 <= anomaly["roc_auc"] <= 1 and "curves" not in anomaly
    assert 0.09 < anomaly["auprc_chance"] < 0.6  # digit 1 held out: its images among the test split
    for name in ("pr_curve.png", "roc_curve.png"):
        picture = tf.io.decode_png(tf.io.read_file(str(run_dir / name))).numpy()
        assert picture.shape[1] > 480 and (picture < 100).any()


def test_set_changes_the_preset_and_is_part_of_the_run(tmp_path, capsys):
    run_dir = tmp_path / "pac"
    assert (
        run(
            "train",
            "gan-ring8",
            "--steps",
            2,
            "--out",
            run_dir,
            "--batch-size",
            16,
            "--set",
            "pack=2",
            "--set",
            "lr_decay=0.5",
        )
        == 0
    )
    config = json.loads((run_dir / "config.json").read_text())
    assert config["overrides"] == {"pack": 2, "lr_decay": 0.5}
    model = keras.models.load_model(run_dir / "model.keras")
    assert model.pack == 2 and model.discriminator.inputs[0].shape[1:] == (4,)
    capsys.readouterr()
    assert (
        run(
            "train",
            "gan-ring8",
            "--steps",
            4,
            "--out",
            run_dir,
            "--batch-size",
            16,
            "--set",
            "pack=4",
        )
        == 2
    )
    assert "holds a different run (overrides:" in capsys.readouterr().err
    assert (
        run(
            "train",
            "gan-ring8",
            "--steps",
            4,
            "--out",
            run_dir,
            "--batch-size",
            16,
            "--set",
            "pack=2",
            "--set",
            "lr_decay=0.5",
        )
        == 0
    )  # the same run resumes
    for bad, message in (
        (["--set", "nope=1"], "Unknown override 'nope' for 'gan-ring8'"),
        (["--set", "pack"], "--set takes KEY=VALUE (e.g. --set pack=2). Received: 'pack'"),
        (["--set", "seed=3"], "use --seed"),
    ):
        assert run("train", "gan-ring8", "--steps", 2, "--out", tmp_path / "bad", *bad) == 2
        assert message in capsys.readouterr().err
        assert not (tmp_path / "bad").exists()
