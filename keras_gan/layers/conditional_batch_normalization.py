"""Batch normalization whose gain and bias are linear functions of a conditioning vector."""

import keras
import tensorflow as tf

from keras_gan.layers.spectral_normalization import SpectralNormalization
from keras_gan.layers.sync_batch_normalization import SyncBatchNormalization


@keras.saving.register_keras_serializable(package="keras_gan")
class ConditionalBatchNormalization(keras.layers.Layer):
    """Conditional batch normalization: `γ(c)·x̂ + β(c)`.

    `x̂` is `x` normalized with global-batch statistics
    (`keras_gan.layers.SyncBatchNormalization` without its own gain and
    bias: equal under N replicas and 1 device; moving statistics for
    inference). The gain and bias of each example come from its conditioning
    vector `c` through two bias-free linear maps, the gain centred at 1 as in
    BigGAN-PyTorch's `ccbn`. For class-conditional BatchNorm, `c` is a
    one-hot label (one gain and bias per class); BigGAN concatenates a shared
    class embedding and a chunk of z.

    Reference:
        de Vries et al., "Modulating early visual processing by language",
        NeurIPS 2017; Dumoulin et al., "A Learned Representation for Artistic
        Style", ICLR 2017; Brock et al., "Large Scale GAN Training", ICLR 2019.

    Formula:
        `x̂ = (x - μ_B) / sqrt(σ²_B + ε)`, `γ(c) = 1 + W_γ c`,
        `β(c) = W_β c`, output `γ(c)·x̂ + β(c)` (per channel).

    Args:
        spectral_norm: spectrally normalize `W_γ` and `W_β` (BigGAN's G does).
        momentum, epsilon: of the normalization's moving statistics.

    Call arguments:
        inputs: `[x, c]`, `x` of shape `[batch, ..., channels]`, `c` of shape
            `[batch, dim]`.
        training: normalize with batch statistics and update the moving ones.

    Example:
        >>> cbn = ConditionalBatchNormalization()
        >>> y = cbn([x, keras.ops.one_hot(labels, 10)], training=True)
    """

    def __init__(self, spectral_norm=False, momentum=0.99, epsilon=1e-3, **kwargs):
        super().__init__(**kwargs)
        self.spectral_norm = bool(spectral_norm)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.normalize = SyncBatchNormalization(
            center=False,
            scale=False,
            momentum=self.momentum,
            epsilon=self.epsilon,
            name="normalize",
        )

    def build(self, input_shape):
        if (
            not isinstance(input_shape, (list, tuple))
            or len(input_shape) != 2
            or not isinstance(input_shape[0], (list, tuple))
        ):
            raise ValueError(
                "ConditionalBatchNormalization takes [x, c]: features and a conditioning vector. "
                f"Received: input_shape={input_shape}"
            )
        x_shape, c_shape = input_shape
        if len(c_shape) != 2 or c_shape[-1] is None:
            raise ValueError(
                f"c must have shape [batch, dim] with a known dim. Received: {c_shape}"
            )
        channels = int(x_shape[-1])

        # Zero maps start the layer as plain BatchNorm (γ = 1, β = 0). A zero
        # kernel has σ = 0, so spectrally normalized maps start small instead.
        initializer = (
            keras.initializers.RandomNormal(stddev=0.02) if self.spectral_norm else "zeros"
        )

        def linear(name):
            layer = keras.layers.Dense(
                channels, use_bias=False, kernel_initializer=initializer, name=name
            )
            return SpectralNormalization(layer, name=f"sn_{name}") if self.spectral_norm else layer

        self.gain = linear("gain")
        self.bias = linear("bias")
        self.normalize.build(x_shape)
        self.gain.build(c_shape)
        self.bias.build(c_shape)

    def call(self, inputs, training=False):
        x, c = inputs
        normalized = self.normalize(x, training=training)
        c = tf.cast(c, normalized.dtype)
        gain = 1.0 + self.gain(c, training=training)
        bias = self.bias(c, training=training)
        shape = tf.concat(
            [[tf.shape(x)[0]], tf.ones([len(x.shape) - 2], tf.int32), [x.shape[-1]]], axis=0
        )
        return normalized * tf.reshape(gain, shape) + tf.reshape(bias, shape)

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        return {
            **super().get_config(),
            "spectral_norm": self.spectral_norm,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
        }
