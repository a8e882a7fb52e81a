"""SavedModel export for TF Serving: signatures, TensorFlow's own CLI, warmup, atomicity, bad
requests."""

import filecmp
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf

from keras_gan import export, zoo
from keras_gan.export import saved_model as saved_model_module
from keras_gan.models import LatentAdversarialModel
from tests.harness import (
    build_tiny,
    call_inputs,
    downloads_last,
    one_per_kind,
    serving_inputs,
    signature_kind,
)

SAVED_MODEL_CLI = os.path.join(os.path.dirname(sys.executable), "saved_model_cli")
NAMES = downloads_last(zoo.names())


# TensorFlow's own CLI (two subprocesses, ~8 s a preset) runs on one preset of
# each kind of signatures in `make test`, and on the others under the slow
# marker; tests/test_contract.py reloads each kind's export (EMA or not) in a
# fresh process in `make test`, every preset's under the slow marker.
CLI_PARAMS = one_per_kind(NAMES, signature_kind)


def _cli(*args):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    done = subprocess.run(
        [SAVED_MODEL_CLI, *args], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


# The module's other tests use these presets; the rest is covered by tests/test_contract.py.
_NAMED = {"dcgan-digits", "cgan-mnist", "gan-ring8"}


@pytest.fixture(scope="module")
def exports(tiny_exports, request):
    """The presets this session's tests use (each kind's representative, or all under `slow`),
    beside
    any other module's exports in the same base directory."""
    names = {
        item.callspec.params["name"]
        for item in request.session.items
        if item.originalname == "test_saved_model_cli_show_and_run"
    }
    tiny_exports.get(names | _NAMED)
    return tiny_exports.base, dict(tiny_exports.exported)


@pytest.mark.parametrize("name", CLI_PARAMS)
def test_saved_model_cli_show_and_run(name, exports, tmp_path):
    model, path = exports[1][name]
    shown = _cli("show", "--dir", path, "--all")
    declared = set(model.serving_signatures())
    assert {"serving_default"} <= declared
    if isinstance(model, LatentAdversarialModel):
        image = len(model.generator.outputs[0].shape) == 4
        assert {"serving_default", "sample"} | ({"png"} if image else set()) <= declared
        assert ("png" in declared) == image
        assert f"shape: (-1, {model.latent_dim})" in shown
        if model.conditional:
            assert "serving_default_label:0" in shown and "DT_INT32" in shown
    for sig in declared:
        assert f"signature_def['{sig}']" in shown
    feed = serving_inputs(model, 4, seed=2)
    for key, value in feed.items():
        assert f"name: serving_default_{key}:0" in shown
        np.save(tmp_path / f"{key}.npy", value)
    inputs = ";".join(f"{key}={tmp_path / f'{key}.npy'}" for key in feed)
    _cli(
        "run",
        "--dir",
        path,
        "--tag_set",
        "serve",
        "--signature_def",
        "serving_default",
        "--inputs",
        inputs,
        "--outdir",
        str(tmp_path / "out"),
    )
    (output,) = os.listdir(tmp_path / "out")  # images.npy, or points.npy for 2-D models
    expected = np.asarray(model(call_inputs(feed)))
    assert output == ("images.npy" if expected.ndim == 4 else "points.npy")
    served = np.load(tmp_path / "out" / output)
    assert np.max(np.abs(served - expected)) <= 1e-5


@pytest.mark.parametrize("name", ["dcgan-digits", "cgan-mnist", "gan-ring8"])
def test_sample_and_png_signatures(name, exports):
    model, path = exports[1][name]
    loaded = tf.saved_model.load(path)
    first = loaded.signatures["sample"](n=tf.constant(6), seed=tf.constant(11))
    second = loaded.signatures["sample"](n=tf.constant(6), seed=tf.constant(11))
    key = "images" if "images" in first else "points"
    np.testing.assert_array_equal(first[key].numpy(), second[key].numpy())
    generated = model.generate(6, seed=11)
    if key == "images":
        assert first[key].dtype == tf.uint8
        np.testing.assert_array_equal(
            first[key].numpy(), np.clip(np.round((generated + 1) * 127.5), 0, 255)
        )
        feed = {"z": tf.constant(model.sample_latents(2, seed=0))}
        if model.conditional:
            feed["label"] = tf.constant([1, 2], tf.int32)
        pngs = loaded.signatures["png"](**feed)["images_bytes"].numpy()
        decoded = tf.io.decode_png(pngs[0]).numpy()
        assert decoded.shape == generated.shape[1:]
    else:
        np.testing.assert_allclose(first[key].numpy(), generated, atol=1e-6)


def test_warmup_requests_cover_every_signature(exports):
    from tensorflow_serving.apis import prediction_log_pb2

    for name, (model, path) in exports[1].items():
        loaded = tf.saved_model.load(path)
        records = list(
            tf.data.TFRecordDataset(
                os.path.join(path, "assets.extra", "tf_serving_warmup_requests")
            )
        )
        logs = [prediction_log_pb2.PredictionLog.FromString(r.numpy()) for r in records]
        assert {log.predict_log.request.model_spec.signature_name for log in logs} == set(
            loaded.signatures
        )
        for log in logs:
            request = log.predict_log.request
            assert request.model_spec.name == name
            fn = loaded.signatures[request.model_spec.signature_name]
            _, spec = fn.structured_input_signature
            assert set(request.inputs) == set(spec)
            feed = {k: tf.constant(tf.make_ndarray(v)) for k, v in request.inputs.items()}
            for key, value in feed.items():
                assert value.dtype == spec[key].dtype
            fn(**feed)  # the warmup request itself runs


def test_models_config_parses(exports):
    from google.protobuf import text_format
    from tensorflow_serving.config import model_server_config_pb2

    base, exported = exports
    path = export.write_models_config(str(base), base_path_prefix="/models")
    config = text_format.Parse(open(path).read(), model_server_config_pb2.ModelServerConfig())
    entries = {c.name: c for c in config.model_config_list.config}
    assert set(entries) == set(exported)
    assert entries["dcgan-digits"].base_path == "/models/dcgan-digits"
    assert entries["dcgan-digits"].model_platform == "tensorflow"


def test_models_config_needs_exports(tmp_path):
    with pytest.raises(ValueError, match="No exported models"):
        export.write_models_config(str(tmp_path))


def test_failed_export_leaves_nothing_and_versions_are_kept(tmp_path, monkeypatch):
    model = build_tiny("dcgan-digits")
    first = export.export_generator(model, str(tmp_path), "m")
    assert first.endswith(os.path.join("m", "1"))
    snapshot = tmp_path / "snapshot"
    shutil.copytree(first, snapshot)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(saved_model_module, "warmup_requests", broken)
    with pytest.raises(OSError, match="disk full"):
        export.export_generator(model, str(tmp_path), "m")
    assert sorted(os.listdir(tmp_path / "m")) == ["1"]
    monkeypatch.undo()

    model.fit(
        tf.data.Dataset.from_tensor_slices(np.zeros((8, 8, 8, 1), np.float32)).batch(8), verbose=0
    )
    second = export.export_generator(model, str(tmp_path), "m")
    assert second.endswith(os.path.join("m", "2"))
    comparison = filecmp.dircmp(first, snapshot)
    assert not comparison.diff_files and not comparison.left_only and not comparison.right_only
    for sub in ("variables", "assets.extra"):
        sub_cmp = filecmp.dircmp(os.path.join(first, sub), snapshot / sub)
        assert not sub_cmp.diff_files and not sub_cmp.left_only
    assert filecmp.cmp(
        os.path.join(first, "variables", "variables.data-00000-of-00001"),
        snapshot / "variables" / "variables.data-00000-of-00001",
        shallow=False,
    )
    with pytest.raises(FileExistsError, match="already exists"):
        export.export_generator(model, str(tmp_path), "m", version=1)
    export.export_generator(model, str(tmp_path), "m", version=1, overwrite=True)


def test_bad_names_and_versions(tmp_path):
    model = build_tiny("gan-ring8")
    with pytest.raises(ValueError, match="name='a b'"):
        export.export_generator(model, str(tmp_path), "a b")
    with pytest.raises(ValueError, match="version=0"):
        export.export_generator(model, str(tmp_path), "m", version=0)
    # TF Serving reads versions as int64; the tree's own file is not a model name.
    with pytest.raises(ValueError, match="at most 2\\*\\*63 - 1.*version=9223372036854775808"):
        export.export_generator(model, str(tmp_path), "m", version=2**63)
    with pytest.raises(ValueError, match="name='models.config'"):
        export.export_generator(model, str(tmp_path), "models.config")
    assert os.listdir(tmp_path) == []
    path = export.export_generator(model, str(tmp_path), "m", version=2**63 - 1, write_config=True)
    assert path.endswith("9223372036854775807")
    assert f'base_path: "{tmp_path}/m"' in (tmp_path / "models.config").read_text()


def test_a_version_with_other_signatures_is_refused_unless_asked(tmp_path):
    export.export_generator(build_tiny("gan-ring8"), str(tmp_path), "m")
    digits = build_tiny("dcgan-digits")  # images where points were served
    with pytest.raises(ValueError, match=r"signatures differ from those of .*m/1 \(.*points.*\)"):
        export.export_generator(digits, str(tmp_path), "m")
    assert sorted(os.listdir(tmp_path / "m")) == ["1"]
    export.export_generator(digits, str(tmp_path), "m", replace_signatures=True)
    assert sorted(os.listdir(tmp_path / "m")) == ["1", "2"]
    # A signature added beside the others breaks no client: no flag needed.
    conditional = build_tiny("cgan-mnist")
    export.export_generator(conditional, str(tmp_path), "c")
    sigs = conditional.serving_signatures()
    monkey = {**sigs, "extra": sigs["sample"]}
    conditional.serving_signatures = lambda: monkey
    export.export_generator(conditional, str(tmp_path), "c")
    assert sorted(os.listdir(tmp_path / "c")) == ["1", "2"]
    assert "extra" in export.signatures_of(str(tmp_path / "c" / "2"))
    assert set(export.signatures_of(str(tmp_path / "m" / "2"))["serving_default"][1]) == {"images"}


def test_a_folder_named_models_config_is_named_in_the_error(tmp_path):
    export.export_generator(build_tiny("gan-ring8"), str(tmp_path), "m")
    (tmp_path / "models.config").mkdir()
    with pytest.raises(ValueError, match="models.config is a folder.*Move it away"):
        export.write_models_config(str(tmp_path))


def test_bad_requests_name_the_input(exports):
    model, path = exports[1]["cgan-mnist"]
    loaded = tf.saved_model.load(path)
    z = tf.zeros([2, model.latent_dim])
    with pytest.raises(tf.errors.InvalidArgumentError, match="z: must have shape"):
        loaded.signatures["serving_default"](
            z=tf.zeros([2, model.latent_dim + 1]), label=tf.constant([0, 1])
        )
    # Float labels: the signature's own dtype check refuses them (TF Serving checks dtypes too).
    with pytest.raises((TypeError, tf.errors.InvalidArgumentError), match="int32"):
        loaded.signatures["serving_default"](z=z, label=tf.constant([0.0, 1.0]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="label: must be in \\[0, 10\\)"):
        loaded.signatures["serving_default"](z=z, label=tf.constant([0, 10]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="label: needs one entry per row of z"):
        loaded.signatures["serving_default"](z=z, label=tf.constant([0, 1, 2]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="z: at most 1024 rows"):
        loaded.signatures["serving_default"](
            z=tf.zeros([1025, model.latent_dim]), label=tf.zeros([1025], tf.int32)
        )
    with pytest.raises(tf.errors.InvalidArgumentError, match="z: must be finite"):
        loaded.signatures["png"](
            z=tf.fill([2, model.latent_dim], np.nan), label=tf.constant([0, 1])
        )
    with pytest.raises(tf.errors.InvalidArgumentError, match="n: must be at least 1"):
        loaded.signatures["sample"](n=tf.constant(-1), seed=tf.constant(0))
    with pytest.raises(tf.errors.InvalidArgumentError, match="n: must be at most"):
        loaded.signatures["sample"](n=tf.constant(10**6), seed=tf.constant(0))


def test_export_generator_callback(tmp_path):
    from keras_gan.callbacks import ExportGenerator
    from tests.harness import synthetic_dataset

    model = build_tiny("dcgan-digits")
    callback = ExportGenerator(str(tmp_path), "digits", every_n_epochs=1)
    model.fit(
        synthetic_dataset(model, 4, 1).repeat(),
        epochs=2,
        steps_per_epoch=1,
        verbose=0,
        callbacks=[callback],
    )
    assert sorted(os.listdir(tmp_path / "digits")) == ["1", "2"]
    assert (tmp_path / "models.config").exists()
    end_only = ExportGenerator(str(tmp_path), "end")
    model.fit(
        synthetic_dataset(model, 4, 1).repeat(),
        epochs=2,
        steps_per_epoch=1,
        verbose=0,
        callbacks=[end_only],
    )
    assert os.listdir(tmp_path / "end") == ["1"]


@pytest.fixture(scope="module")
def meg_exports(tmp_path_factory):
    base = tmp_path_factory.mktemp("meg_serving")
    out = {}
    for name in ("meg-ring8", "meg-mnist-anomaly"):
        model = build_tiny(name)
        out[name] = (model, tf.saved_model.load(export.export_generator(model, str(base), name)))
    return out


@pytest.mark.parametrize("name", ["meg-ring8", "meg-mnist-anomaly"])
def test_meg_energy_and_sample_mcmc_signatures(name, meg_exports):
    model, loaded = meg_exports[name]
    x = model.generate(5, seed=4)
    served = loaded.signatures["energy"](x=tf.constant(x, tf.float32))["energy"].numpy()
    assert served.shape == (5,)
    np.testing.assert_allclose(served, model.energies(x).numpy(), atol=1e-5)
    out = loaded.signatures["sample_mcmc"](
        n=tf.constant(6),
        seed=tf.constant(3),
        mcmc_steps=tf.constant(4),
        step_size=tf.constant(0.05),
    )
    expected = model.generate(6, seed=3, mcmc_steps=4, step_size=0.05)
    assert out["acceptance_rate"].shape == (6,)
    if "points" in out:
        np.testing.assert_allclose(out["points"].numpy(), expected, atol=1e-5)
        assert not np.allclose(out["points"].numpy(), model.generate(6, seed=3), atol=1e-5)
    else:
        assert out["images"].dtype == tf.uint8
        np.testing.assert_allclose(
            out["images"].numpy(), np.clip(np.round((expected + 1) * 127.5), 0, 255), atol=1
        )
    for bad, message in (
        ({"step_size": tf.constant(0.0)}, "step_size: must be > 0"),
        ({"mcmc_steps": tf.constant(-1)}, "mcmc_steps: must be >= 0"),
    ):
        feed = {
            "n": tf.constant(2),
            "seed": tf.constant(0),
            "mcmc_steps": tf.constant(1),
            "step_size": tf.constant(0.01),
            **bad,
        }
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            loaded.signatures["sample_mcmc"](**feed)


def test_versions_are_readable_by_others_and_overwrite_swaps(tmp_path):
    model = build_tiny("gan-ring8")
    previous = os.umask(0o022)
    try:
        first = export.export_generator(model, str(tmp_path), "m", version=1)
    finally:
        os.umask(previous)
    # what mkdir gives under umask 022, not mkdtemp's 0700
    assert os.stat(first).st_mode & 0o777 == 0o755
    assert os.stat(os.path.join(first, "variables")).st_mode & 0o005 == 0o005
    model.generator.set_weights([w + 1.0 for w in model.generator.get_weights()])
    calls = []
    original = saved_model_module._swap
    monkey = pytest.MonkeyPatch()
    monkey.setattr(saved_model_module, "_swap", lambda a, b: (calls.append((a, b)), original(a, b)))
    try:
        again = export.export_generator(model, str(tmp_path), "m", version=1, overwrite=True)
    finally:
        monkey.undo()
    assert again == first and calls and calls[0][1] == first
    assert sorted(os.listdir(tmp_path / "m")) == ["1"]  # no temporary or old folder left
    z = np.zeros((2, 2), np.float32)
    served = (
        tf.saved_model.load(first).signatures["serving_default"](z=tf.constant(z))["points"].numpy()
    )
    np.testing.assert_allclose(served, model(z), atol=1e-6)


def test_models_config_is_replaced_atomically(tmp_path):
    model = build_tiny("gan-ring8")
    export.export_generator(model, str(tmp_path), "m")
    path = export.write_models_config(str(tmp_path))
    assert sorted(os.listdir(tmp_path)) == ["m", "models.config"]
    assert 'name: "m"' in open(path).read()


def test_cli_export_overwrite(tmp_path, capsys):
    from keras_gan import cli

    run_dir = tmp_path / "run"
    assert (
        cli.main(
            ["train", "gan-ring8", "--steps", "2", "--out", str(run_dir), "--batch-size", "16"]
        )
        == 0
    )
    serving = str(tmp_path / "serving")
    assert cli.main(["export", str(run_dir), "--serving-dir", serving, "--version", "3"]) == 0
    capsys.readouterr()
    assert cli.main(["export", str(run_dir), "--serving-dir", serving, "--version", "3"]) == 2
    assert "--overwrite" in capsys.readouterr().err
    assert (
        cli.main(
            ["export", str(run_dir), "--serving-dir", serving, "--version", "3", "--overwrite"]
        )
        == 0
    )
