"""TF Serving's REST request and response JSON (#37 item 3), answered from the exported
SavedModels by `keras_gan.export.rest` (no model server binary here)."""

import base64
import json
import re

import numpy as np
import pytest
import tensorflow as tf

from keras_gan.cli import main
from keras_gan.cli.export import json_value
from keras_gan.export import rest

PRESETS = ["dcgan-digits", "cgan-mnist", "cyclegan-digits", "meg-ring8"]


def _decoded(name, value):
    """A response value back as NumPy (`{"b64": ...}` -> bytes)."""
    if name.endswith("_bytes"):
        return [base64.b64decode(v["b64"]) for v in value]
    return np.asarray(value)


@pytest.mark.parametrize("preset", PRESETS)
def test_every_signature_answers_its_example_in_both_formats(tiny_exports, preset):
    model, path = tiny_exports.get([preset])[preset]
    signatures = tf.saved_model.load(path).signatures
    for name, signature in model.serving_signatures().items():
        inputs = {k: json_value(v) for k, v in signature.example.items()}
        status, response = rest.predict(
            signatures, json.dumps({"signature_name": name, "inputs": inputs})
        )
        assert status == 200, (name, response)
        want = signatures[name](**{k: tf.constant(v) for k, v in signature.example.items()})
        outputs = response["outputs"] if len(want) > 1 else {next(iter(want)): response["outputs"]}
        for key, value in want.items():
            if key.endswith("_bytes"):
                assert _decoded(key, outputs[key]) == list(value.numpy())
                tf.io.decode_png(_decoded(key, outputs[key])[0])  # a PNG file
            else:
                np.testing.assert_allclose(_decoded(key, outputs[key]), value.numpy(), rtol=1e-6)
        if all(np.ndim(v) for v in signature.example.values()):  # rows need a batch dimension
            keys = list(signature.example)
            rows = [
                {k: json_value(signature.example[k])[i] for k in keys}
                if len(keys) > 1
                else json_value(signature.example[keys[0]])[i]
                for i in range(len(signature.example[keys[0]]))
            ]
            status, by_row = rest.predict(signatures, {"signature_name": name, "instances": rows})
            assert status == 200 and len(by_row["predictions"]) == len(rows), by_row
            first = by_row["predictions"][0]
            first = first if len(want) > 1 else {next(iter(want)): first}
            for key, value in want.items():
                got = _decoded(key, [first[key]]) if key.endswith("_bytes") else first[key]
                if key.endswith("_bytes"):
                    assert got == [value.numpy()[0]]
                else:
                    np.testing.assert_allclose(got, value.numpy()[0], rtol=1e-6)


def test_errors_are_tf_servings_400_with_the_graphs_message(tiny_exports):
    _, path = tiny_exports.get(["dcgan-digits"])["dcgan-digits"]
    signatures = tf.saved_model.load(path).signatures
    status, response = rest.predict(signatures, '{"signature_name": "nope", "inputs": [[0]]}')
    assert status == 400 and "nope" in response["error"]
    z = [[float("nan")] * signatures["serving_default"].structured_input_signature[1]["z"].shape[1]]
    status, response = rest.predict(signatures, {"instances": z})
    assert status == 400 and "z: must be finite" in response["error"]
    status, response = rest.predict(
        signatures, {"inputs": {"n": 0, "seed": 1}, "signature_name": "sample"}
    )
    assert status == 400 and "n: must be at least 1" in response["error"]


def test_the_curl_lines_export_prints_are_answered(tmp_path, capsys):
    run = tmp_path / "run"
    assert (
        main(["train", "dcgan-digits", "--steps", "1", "--batch-size", "8", "--out", str(run)]) == 0
    )
    capsys.readouterr()
    assert main(["export", str(run), "--serving-dir", str(tmp_path / "s")]) == 0
    bodies = re.findall(r"curl -s -X POST \S+:predict -d '(.*)'", capsys.readouterr().out)
    signatures = tf.saved_model.load(str(tmp_path / "s" / "dcgan-digits" / "1")).signatures
    answered = []
    for body in bodies:
        if "{...}" in body:  # too long to print: its inputs are described on the line above
            continue
        status, response = rest.predict(signatures, body)
        assert status == 200, (body, response)
        answered.append(json.loads(body)["signature_name"])
    assert {"serving_default", "sample", "png"} <= set(answered)
