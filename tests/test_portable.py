"""ONNX and TFLite copies of the portable signatures (#37): converted from the model, run by
onnxruntime and the TFLite interpreter, kept only when they match the SavedModel."""

import json
import os
import sys

import numpy as np
import pytest
import tensorflow as tf

from keras_gan import export
from keras_gan.cli import main
from keras_gan.export import portable
from tests.harness import build_tiny

pytest.importorskip("tf2onnx")
pytest.importorskip("onnxruntime")


@pytest.fixture(scope="module")
def digits(tmp_path_factory):
    base = tmp_path_factory.mktemp("serving")
    model = build_tiny("dcgan-digits")
    path = export.export_generator(model, str(base), "digits")
    rows = export.export_portable(model, path, str(base / "portable" / "digits" / "1"))
    return model, path, base / "portable" / "digits" / "1", rows


def test_portable_signatures_are_written_and_match_the_saved_model(digits):
    model, path, out, rows = digits
    exported = {(r["signature"], r["format"]) for r in rows if r["exported"]}
    assert exported == {("serving_default", "onnx"), ("serving_default", "tflite")}
    skipped = {(r["signature"], r["format"]): r["reason"] for r in rows if not r["exported"]}
    not_portable = ("sample", "png", "interpolate", "project")
    assert set(skipped) == {(s, f) for s in not_portable for f in ("onnx", "tflite")}
    assert sorted(os.listdir(out)) == [
        "report.json",
        "serving_default.onnx",
        "serving_default.tflite",
    ]
    report = json.loads((out / "report.json").read_text())
    assert report["tolerance"] == portable.TOLERANCE and report["signatures"] == rows
    # Run the files as a user would, on inputs the export never saw.
    import onnxruntime

    z = np.random.default_rng(7).standard_normal((5, model.latent_dim)).astype(np.float32)
    want = tf.saved_model.load(path).signatures["serving_default"](z=tf.constant(z))["images"]
    session = onnxruntime.InferenceSession(str(out / "serving_default.onnx"))
    (got,) = session.run(["images"], {"z": z})
    np.testing.assert_allclose(got, want.numpy(), atol=1e-5)
    interpreter = tf.lite.Interpreter(model_path=str(out / "serving_default.tflite"))
    got = interpreter.get_signature_runner("serving_default")(z=z)["images"]
    np.testing.assert_allclose(np.array(got), want.numpy(), atol=1e-5)
    row = next(r for r in rows if r["exported"] and r["format"] == "onnx")
    assert row["max_abs_diff"] <= 1e-5 and row["bytes"] == os.path.getsize(out / row["file"])
    assert row["request_checks"].startswith("none")


def test_an_input_and_an_output_named_alike_convert_for_onnx(tmp_path):
    model = build_tiny("cyclegan-digits")  # images -> images
    path = export.export_generator(model, str(tmp_path), "c")
    rows = export.export_portable(model, path, str(tmp_path / "p"), formats=("onnx",))
    row = next(r for r in rows if r["signature"] == "translate_a_to_b")
    assert row["exported"] and row["inputs"] == ["images"] and row["outputs"] == ["images_out"]
    assert row["max_abs_diff"] <= 1e-5


def test_a_copy_outside_the_tolerance_is_refused_and_nothing_is_written(tmp_path, digits):
    model, path, _, _ = digits
    out = tmp_path / "p"
    with pytest.raises(ValueError, match=r"differ from the SavedModel's by .* > 1e-12"):
        export.export_portable(model, path, str(out), formats=("tflite",), tolerance=1e-12)
    assert os.listdir(tmp_path) == []  # neither the folder nor a temporary one


def test_max_difference():
    a = {"x": np.array([0.0, 1.0, np.nan])}
    assert portable.max_difference(a, {"x": np.array([0.5, 1.0, np.nan])}) == 0.5
    assert portable.max_difference(a, {"x": np.array([0.5, 1.0, 2.0])}) == np.inf
    assert portable.max_difference(a, {"y": a["x"]}) == np.inf


def test_onnx_without_tf2onnx_says_what_to_install(tmp_path, monkeypatch, digits):
    model, path, _, _ = digits
    monkeypatch.setitem(sys.modules, "tf2onnx", None)
    with pytest.raises(ImportError, match=r"pip install 'keras-gan\[onnx\]'"):
        export.export_portable(model, path, str(tmp_path / "p"), formats=("onnx",))


def test_cli_export_formats(tmp_path, capsys):
    run = tmp_path / "run"
    assert (
        main(["train", "gan-ring8", "--steps", "2", "--batch-size", "16", "--out", str(run)]) == 0
    )
    serving = tmp_path / "serving"
    capsys.readouterr()
    assert (
        main(["export", str(run), "--serving-dir", str(serving), "--format", "onnx", "tflite"]) == 0
    )
    out = capsys.readouterr().out
    assert "serving_default.onnx:" in out and "sample (tflite): not exported" in out
    files = sorted(os.listdir(serving / "portable" / "gan-ring8" / "1"))
    assert files == ["report.json", "serving_default.onnx", "serving_default.tflite"]
    assert "portable" not in (serving / "models.config").read_text()


def test_a_signature_a_converter_refuses_is_listed_not_written(tmp_path, monkeypatch, digits):
    model, path, _, _ = digits

    def refuses(*args):
        raise RuntimeError("Some ops are not supported\nTF Select ops: Conv2D\nDetails: ...")

    monkeypatch.setattr(portable, "_tflite", refuses)
    rows = export.export_portable(model, path, str(tmp_path / "p"))
    row = next(r for r in rows if r["signature"] == "serving_default" and r["format"] == "tflite")
    assert not row["exported"] and "no builtin form of Conv2D" in row["reason"]
    assert sorted(os.listdir(tmp_path / "p")) == ["report.json", "serving_default.onnx"]
