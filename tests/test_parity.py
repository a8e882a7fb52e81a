"""Parity with the authors' code: keras-gan's presets against the networks they cite, built by
the reference repositories themselves (tests/fixtures/parity/README.md says how the fixtures were
made). On the same random weights and inputs the outputs agree to float32 precision, and the
full-size presets have the reference's parameters tensor by tensor."""

import json
import pathlib

import numpy as np
import pytest

from keras_gan import zoo
from keras_gan.convert import biggan_pytorch, cyclegan, studiogan
from keras_gan.convert.state_dict import StateDict

FIXTURES = pathlib.Path(__file__).parent / "fixtures" / "parity"

# fixture -> (preset, overrides of the small networks from the fixture's small_args, loaders,
# full-size parameters (G, D) as the reference counts them)
CASES = {
    "studiogan_biggan_cifar10": (
        "biggan-cifar10",
        lambda z, shared, g_ch, d_ch: {"latent_dim": z, "shared_dim": shared, "ch": g_ch},
        (studiogan.load_generator, studiogan.load_discriminator),
        (9_416_196, 2_415_170),
    ),
    "studiogan_sagan_cifar10": (
        "sagan-cifar10",
        lambda z, g_ch, d_ch: {"latent_dim": z, "ch": g_ch},
        (studiogan.load_generator, studiogan.load_discriminator),
        (4_386_308, 1_075_586),
    ),
}


def _state(arrays, prefix):
    return StateDict(
        {k[len(prefix) :]: arrays[k] for k in arrays.files if k.startswith(prefix)},
        source=f"the fixture's {prefix!r} state",
    )


def _relative(ours, theirs):
    return float(np.max(np.abs(ours - theirs)) / np.max(np.abs(theirs)))


def _trainable_count(network):
    return sum(int(np.prod(w.shape)) for w in network.trainable_weights)


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request):
    name = request.param
    preset, overrides, loaders, counts = CASES[name]
    arrays = np.load(FIXTURES / f"{name}.npz")
    info = json.loads((FIXTURES / f"{name}.json").read_text())
    args = info["small_args"]
    assert args[-1] == args[-2]  # one `ch` sets both widths (G 4ch, D 2ch)
    model = zoo.build(preset, **overrides(*args))
    return arrays, info, model, preset, loaders, counts


def test_generator_outputs(case):
    arrays, _, model, _, (load_generator, _), _ = case
    generator = model.network_to_save("generator")
    state = _state(arrays, "g/")
    load_generator(state, generator)
    state.check_all_taken()
    images = generator([arrays["z"], arrays["labels"]], training=False).numpy()
    assert _relative(images, arrays["images"].transpose(0, 2, 3, 1)) < 1e-5


def test_discriminator_outputs(case):
    arrays, _, model, _, (_, load_discriminator), _ = case
    state = _state(arrays, "d/")
    load_discriminator(state, model.discriminator)
    state.check_all_taken()
    for inputs, key in ((arrays["x"], "scores"), (arrays["images"], "fake_scores")):
        x = inputs.transpose(0, 2, 3, 1)
        scores = model.discriminator([x, arrays["labels"]], training=False).numpy()[:, 0]
        assert _relative(scores, arrays[key]) < 1e-5, key


def test_full_size_preset_has_the_references_parameters_tensor_by_tensor(case):
    _, info, _, preset, loaders, counts = case
    model = zoo.build(preset)
    networks = (model.network_to_save("generator"), model.discriminator)
    assert [_trainable_count(n) for n in networks] == list(counts)
    assert counts == (info["generator_parameters"], info["discriminator_parameters"])
    # Every tensor of the reference state has a place of the same (converted) shape, and every
    # place is filled: the loaders refuse a missing key, a shape mismatch or a leftover.
    for key, network, load in zip(("generator_state", "discriminator_state"), networks, loaders):
        state = StateDict({k: np.zeros(s, np.float32) for k, s in info[key].items()})
        load(state, network)
        state.check_all_taken()


def test_a_checkpoint_of_another_size_is_refused_naming_the_tensor():
    arrays = np.load(FIXTURES / "studiogan_biggan_cifar10.npz")
    model = zoo.build("biggan-cifar10", ch=16, shared_dim=16)
    with pytest.raises(ValueError, match=r"'blocks.0.0.conv2d1.weight_orig' has shape"):
        studiogan.load_discriminator(_state(arrays, "d/"), model.discriminator)
    with pytest.raises(ValueError, match=r"has no tensor 'linear0.weight_orig'"):
        studiogan.load_generator(StateDict({"x": np.zeros(1)}), model.generator)


