"""Networks of the SN-GAN paper (Miyato et al. 2018, Table 3): the "standard CNN".

Discriminator: 3x3 stride-1 / 4x4 stride-2 convolution pairs with LeakyReLU(0.1),
every layer spectrally normalized (keras_gan.layers.SpectralNormalization), then
one linear output. Generator: a projection to 4x4 (or 7x7) and 4x4 stride-2
deconvolutions with BatchNorm and ReLU, a 3x3 convolution and tanh.
`standard_cnn_*` are the paper's 32x32 networks; `mnist_cnn_*` a smaller
variant for 28x28 (two downsamplings, widths halved).
"""

import keras
from keras import layers

from keras_gan.layers import SpectralNormalization, SyncBatchNormalization


def _sn_conv(filters, kernel, strides, name):
    return SpectralNormalization(
        layers.Conv2D(filters, kernel, strides=strides, padding="same"), name=name
    )


def sn_discriminator(image_shape, widths, name="discriminator"):
    """Pairs (3x3 s1, 4x4 s2) per width, a last 3x3 conv, then a linear output."""
    x = keras.Input(image_shape, name="x")
    h = x
    for i, w in enumerate(widths[:-1]):
        h = layers.LeakyReLU(0.1)(_sn_conv(w, 3, 1, f"conv_{i}a")(h))
        h = layers.LeakyReLU(0.1)(_sn_conv(w, 4, 2, f"conv_{i}b")(h))
    h = layers.LeakyReLU(0.1)(_sn_conv(widths[-1], 3, 1, "conv_last")(h))
    h = layers.Flatten()(h)
    out = SpectralNormalization(layers.Dense(1), name="logit")(h)
    return keras.Model(x, out, name=name)


def sn_generator(latent_dim, image_shape, base, widths, name="generator"):
    """Projection to `base x base x widths[0]`, one 4x4 s2 deconvolution per later width."""
    z = keras.Input((latent_dim,), name="z")
    h = layers.Dense(base * base * widths[0], name="project")(z)
    h = layers.Reshape((base, base, widths[0]))(h)
    for i, w in enumerate(widths[1:]):
        h = layers.Conv2DTranspose(w, 4, strides=2, padding="same", name=f"deconv_{i}")(h)
        h = layers.ReLU()(SyncBatchNormalization(name=f"deconv_{i}_bn")(h))
    out = layers.Conv2D(image_shape[-1], 3, padding="same", activation="tanh", name="to_image")(h)
    return keras.Model(z, out, name=name)


def standard_cnn(latent_dim=128, image_shape=(32, 32, 3), width=64):
    """The paper's standard CNN for 32x32 images (width 64 -> 64/128/256/512)."""
    return {
        "generator": sn_generator(
            latent_dim, image_shape, 4, [8 * width, 4 * width, 2 * width, width]
        ),
        "discriminator": sn_discriminator(image_shape, [width, 2 * width, 4 * width, 8 * width]),
    }


def mnist_cnn(latent_dim=128, image_shape=(28, 28, 1), width=32):
    """A smaller standard CNN for 28x28 images (two downsamplings)."""
    return {
        "generator": sn_generator(latent_dim, image_shape, 7, [4 * width, 2 * width, width]),
        "discriminator": sn_discriminator(image_shape, [width, 2 * width, 4 * width]),
    }
