"""Shapes and options of the zoo's DCGAN networks."""

import pytest

from keras_gan.zoo.networks.dcgan import dcgan_generator


@pytest.mark.parametrize("base_blocks, project_channels", [(0, 8), (1, 16), (2, 32)])
def test_dcgan_generator_base_blocks(base_blocks, project_channels):
    g = dcgan_generator(latent_dim=3, image_shape=(8, 8, 1), width=4, base_blocks=base_blocks)
    assert g.get_layer("project").output.shape[-1] == 2 * 2 * project_channels
    blocks = [
        layer
        for layer in g.layers
        if layer.name.startswith("base_") and not layer.name.endswith("_bn")
    ]
    assert [layer.strides for layer in blocks] == [(1, 1)] * base_blocks
    # Each stride-1 block halves the channels, so the upsampling path is the same as without blocks.
    assert g.get_layer("deconv_1").input.shape[1:] == (2, 2, 8)
    assert g.output.shape[1:] == (8, 8, 1)


def test_dcgan_generator_rejects_bad_sizes():
    with pytest.raises(ValueError, match=r"base_blocks=-1"):
        dcgan_generator(latent_dim=3, image_shape=(8, 8, 1), width=4, base_blocks=-1)
    with pytest.raises(ValueError, match=r"image_shape=\(10, 8, 1\)"):
        dcgan_generator(latent_dim=3, image_shape=(10, 8, 1), width=4)
