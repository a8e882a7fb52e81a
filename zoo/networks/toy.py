"""Networks of the 1-D f-GAN toy task: a Gaussian generator and an MLP critic."""

import keras
from keras import layers

from keras_gan.zoo.networks.mlp import mlp_discriminator


@keras.saving.register_keras_serializable(package="keras_gan")
class LocationScale(layers.Layer):
    """`x = μ + σ z` with trainable μ and log σ: a generator whose samples are N(μ, σ²) for z ~ N(0,
    1)."""

    def build(self, input_shape):
        dim = input_shape[-1]
        self.loc = self.add_weight(shape=(dim,), initializer="zeros", name="loc")
        self.log_scale = self.add_weight(shape=(dim,), initializer="zeros", name="log_scale")

    def call(self, z):
        return self.loc + keras.ops.exp(self.log_scale) * z


def gaussian_generator(name="generator"):
    z = keras.Input((1,), name="z")
    return keras.Model(z, LocationScale(name="location_scale")(z), name=name)


def toy_networks(width=64, depth=2):
    return {
        "generator": gaussian_generator(),
        "discriminator": mlp_discriminator(data_dim=1, width=width, depth=depth),
    }