@pytest.fixture(scope="module")
def cyclegan_case():
    arrays = np.load(FIXTURES / "cyclegan_resnet9_patchgan.npz")
    info = json.loads((FIXTURES / "cyclegan_resnet9_patchgan.json").read_text())
    small = info["small_args"]
    model = zoo.build(
        "cyclegan-horse2zebra",
        image_shape=(32, 32, 3),
        width=small["ngf"],
        d_width=small["ndf"],
    )
    return arrays, info, model


def test_cyclegan_generator_and_patchgan_outputs(cyclegan_case):
    arrays, _, model = cyclegan_case
    x = arrays["x"].transpose(0, 2, 3, 1)
    for prefix, load, network, key in (
        ("g/", cyclegan.load_generator, model.generator_ab, "images"),
        ("d/", cyclegan.load_discriminator, model.discriminator_b, "scores"),
    ):
        state = _state(arrays, prefix)
        load(state, network)
        state.check_all_taken()
        ours = network(x, training=False).numpy()
        assert _relative(ours, arrays[key].transpose(0, 2, 3, 1)) < 1e-5, key


def test_cyclegan_horse2zebra_has_the_authors_parameters_tensor_by_tensor(cyclegan_case):
    _, info, _ = cyclegan_case
    model = zoo.build("cyclegan-horse2zebra")
    assert _trainable_count(model.generator_ab) == info["generator_parameters"] == 11_378_179
    assert _trainable_count(model.discriminator_a) == info["discriminator_parameters"] == 2_764_737
    for key, network, load in (
        ("generator_state", model.generator_ab, cyclegan.load_generator),
        ("discriminator_state", model.discriminator_a, cyclegan.load_discriminator),
    ):
        state = StateDict({k: np.zeros(s, np.float32) for k, s in info[key].items()})
        load(state, network)
        state.check_all_taken()


@pytest.fixture(scope="module")
def bgp128():
    g = np.load(FIXTURES / "biggan_pytorch_128.npz")
    d = np.load(FIXTURES / "biggan_pytorch_128_d.npz")
    g_info = json.loads((FIXTURES / "biggan_pytorch_128.json").read_text())
    d_info = json.loads((FIXTURES / "biggan_pytorch_128_d.json").read_text())
    assert g_info["small_args"]["G_ch"] == d_info["small_args"]["D_ch"]
    model = zoo.build(
        "biggan-imagenet128",
        ch=g_info["small_args"]["G_ch"],
        shared_dim=g_info["small_args"]["shared_dim"],
    )
    return g, d, g_info, d_info, model


def test_biggan_pytorch_128_generator_and_discriminator_outputs(bgp128):
    g, d, _, _, model = bgp128
    generator = model.network_to_save("generator")
    state = _state(g, "g/")
    biggan_pytorch.load_generator(state, generator)
    state.check_all_taken()
    images = generator([g["z"], g["labels"]], training=False).numpy()
    assert _relative(images, g["images"].transpose(0, 2, 3, 1)) < 1e-5
    state = _state(d, "d/")
    biggan_pytorch.load_discriminator(state, model.discriminator)
    state.check_all_taken()
    scores = model.discriminator([d["x"].transpose(0, 2, 3, 1), d["labels"]], training=False)
    assert _relative(scores.numpy(), d["scores"]) < 1e-5


def test_biggan_imagenet128_has_the_authors_parameters_tensor_by_tensor(bgp128):
    _, _, g_info, d_info, _ = bgp128
    model = zoo.build("biggan-imagenet128")
    generator = model.network_to_save("generator")
    assert _trainable_count(generator) == g_info["generator_parameters"] == 70_433_988
    assert _trainable_count(model.discriminator) == d_info["discriminator_parameters"] == 87_982_370
    for info, key, load, network in (
        (g_info, "generator_state", biggan_pytorch.load_generator, generator),
        (d_info, "discriminator_state", biggan_pytorch.load_discriminator, model.discriminator),
    ):
        state = StateDict({k: np.zeros(s, np.float32) for k, s in info[key].items()})
        load(state, network)
        state.check_all_taken()
