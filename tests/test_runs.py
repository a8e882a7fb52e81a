"""`keras_gan.runs`: the run directory and the training driver as a library, and the house rules
the command line keeps (one module per command, no scheme probes)."""

import ast
import json
import os
import pathlib

import keras
import numpy as np
import pytest

from keras_gan import runs, zoo
from keras_gan.schedules import LinearDecay

PACKAGE = pathlib.Path(runs.__file__).parents[1]


def test_train_from_python_writes_a_run_the_library_reads_back(tmp_path, capsys):
    out = tmp_path / "ring"
    model = runs.train("gan-ring8", steps=3, batch_size=16, out=str(out), seed=4)
    run = runs.RunDir(out)
    config = run.config()
    assert config["model"] == "gan-ring8" and config["batch_size"] == 16 and config["seed"] == 4
    assert model.step == 3
    loaded = run.load_model()
    assert loaded.step == 3
    np.testing.assert_array_equal(loaded.generate(5, seed=1), model.generate(5, seed=1))
    # The same call again resumes: nothing to do at step 3.
    runs.train("gan-ring8", steps=3, batch_size=16, out=str(out), seed=4)
    assert "already trained to step 3" in capsys.readouterr().out
    with pytest.raises(runs.RunError, match="holds a different run"):
        runs.train("gan-ring8", steps=3, batch_size=32, out=str(out), seed=4)


@pytest.mark.parametrize(
    "option, value, message",
    [
        ("steps", 0, "steps must be a positive integer. Received: 0"),
        ("keep_checkpoints", -1, "keep_checkpoints must be a positive integer. Received: -1"),
        ("rollback_lr_factor", 1.5, r"rollback_lr_factor must be in \(0, 1\]. Received: 1.5"),
        ("on_nan", "retry", "on_nan must be 'stop' or 'rollback'. Received: 'retry'"),
    ],
)
def test_train_refuses_impossible_options_before_writing(tmp_path, option, value, message):
    with pytest.raises(runs.RunError, match=message):
        runs.train("gan-ring8", out=str(tmp_path / "run"), **{option: value})
    assert not (tmp_path / "run").exists()


def test_run_dir_history_skips_a_line_cut_short(tmp_path):
    run = runs.RunDir(tmp_path)
    run.append_history({"step": 1, "generated": {"fid": 3.0}})
    with open(run.history_path, "a") as f:
        f.write('{"step": 2, "gener')  # a crash mid-line
    run.append_history({"step": 3, "generated": {"fid": float("inf")}})
    assert run.history() == [
        {"step": 1, "generated": {"fid": 3.0}},
        {"step": 3, "generated": {"fid": None}},  # strict JSON: inf is null
    ]
    runs.write_json_atomic(run.metrics_path, {"kl": float("nan")})
    assert json.loads(pathlib.Path(run.metrics_path).read_text()) == {"kl": None}


def _adam(rate):
    return keras.optimizers.Adam(rate)


@pytest.mark.parametrize("loss_scaled", [False, True])
def test_scale_learning_rate_through_the_public_setter(loss_scaled):
    model = zoo.build("gan-ring8")
    wrap = keras.optimizers.LossScaleOptimizer if loss_scaled else (lambda o: o)
    constant = wrap(_adam(2e-4))
    assert runs.scale_learning_rate(model, constant, 0.5) == "0.0001"
    assert float(constant.learning_rate) == pytest.approx(1e-4)
    decaying = wrap(_adam(LinearDecay(2e-4, decay_start=0, decay_steps=10)))
    runs.scale_learning_rate(model, decaying, 0.25)
    inner = getattr(decaying, "inner_optimizer", decaying)
    schedule = inner.get_config()["learning_rate"]
    assert schedule["config"] == {
        "initial_learning_rate": 5e-5,
        "decay_start": 0,
        "decay_steps": 10,
    }


def _sources(folder):
    return sorted((PACKAGE / folder).rglob("*.py"))


def test_cli_modules_are_small_and_import_no_other_command():
    commands = {p.stem for p in _sources("cli")} - {"__init__", "__main__", "common"}
    assert commands >= {"train", "sample", "evaluate", "export", "board", "presets"}
    for path in _sources("cli"):
        assert len(path.read_text().splitlines()) < 250, path
        if path.stem in commands:
            imported = {
                node.module
                for node in ast.walk(ast.parse(path.read_text()))
                if isinstance(node, ast.ImportFrom) and node.module
            }
            others = {f"keras_gan.cli.{c}" for c in commands - {path.stem}}
            assert not imported & others, (path, imported & others)


def test_no_code_outside_the_models_probes_a_model_attribute():
    offenders = []
    for path in _sources("."):
        if "models" in path.relative_to(PACKAGE).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("hasattr", "getattr")
                and node.args
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id == "model"
            ):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert not offenders, offenders
    for path in _sources("."):
        assert "keras.src" not in path.read_text(), path


@pytest.mark.parametrize(
    "name, expected",
    [
        ("gan-ring8", dict(num_classes=None, truncation=True, psi=False, translations={})),
        ("cgan-mnist", dict(num_classes=10, truncation=True, psi=False)),
        ("stylegan-mnist", dict(num_classes=None, truncation=False, psi=True, ema_generator=True)),
        ("meg-ring8", dict(anomaly_scores=True, truncation=True)),
        ("cyclegan-digits", dict(translations={"a2b": (8, 8, 1), "b2a": (8, 8, 1)})),
    ],
)
def test_models_declare_what_they_can_do(name, expected):
    caps = zoo.build(name).capabilities()
    for key, value in expected.items():
        assert getattr(caps, key) == value, (key, getattr(caps, key))
    if not caps.truncation and not caps.translates:
        assert caps.refusals["truncation"]  # the model says why, the command line prints it


def test_a_uniform_prior_refuses_truncation_and_says_why(tmp_path, capsys):
    caps = zoo.build("gan-ring8", prior="uniform").capabilities()
    assert not caps.truncation and "N(0, I) prior" in caps.refusals["truncation"]
    from keras_gan import cli

    out = tmp_path / "run"
    argv = ["train", "gan-ring8", "--steps", "1", "--batch-size", "8", "--out", str(out)]
    assert cli.main([*argv, "--set", "prior=uniform"]) == 0
    assert cli.main(["sample", str(out), "--truncation", "0.5"]) == 2
    assert "--truncation: truncation applies to the N(0, I) prior" in capsys.readouterr().err


def test_python_m_keras_gan_cli_is_the_command(tmp_path):
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "keras_gan.cli", "--version"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(PACKAGE.parent)},
    )
    assert done.returncode == 0 and done.stdout.startswith("keras-gan "), done
