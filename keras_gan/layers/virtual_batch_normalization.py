"""Virtual batch normalization (Salimans et al. 2016)."""

import keras
import tensorflow as tf

from keras_gan.precision import widen


@keras.saving.register_keras_serializable(package="keras_gan")
class VirtualBatchNormalization(keras.layers.Layer):
    """Normalizes each example with a fixed reference batch's statistics combined with its own.

    The first `reference_size` rows of every input are the reference batch
    (the network is called on `concat([reference, batch])`, and the caller
    drops the first rows of the output): the reference rows are normalized
    with their own statistics, and every other example x with the statistics
    of the reference batch and x together, so an example's output does not
    depend on the other examples of its minibatch. Statistics are per channel
    (the last axis), over the batch and every other axis.

    Reference:
        Salimans et al., "Improved Techniques for Training GANs", NeurIPS
        2016, §3.4; openai/improved-gan `imagenet/ops.py`-style `VBN`
        (the example weighs 1/(R + 1) against the reference's R/(R + 1)).

    Formula:
        `μ = (1/(R+1)) μ_x + (R/(R+1)) μ_ref`,
        `s = (1/(R+1)) E_x[x²] + (R/(R+1)) E_ref[x²]`, `σ² = s - μ²`,
        output `γ (x - μ) / sqrt(σ² + ε) + β`.

    Args:
        reference_size: R, the number of leading rows that form the reference batch.
        epsilon: ε.

    Example:
        >>> vbn = VirtualBatchNormalization(reference_size=64)
        >>> y = vbn(tf.concat([reference_features, features], 0))[64:]
    """

    def __init__(self, reference_size, epsilon=1e-5, **kwargs):
        super().__init__(**kwargs)
        if int(reference_size) < 1:
            raise ValueError(
                "reference_size must be a positive integer. Received: "
                f"reference_size={reference_size}"
            )
        self.reference_size, self.epsilon = int(reference_size), float(epsilon)

    def build(self, input_shape):
        channels = int(input_shape[-1])
        self.gamma = self.add_weight(shape=(channels,), initializer="ones", name="gamma")
        self.beta = self.add_weight(shape=(channels,), initializer="zeros", name="beta")

    def call(self, inputs):
        x = widen(inputs)
        r = self.reference_size
        inner = list(range(1, len(x.shape) - 1))  # the axes between batch and channels
        reference = x[:r]
        ref_mean = tf.reduce_mean(reference, axis=[0] + inner)
        ref_square = tf.reduce_mean(tf.square(reference), axis=[0] + inner)
        new = 1.0 / (r + 1.0)
        mean = new * tf.reduce_mean(x[r:], axis=inner, keepdims=True) + (1.0 - new) * ref_mean
        square = (
            new * tf.reduce_mean(tf.square(x[r:]), axis=inner, keepdims=True)
            + (1.0 - new) * ref_square
        )
        examples = (x[r:] - mean) * tf.math.rsqrt(square - tf.square(mean) + self.epsilon)
        references = (reference - ref_mean) * tf.math.rsqrt(
            ref_square - tf.square(ref_mean) + self.epsilon
        )
        out = tf.concat([references, examples], axis=0) * self.gamma + self.beta
        return tf.cast(out, inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "reference_size": self.reference_size,
            "epsilon": self.epsilon,
        }
