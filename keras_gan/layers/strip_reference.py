"""Drops the reference rows that `ReferenceBatch` placed before the batch."""

import keras


@keras.saving.register_keras_serializable(package="keras_gan")
class StripReference(keras.layers.Layer):
    """Returns its input without the first `reference_size` rows (the end of a VBN generator).

    Reference:
        Salimans et al., "Improved Techniques for Training GANs", NeurIPS 2016, §3.4.

    Args:
        reference_size: R, the rows `ReferenceBatch` prepended.

    Example:
        >>> out = StripReference(64)(h)   # h: [64 + batch, ...] -> [batch, ...]
    """

    def __init__(self, reference_size, **kwargs):
        super().__init__(**kwargs)
        if int(reference_size) < 1:
            raise ValueError(
                "reference_size must be a positive integer. Received: "
                f"reference_size={reference_size}"
            )
        self.reference_size = int(reference_size)

    def call(self, inputs):
        return inputs[self.reference_size :]

    def compute_output_shape(self, input_shape):
        batch = None if input_shape[0] is None else input_shape[0] - self.reference_size
        return (batch, *input_shape[1:])

    def get_config(self):
        return {**super().get_config(), "reference_size": self.reference_size}
