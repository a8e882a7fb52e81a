"""A learned per-channel bias."""

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="keras_gan")
class BiasAdd(keras.layers.Layer):
    """Adds a learned bias per channel (StyleGAN's `apply_bias` after a noise input).

    Reference:
        NVlabs `networks_stylegan.py` (`layer_epilogue`: noise, bias, activation, AdaIN).

    Formula:
        `y = x + b` over the last axis, `b` initialised at 0.

    Example:
        >>> y = BiasAdd()(x)
    """

    def build(self, input_shape):
        self.bias = self.add_weight(shape=(int(input_shape[-1]),), initializer="zeros", name="bias")

    def call(self, inputs):
        return inputs + tf.cast(self.bias, inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape
