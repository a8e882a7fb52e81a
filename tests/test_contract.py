"""The contract every zoo preset meets; a preset gets these tests by registering.

`make test` runs them on one preset of each kind of train step, `make test-slow` on the
others. For each preset, at test size: a few `fit` steps give finite losses and move
every network; a latent-variable model's `generate` has the data's shape and
range; 2 mirrored replicas compute exactly what 1 device computes on the same
global batch (tests/test_contract_replicas.py); a `.keras` file round-trips; the
exported SavedModel, loaded in a fresh process, returns what the model's `call`
returns for the same `serving_default` inputs (latents, or images to translate).
"""

import json
import os
import subprocess
import sys

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan import zoo
from keras_gan.models import LatentAdversarialModel
from tests.harness import (
    build_tiny,
    call_inputs,
    downloads_last,
    max_weight_diff,
    one_per_kind,
    serving_inputs,
    serving_kind,
    synthetic_dataset,
)

BATCH = 8
NAMES = downloads_last(zoo.names())
LATENT = [name for name in NAMES if issubclass(zoo.spec(name).model, LatentAdversarialModel)]


def _step_kind(name):
    """What shapes the train step of the preset as these tests build it (`tiny`): scheme, data,
    conditioning, options set, n_critic, schedule."""
    spec = zoo.spec(name)
    options = tuple(sorted(k for k, v in spec.model_args.items() if v is not None))
    return (
        spec.model.__name__,
        "image_shape" in spec.arch,
        "num_classes" in spec.arch,
        options,
        spec.tiny.get("n_critic", spec.n_critic) > 1,
        spec.lr_decay is not None,
    )


# `make test` runs every contract test on one preset of each kind of train step; `make test-slow`
# on all the others (every preset passes them all by registering).
PER_KIND = one_per_kind(NAMES, _step_kind)
LATENT_PER_KIND = one_per_kind(LATENT, _step_kind)


def _is_image(model):
    return len(model.discriminator.inputs[0].shape) == 4


@pytest.mark.parametrize("name", PER_KIND)
def test_fit_moves_both_networks(name):
    model = build_tiny(name)
    nets = model.generator_networks() + model.discriminator_networks()
    before = [net.get_weights() for net in nets]
    history = model.fit(synthetic_dataset(model, BATCH, 3), epochs=1, verbose=0)
    for key in ("d_loss", "g_loss", "d_real", "d_fake"):
        assert np.isfinite(history.history[key][-1]), (key, history.history)
    for net, weights in zip(nets, before):
        assert max_weight_diff(weights, net.get_weights()) > 0, net.name
    assert int(model.g_optimizer.iterations) == 3
    assert int(model.d_optimizer.iterations) == 3 * model.n_critic


@pytest.mark.parametrize("name", LATENT_PER_KIND)
def test_generate_shape_range_and_seed(name):
    model = build_tiny(name)
    out = model.generate(5, seed=3)
    # the samples' shape (a packing discriminator takes several)
    data = tf.nest.flatten(model.data_spec())[0]
    assert out.shape == (5, *data.shape[1:])
    assert np.isfinite(out).all()
    if _is_image(model):
        assert out.min() >= -1.0 and out.max() <= 1.0
    np.testing.assert_array_equal(out, model.generate(5, seed=3))
    assert not np.array_equal(out, model.generate(5, seed=4))


_XLA = r"""
import json, sys
import numpy as np
from keras_gan import zoo
from tests.harness import build_tiny, max_weight_diff, synthetic_dataset
from tests.test_contract import BATCH

out = {}
for name in sys.argv[2:]:
    model = build_tiny(name, jit_compile=True)
    before = model.get_weights()
    history = model.fit(synthetic_dataset(model, BATCH, 2), epochs=1, verbose=0).history
    out[name] = {
        "jit_compile": bool(model.jit_compile),
        "finite": bool(all(np.isfinite(v[-1]) for v in history.values())),
        "moved": max_weight_diff(before, model.get_weights()),
        "steps": int(model.g_optimizer.iterations),
    }
json.dump(out, open(sys.argv[1], "w"))
"""


# XLA compiles each scheme's train step: one preset per scheme, the others slow. The ResNet,
# attention and StyleGAN steps take minutes to compile on 2 cores: those schemes only under slow.
_XLA_SLOW_SCHEMES = {"SAGAN", "BigGAN", "StyleGAN", "InfoGAN", "BiGAN", "EBGAN"}
XLA_PARAMS = [
    name
    if isinstance(name, str) and zoo.spec(name).model.__name__ not in _XLA_SLOW_SCHEMES
    else pytest.param(name if isinstance(name, str) else name.values[0], marks=pytest.mark.slow)
    for name in one_per_kind(NAMES, lambda name: zoo.spec(name).model.__name__)
]


