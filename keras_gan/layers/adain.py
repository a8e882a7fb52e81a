"""Adaptive instance normalization (StyleGAN's style modulation)."""

import keras
import tensorflow as tf

from keras_gan.layers.equalized_dense import EqualizedDense
from keras_gan.precision import widen


@keras.saving.register_keras_serializable(package="keras_gan")
class AdaIN(keras.layers.Layer):
    """Instance-normalizes each feature map, then scales and shifts it by a style from w.

    Reference:
        Huang & Belongie, "Arbitrary Style Transfer in Real-time with Adaptive
        Instance Normalization", ICCV 2017; Karras et al., "A Style-Based
        Generator Architecture for GANs", CVPR 2019, eq. (1); NVlabs
        `networks_stylegan.py` (`instance_norm`, `style_mod`: a gain-1
        equalized dense of w, `x · (y_s + 1) + y_b`).

    Formula:
        `AdaIN(x_i, y) = y_s,i (x_i - μ(x_i)) / σ(x_i) + y_b,i`, `[y_s - 1, y_b] = A(w)`,
        with μ, σ over the map's positions of one example.

    Args:
        epsilon: added to the variance.

    Call arguments:
        inputs: `[x, w]`, `x` of shape `[batch, H, W, C]` and `w` of shape `[batch, w_dim]`.

    Example:
        >>> y = AdaIN()([features, w])
    """

    def __init__(self, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = float(epsilon)

    def build(self, input_shape):
        x_shape, w_shape = input_shape
        self.channels = int(x_shape[-1])
        self.style = EqualizedDense(
            2 * self.channels, gain=1.0, dtype=self.dtype_policy, name="style"
        )
        self.style.build(w_shape)

    def styles(self, w):
        """`(y_s, y_b)`, each `[batch, C]`."""
        style = self.style(w)
        return style[:, : self.channels] + 1.0, style[:, self.channels :]

    def call(self, inputs):
        x, w = inputs
        wide = widen(x)
        mean, variance = tf.nn.moments(wide, axes=[1, 2], keepdims=True)
        normalized = tf.cast((wide - mean) * tf.math.rsqrt(variance + self.epsilon), x.dtype)
        scale, bias = self.styles(tf.cast(w, x.dtype))
        return normalized * scale[:, None, None, :] + bias[:, None, None, :]

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        return {**super().get_config(), "epsilon": self.epsilon}
