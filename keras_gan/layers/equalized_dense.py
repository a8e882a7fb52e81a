"""A dense layer with the equalized learning rate of ProGAN and StyleGAN."""

import math

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="keras_gan")
class EqualizedDense(keras.layers.Layer):
    """Dense layer whose weights are drawn N(0, 1/λ) and scaled at run time.

    The kernel is stored with standard deviation `1 / lr_multiplier` and
    multiplied in every call by `gain / sqrt(fan_in) · lr_multiplier` (He's
    constant times the learning-rate multiplier), so every weight learns at
    the same speed under Adam; the bias is stored divided by the multiplier.

    Reference:
        Karras et al., "Progressive Growing of GANs", ICLR 2018, §4.1;
        Karras et al., "A Style-Based Generator Architecture for GANs", CVPR
        2019 (NVlabs `networks_stylegan.py`: `dense`, `get_weight`, `apply_bias`).

    Formula:
        `y = x (W · gain · λ / sqrt(fan_in)) + b · λ`, `W ~ N(0, 1/λ²)` at init.

    Args:
        units: output size.
        lr_multiplier: λ (0.01 in StyleGAN's mapping network).
        gain: √2 (He, before a LeakyReLU/ReLU) by default; 1 for linear maps.
        bias_init: the initial value of the effective bias.
        activation: optional activation.

    Example:
        >>> layer = EqualizedDense(512, lr_multiplier=0.01)
    """

    def __init__(
        self,
        units,
        lr_multiplier=1.0,
        gain=math.sqrt(2.0),
        bias_init=0.0,
        activation=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if int(units) < 1 or not float(lr_multiplier) > 0:
            raise ValueError(
                f"units must be positive and lr_multiplier > 0. Received: units={units}, "
                f"lr_multiplier={lr_multiplier}"
            )
        self.units, self.lr_multiplier, self.gain = int(units), float(lr_multiplier), float(gain)
        self.bias_init = float(bias_init)
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        fan_in = int(input_shape[-1])
        self.scale = self.gain / math.sqrt(fan_in) * self.lr_multiplier
        self.kernel = self.add_weight(
            shape=(fan_in, self.units),
            name="kernel",
            initializer=keras.initializers.RandomNormal(stddev=1.0 / self.lr_multiplier),
        )
        self.bias = self.add_weight(
            shape=(self.units,),
            name="bias",
            initializer=keras.initializers.Constant(self.bias_init / self.lr_multiplier),
        )

    def call(self, inputs):
        kernel = tf.cast(self.kernel, inputs.dtype) * self.scale
        out = tf.matmul(inputs, kernel) + tf.cast(self.bias, inputs.dtype) * self.lr_multiplier
        return self.activation(out) if self.activation is not None else out

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "lr_multiplier": self.lr_multiplier,
            "gain": self.gain,
            "bias_init": self.bias_init,
            "activation": keras.activations.serialize(self.activation),
        }