@pytest.fixture(scope="module")
def xla_results(tmp_path_factory, request):
    """The presets of this session's XLA tests trained 2 steps with `jit_compile=True`,
    in one process without op determinism.

    (Keras silently turns `jit_compile` off when op determinism is on, as it is
    in this test process; see conftest.py.)
    """
    names = sorted(
        {
            item.callspec.params["name"]
            for item in request.session.items
            if item.originalname == "test_train_step_compiles_with_xla"
        }
    )
    path = tmp_path_factory.mktemp("xla") / "xla.json"
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    subprocess.run(
        [sys.executable, "-c", _XLA, str(path), *names],
        check=True,
        env=env,
        timeout=1200,
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    )
    return json.loads(path.read_text())


# One preset of each kind of train step in `make test`; the others are `slow`.
@pytest.mark.parametrize("name", XLA_PARAMS)
def test_train_step_compiles_with_xla(name, xla_results):
    """Every train step compiles with XLA, as TPUs need, and trains.

    XLA's stateless random kernels draw other numbers than TensorFlow's for
    the same seed (even with an explicit algorithm), so XLA and non-XLA runs
    are not compared weight for weight.
    """
    result = xla_results[name]
    assert result["jit_compile"], f"Keras refused to XLA-compile {name}'s train step"
    assert result["finite"] and result["moved"] > 0 and result["steps"] == 2, result


@pytest.mark.parametrize("name", PER_KIND)
def test_keras_file_round_trip(name, tmp_path):
    model = build_tiny(name)
    model.fit(synthetic_dataset(model, BATCH, 2), epochs=1, verbose=0)
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    assert type(loaded) is type(model)
    inputs = call_inputs(serving_inputs(model, 4))
    np.testing.assert_allclose(loaded(inputs), model(inputs), atol=1e-6)
    as_json = lambda m: json.loads(json.dumps(m.get_config()))  # tuples and lists alike
    assert as_json(loaded) == as_json(model)
    assert loaded.n_critic == model.n_critic
    assert int(loaded.g_optimizer.iterations) == int(model.g_optimizer.iterations)
    # Training continues from the restored optimizer state, identically.
    loaded.fit(synthetic_dataset(loaded, BATCH, 1, seed=5), epochs=1, verbose=0)
    model.fit(synthetic_dataset(model, BATCH, 1, seed=5), epochs=1, verbose=0)
    assert max_weight_diff(loaded.get_weights(), model.get_weights()) <= 1e-6


_SERVE = r"""
import json, sys
import numpy as np
import tensorflow as tf
out = {}
for name, path in json.loads(sys.argv[1]).items():
    data = np.load(path + ".inputs.npz")
    fn = tf.saved_model.load(path).signatures["serving_default"]
    feed = {k: tf.constant(data[k]) for k in data.files}
    (served,) = fn(**feed).values()  # `images`, or `points` for 2-D models
    np.save(path + ".served.npy", served.numpy())
"""


@pytest.fixture(scope="module")
def exported(tiny_exports, request):
    """The presets of this session's fresh-process tests, exported and served in one new process."""
    names = sorted(
        {
            item.callspec.params["name"]
            for item in request.session.items
            if item.originalname == "test_saved_model_in_fresh_process_matches"
        }
    )
    paths, expected = {}, {}
    for name, (model, path) in tiny_exports.get(names).items():
        feed = serving_inputs(model, 6, seed=1)
        np.savez(path + ".inputs.npz", **feed)
        expected[name] = np.asarray(model(call_inputs(feed)))
        paths[name] = path
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    subprocess.run(
        [sys.executable, "-c", _SERVE, json.dumps(paths)], check=True, env=env, timeout=600
    )
    return {name: (expected[name], np.load(paths[name] + ".served.npy")) for name in names}


# What is served depends on the scheme, the data and the conditioning, not on the train step: one
# preset of each serving kind in `make test` (tests/test_export.py runs TensorFlow's CLI on the same
# exports), every preset under `slow`.
@pytest.mark.parametrize("name", one_per_kind(NAMES, serving_kind))
def test_saved_model_in_fresh_process_matches(name, exported):
    expected, served = exported[name]
    assert served.shape == expected.shape
    assert np.max(np.abs(served - expected)) <= 1e-5
