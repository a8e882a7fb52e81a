"""StyleGAN's per-pixel noise input with a learned per-channel strength."""

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="keras_gan")
class NoiseInjection(keras.layers.Layer):
    """Adds a single-channel noise image, scaled per channel, to a feature map.

    The noise is an input, not drawn here: `keras_gan.models.StyleGAN` draws
    it for the global batch from the step's stateless seed in training (so
    replicas and resumed runs agree) and from a seed, a fixed buffer or zeros
    at inference.

    Reference:
        Karras et al., "A Style-Based Generator Architecture for GANs", CVPR
        2019, §3.2; NVlabs `networks_stylegan.py` (`apply_noise`: weight
        initialised at 0).

    Formula:
        `y = x + s_c · n`, `n` of shape `[batch, H, W, 1]`, `s` initialised at 0.

    Call arguments:
        inputs: `[x, noise]`.

    Example:
        >>> y = NoiseInjection()([x, noise])
    """

    def build(self, input_shape):
        self.strength = self.add_weight(
            shape=(int(input_shape[0][-1]),), initializer="zeros", name="strength"
        )

    def call(self, inputs):
        x, noise = inputs
        return x + tf.cast(noise, x.dtype) * tf.cast(self.strength, x.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape[0]
