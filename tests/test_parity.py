"""Parity with the authors' code: keras-gan's presets against the networks they cite, built by
the reference repositories themselves (tests/fixtures/parity/README.md says how the fixtures were
made). On the same random weights and inputs the outputs agree to float32 precision, and the
full-size presets have the reference's parameters tensor by tensor."""

import json
import pathlib

import numpy as np
import pytest

from keras_gan import zoo
from keras_gan.convert import studiogan
from keras_gan.convert.state_dict import StateDict

FIXTURES = pathlib.Path(__file__).parent / "fixtures" / "parity"


def _state(arrays, prefix):
    return StateDict(
        {k[len(prefix) :]: arrays[k] for k in arrays.files if k.startswith(prefix)},
        source=f"the fixture's {prefix!r} state",
    )


def _relative(ours, theirs):
    return float(np.max(np.abs(ours - theirs)) / np.max(np.abs(theirs)))


def _trainable_count(network):
    return sum(int(np.prod(w.shape)) for w in network.trainable_weights)


@pytest.fixture(scope="module")
def biggan_cifar10():
    arrays = np.load(FIXTURES / "studiogan_biggan_cifar10.npz")
    info = json.loads((FIXTURES / "studiogan_biggan_cifar10.json").read_text())
    _, shared, g_ch, d_ch = info["small_args"]
    model = zoo.build("biggan-cifar10", ch=g_ch, shared_dim=shared)
    assert d_ch == g_ch  # one `ch` sets both widths (G 4ch, D 2ch)
    return arrays, info, model


def test_studiogan_biggan_generator_outputs(biggan_cifar10):
    arrays, _, model = biggan_cifar10
    generator = model.network_to_save("generator")
    state = _state(arrays, "g/")
    studiogan.load_generator(state, generator)
    state.check_all_taken()
    images = generator([arrays["z"], arrays["labels"]], training=False).numpy()
    theirs = arrays["images"].transpose(0, 2, 3, 1)
    assert _relative(images, theirs) < 1e-5


def test_studiogan_biggan_discriminator_outputs(biggan_cifar10):
    arrays, _, model = biggan_cifar10
    state = _state(arrays, "d/")
    studiogan.load_discriminator(state, model.discriminator)
    state.check_all_taken()
    for inputs, key in ((arrays["x"], "scores"), (arrays["images"], "fake_scores")):
        x = inputs.transpose(0, 2, 3, 1)
        scores = model.discriminator([x, arrays["labels"]], training=False).numpy()[:, 0]
        assert _relative(scores, arrays[key]) < 1e-5, key


def test_biggan_cifar10_has_studiogans_parameters_tensor_by_tensor(biggan_cifar10):
    _, info, _ = biggan_cifar10
    model = zoo.build("biggan-cifar10")
    generator = model.network_to_save("generator")
    assert _trainable_count(generator) == info["generator_parameters"] == 9_416_196
    assert _trainable_count(model.discriminator) == info["discriminator_parameters"] == 2_415_170
    # Every tensor of the reference state has a place of the same (converted) shape, and every
    # place is filled: the loaders refuse a missing key, a shape mismatch or a leftover.
    for key, network, load in (
        ("generator_state", generator, studiogan.load_generator),
        ("discriminator_state", model.discriminator, studiogan.load_discriminator),
    ):
        state = StateDict({k: np.zeros(s, np.float32) for k, s in info[key].items()})
        load(state, network)
        state.check_all_taken()


def test_a_checkpoint_of_another_size_is_refused_naming_the_tensor(biggan_cifar10):
    arrays, _, _ = biggan_cifar10
    model = zoo.build("biggan-cifar10", ch=16, shared_dim=16)
    with pytest.raises(ValueError, match=r"'blocks.0.0.conv2d1.weight_orig' has shape"):
        studiogan.load_discriminator(_state(arrays, "d/"), model.discriminator)
    with pytest.raises(ValueError, match=r"has no tensor 'linear0.weight_orig'"):
        studiogan.load_generator(StateDict({"x": np.zeros(1)}), model.generator)
