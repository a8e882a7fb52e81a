"""Energy and statistics networks of MEG (Kumar et al. 2019).

Energy nets map a sample to one energy and have no BatchNorm (MEG's gradient
penalty is per example). Statistics nets `T(x, z)` score a (sample, latent)
pair for the JSD mutual-information estimator.
"""

import keras
from keras import layers

from keras_gan.zoo.networks.dcgan import dcgan_generator
from keras_gan.zoo.networks.mlp import mlp_generator


def mlp_energy(data_dim=2, width=512, depth=3, name="energy"):
    """x -> `depth` x (Dense `width`, LeakyReLU 0.2) -> one energy (the paper's 2-D toy net)."""
    x = keras.Input((data_dim,), name="x")
    h = x
    for i in range(depth):
        h = layers.LeakyReLU(0.2)(layers.Dense(width, name=f"dense_{i}")(h))
    return keras.Model(x, layers.Dense(1, name="energy")(h), name=name)


def mlp_statistics(data_dim=2, latent_dim=2, width=512, depth=3, name="statistics"):
    """[x, z] -> concatenation -> `depth` x (Dense `width`, LeakyReLU 0.2) -> one score."""
    x = keras.Input((data_dim,), name="x")
    z = keras.Input((latent_dim,), name="z")
    h = layers.Concatenate()([x, z])
    for i in range(depth):
        h = layers.LeakyReLU(0.2)(layers.Dense(width, name=f"dense_{i}")(h))
    return keras.Model([x, z], layers.Dense(1, name="score")(h), name=name)


def conv_energy(image_shape=(28, 28, 1), width=64, name="energy"):
    """Images -> two strided 5x5 convolutions (LeakyReLU 0.2, no BatchNorm) -> one energy."""
    x = keras.Input(image_shape, name="x")
    h = layers.LeakyReLU(0.2)(layers.Conv2D(width, 5, strides=2, padding="same", name="conv_1")(x))
    h = layers.LeakyReLU(0.2)(
        layers.Conv2D(2 * width, 5, strides=2, padding="same", name="conv_2")(h)
    )
    h = layers.Flatten()(h)
    return keras.Model(x, layers.Dense(1, name="energy")(h), name=name)


def conv_statistics(image_shape=(28, 28, 1), latent_dim=100, width=64, name="statistics"):
    """[images, z] -> image features (two strided convolutions) concatenated with z -> MLP -> one
    score."""
    x = keras.Input(image_shape, name="x")
    z = keras.Input((latent_dim,), name="z")
    h = layers.LeakyReLU(0.2)(layers.Conv2D(width, 5, strides=2, padding="same", name="conv_1")(x))
    h = layers.LeakyReLU(0.2)(
        layers.Conv2D(2 * width, 5, strides=2, padding="same", name="conv_2")(h)
    )
    h = layers.Concatenate()([layers.Flatten()(h), z])
    h = layers.LeakyReLU(0.2)(layers.Dense(4 * width, name="dense")(h))
    return keras.Model([x, z], layers.Dense(1, name="score")(h), name=name)


def meg_mlp_networks(latent_dim=2, width=512, depth=3):
    """The 2-D toy networks: generator, energy and statistics MLPs."""
    return {
        "generator": mlp_generator(latent_dim=latent_dim, width=width, depth=depth),
        "energy": mlp_energy(width=width, depth=depth),
        "statistics": mlp_statistics(latent_dim=latent_dim, width=width, depth=depth),
    }


def meg_conv_networks(latent_dim=100, image_shape=(28, 28, 1), width=64):
    """DCGAN generator, a BatchNorm-free convolutional energy and a convolutional statistics net."""
    return {
        "generator": dcgan_generator(latent_dim, image_shape, width),
        "energy": conv_energy(image_shape, width),
        "statistics": conv_statistics(image_shape, latent_dim, width),
    }
