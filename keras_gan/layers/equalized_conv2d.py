"""A 2-D convolution with the equalized learning rate of ProGAN and StyleGAN."""

import math

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="keras_gan")
class EqualizedConv2D(keras.layers.Layer):
    """Stride-1 "same" convolution whose kernel is drawn N(0, 1) and scaled at run time.

    Reference:
        Karras et al., "Progressive Growing of GANs", ICLR 2018, §4.1;
        NVlabs `networks_stylegan.py` (`conv2d`, `get_weight`).

    Formula:
        `y = conv(x, W · gain / sqrt(k² · C_in)) + b`, `W ~ N(0, 1)` at init.

    Args:
        filters: output channels.
        kernel_size: k.
        gain: √2 by default; 1 for the toRGB layer.
        use_bias: add a bias.

    Example:
        >>> layer = EqualizedConv2D(128, 3)
    """

    def __init__(self, filters, kernel_size, gain=math.sqrt(2.0), use_bias=True, **kwargs):
        super().__init__(**kwargs)
        self.filters, self.kernel_size = int(filters), int(kernel_size)
        self.gain, self.use_bias = float(gain), bool(use_bias)

    def build(self, input_shape):
        channels = int(input_shape[-1])
        self.scale = self.gain / math.sqrt(self.kernel_size * self.kernel_size * channels)
        self.kernel = self.add_weight(
            shape=(self.kernel_size, self.kernel_size, channels, self.filters),
            initializer=keras.initializers.RandomNormal(stddev=1.0),
            name="kernel",
        )
        self.bias = (
            self.add_weight(shape=(self.filters,), initializer="zeros", name="bias")
            if self.use_bias
            else None
        )

    def call(self, inputs):
        out = tf.nn.conv2d(inputs, tf.cast(self.kernel, inputs.dtype) * self.scale, 1, "SAME")
        return out + tf.cast(self.bias, inputs.dtype) if self.bias is not None else out

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.filters)

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "gain": self.gain,
            "use_bias": self.use_bias,
        }
