"""StyleGAN's learned constant input of the synthesis network."""

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="keras_gan")
class ConstantInput(keras.layers.Layer):
    """A learned `[size, size, channels]` tensor, repeated for every example of the batch.

    Reference:
        Karras et al., "A Style-Based Generator Architecture for GANs", CVPR
        2019, §2 ("synthesis starts from a learned 4×4×512 constant", initialised at 1).

    Args:
        size: spatial size.
        channels: channels.

    Call arguments:
        inputs: any tensor whose first axis is the batch (e.g. w).

    Example:
        >>> x = ConstantInput(4, 256)(w)
    """

    def __init__(self, size, channels, **kwargs):
        super().__init__(**kwargs)
        self.size, self.channels = int(size), int(channels)

    def build(self, input_shape):
        self.constant = self.add_weight(
            shape=(1, self.size, self.size, self.channels), initializer="ones", name="constant"
        )

    def call(self, inputs):
        return tf.tile(tf.cast(self.constant, self.compute_dtype), [tf.shape(inputs)[0], 1, 1, 1])

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.size, self.size, self.channels)

    def get_config(self):
        return {**super().get_config(), "size": self.size, "channels": self.channels}
