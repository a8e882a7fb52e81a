"""The zoo's layout and the registry's override routing."""

import dataclasses
import pathlib

import pytest

from keras_gan import zoo
from keras_gan.models import GAN
from keras_gan.zoo import registry

ZOO = pathlib.Path(zoo.__file__).parent
FAMILIES = sorted(p.parent.name for p in ZOO.glob("*/presets.py"))


def test_every_preset_lives_in_its_family_folder():
    for name in zoo.names():
        preset = zoo.spec(name)
        module = preset.networks.__module__.split(".")
        assert module[:2] == ["keras_gan", "zoo"] and module[2] in (*FAMILIES, "networks"), name
    assert {"gan", "biggan", "sngan", "meg", "stylegan", "cyclegan"} <= set(FAMILIES)
    for family in FAMILIES:
        assert (ZOO / family / "__init__.py").exists(), family
    assert sorted(p.name for p in ZOO.glob("*.py")) == ["__init__.py", "registry.py"]


def test_networks_are_always_named():
    for name in ("gan-ring8", "dcgan-digits", "sngan-mnist", "fgan-kl-mixture1d", "ebgan-mnist"):
        preset = zoo.spec(name)
        networks = preset.networks(**{**preset.arch, **preset.tiny})
        assert isinstance(networks, dict) and set(networks) >= {"generator", "discriminator"}


def test_shared_keys_reach_both_the_networks_and_the_model():
    model = zoo.build("cgan-mnist", num_classes=4, latent_dim=6, width=4)
    assert model.num_classes == 4 and model.latent_dim == 6
    assert model.generator.inputs[0].shape[-1] == 6
    assert model.capabilities().num_classes == 4


def test_an_arch_key_that_is_not_shared_stays_with_the_networks():
    base = zoo.spec("gan-ring8")
    for shared, model_pack in ((("latent_dim", "pack"), 2), (("latent_dim",), 1)):
        preset = dataclasses.replace(
            base, name="test-routing", arch={**base.arch, "pack": 2}, shared=shared
        )
        registry.register(preset)
        try:
            model = zoo.build("test-routing")
        finally:
            registry._PRESETS.pop("test-routing")
        assert model.discriminator.inputs[0].shape[-1] == 4  # the networks always get arch
        assert model.pack == model_pack  # the model only what the preset shares


def test_shared_keys_must_be_arch_keys_and_unknown_overrides_list_what_is_allowed():
    with pytest.raises(ValueError, match=r"shared keys must be keys of arch. Received: \['nope'\]"):
        dataclasses.replace(zoo.spec("gan-ring8"), shared=("nope",))
    with pytest.raises(
        ValueError, match="Unknown override 'nope' for 'gan-ring8'. Allowed: .*generator_loss"
    ):
        zoo.build("gan-ring8", nope=1)
    assert "generator_loss" in GAN.option_names() and "self" not in GAN.option_names()
