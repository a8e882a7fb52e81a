"""Shapes and options of the zoo's DCGAN networks and of the unrolled GAN's Stacked MNIST pair."""

import numpy as np
import pytest

from keras_gan.zoo.networks.dcgan import dcgan_generator
from keras_gan.zoo.unrolled.networks import metz_stacked_networks


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


def _trainable(model):
    return sum(int(np.prod(v.shape)) for v in model.trainable_variables)


def _conv(k, c_in, c_out):  # kernel and bias
    return k * k * c_in * c_out + c_out


@pytest.mark.parametrize("d_width", [2, 4])
def test_metz_stacked_networks_have_the_layers_of_pacgans_table_3_code(d_width):
    """Trainable parameters as the layer shapes of fjxmlzn/PacGAN's D=0.25G and D=0.5G models
    (batch norm's scale and offset included), and 4 packed images on D's channels."""
    nets = metz_stacked_networks(d_width=d_width, pack=4)
    generator, discriminator = nets["generator"], nets["discriminator"]
    g = (256 * 1024 + 1024) + 2 * 64  # linear to 4 x 4 x 64, batch norm
    g += _conv(3, 64, 32) + 2 * 32 + _conv(3, 32, 16) + 2 * 16 + _conv(3, 16, 8) + 2 * 8
    g += _conv(3, 8, 3)
    c = [d_width, 2 * d_width, 4 * d_width]
    d = _conv(3, 12, c[0]) + _conv(3, c[0], c[1]) + _conv(3, c[1], c[2]) + 2 * sum(c)
    d += 4 * 4 * c[2] + 1  # 28 -> 14 -> 7 -> 4, then the logit
    assert _trainable(generator) == g == 287875
    assert _trainable(discriminator) == d
    assert generator.output.shape[1:] == (28, 28, 3)
    assert [generator.get_layer(f"deconv_{i}").output.shape[1:3] for i in (1, 2, 3)] == [
        (7, 7),
        (14, 14),
        (28, 28),
    ]
    assert discriminator.input.shape[1:] == (28, 28, 12)


def test_metz_stacked_networks_reject_bad_sizes():
    with pytest.raises(ValueError, match=r"image_shape=\(32, 32, 3\)"):
        metz_stacked_networks(image_shape=(32, 32, 3))
    with pytest.raises(ValueError, match="d_width=0"):
        metz_stacked_networks(d_width=0)
    with pytest.raises(ValueError, match="width=12"):
        metz_stacked_networks(width=12)
