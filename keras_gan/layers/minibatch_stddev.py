"""The minibatch standard-deviation layer of ProGAN and StyleGAN, over the global batch."""

import keras
import tensorflow as tf

from keras_gan.precision import widen
from keras_gan.replicas import all_gather


@keras.saving.register_keras_serializable(package="keras_gan")
class MinibatchStdDev(keras.layers.Layer):
    """Appends one feature map: the mean standard deviation of the features within a group of
    examples.

    Groups are formed as in NVlabs' code (example i of a batch of N belongs to
    group i mod (N / G)), over the *global* batch (features gathered across
    replicas), so N replicas compute what one device computes.

    Reference:
        Karras et al., "Progressive Growing of GANs", ICLR 2018, §3;
        NVlabs `networks_stylegan.py` (`minibatch_stddev_layer`, group size 4).

    Formula:
        per group: `σ = sqrt(Var_group(x) + 1e-8)` per feature and position,
        averaged over features and positions, broadcast as one extra channel.

    Args:
        group_size: G (at most the batch size; the batch size must be divisible by it).

    Example:
        >>> h = MinibatchStdDev(group_size=4)(features)
    """

    def __init__(self, group_size=4, **kwargs):
        super().__init__(**kwargs)
        if int(group_size) < 1:
            raise ValueError(f"group_size must be positive. Received: group_size={group_size}")
        self.group_size = int(group_size)

    def call(self, inputs):
        x = widen(inputs)
        everyone = all_gather(x)
        # Python ints where the shapes are static: XLA needs the tile multiples (and their
        # gradient's reshape) as compile-time constants, also inside lazy R1's tf.cond.
        n = everyone.shape[0]
        g = min(self.group_size, n) if n is not None else self.group_size
        h, w, c = x.shape[1], x.shape[2], x.shape[3]
        # [G, M, H, W, C]: example i in group i mod M
        grouped = tf.reshape(everyone, [g, -1, h, w, c])
        std = tf.sqrt(
            tf.reduce_mean(tf.square(grouped - tf.reduce_mean(grouped, axis=0)), axis=0) + 1e-8
        )
        per_group = tf.reduce_mean(std, axis=[1, 2, 3])  # [M]
        per_example = tf.tile(per_group, [g])  # [N]: example i gets group i mod M
        if everyone is not x:  # this replica's rows of the global batch
            local = tf.shape(x)[0]
            start = (
                tf.cast(tf.distribute.get_replica_context().replica_id_in_sync_group, tf.int32)
                * local
            )
            per_example = per_example[start : start + local]
        feature = tf.tile(per_example[:, None, None, None], [1, h, w, 1])
        return tf.concat([inputs, tf.cast(feature, inputs.dtype)], axis=-1)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], input_shape[-1] + 1)

    def get_config(self):
        return {**super().get_config(), "group_size": self.group_size}
