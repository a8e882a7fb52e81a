"""A fixed reference batch placed before every batch (for virtual batch normalization)."""

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="keras_gan")
class ReferenceBatch(keras.layers.Layer):
    """Prepends a reference batch, drawn once and then fixed, to its input.

    A generator with `VirtualBatchNormalization` starts with this layer and
    ends with `StripReference`: every call runs the reference rows through
    the network beside the batch, so each VBN layer normalizes with the
    reference batch's statistics at that layer (Salimans et al. 2016, §3.4:
    "a reference batch of examples that are chosen once and fixed at the
    start of training"). The rows are a non-trainable weight drawn from
    N(0, stddev²) with `seed` when the layer is built: they are saved with
    the model and equal on every replica.

    Reference:
        Salimans et al., "Improved Techniques for Training GANs", NeurIPS 2016, §3.4.

    Args:
        reference_size: R, the number of reference rows.
        seed: seed of the reference draw.
        stddev: standard deviation of the draw (1: latents of an N(0, I) prior).

    Example:
        >>> z = keras.Input((100,))
        >>> h = ReferenceBatch(64)(z)                  # [64 + batch, 100]
        >>> h = VirtualBatchNormalization(64)(keras.layers.Dense(256)(h))
        >>> out = StripReference(64)(keras.layers.Dense(784)(h))  # [batch, 784]
    """

    def __init__(self, reference_size, seed=0, stddev=1.0, **kwargs):
        super().__init__(**kwargs)
        if int(reference_size) < 1:
            raise ValueError(
                "reference_size must be a positive integer. Received: "
                f"reference_size={reference_size}"
            )
        self.reference_size, self.seed, self.stddev = int(reference_size), int(seed), float(stddev)

    def build(self, input_shape):
        self.reference = self.add_weight(
            shape=(self.reference_size, *input_shape[1:]),
            trainable=False,
            name="reference",
            initializer=keras.initializers.RandomNormal(stddev=self.stddev, seed=self.seed),
        )

    def call(self, inputs):
        reference = tf.cast(self.reference, inputs.dtype)
        return tf.concat([reference, inputs], axis=0)

    def compute_output_shape(self, input_shape):
        batch = None if input_shape[0] is None else input_shape[0] + self.reference_size
        return (batch, *input_shape[1:])

    def get_config(self):
        return {
            **super().get_config(),
            "reference_size": self.reference_size,
            "seed": self.seed,
            "stddev": self.stddev,
        }
