"""Batch normalization whose statistics span the global batch, computed in two passes."""

import keras
import tensorflow as tf

from keras_gan.precision import widen


@keras.saving.register_keras_serializable(package="keras_gan")
class SyncBatchNormalization(keras.layers.BatchNormalization):
    """`BatchNormalization(synchronized=True)` with a numerically stable variance.

    Keras's synchronized statistics use one pass, `Var = E[x²] - E[x]²`,
    which cancels catastrophically for channels whose variance is small next
    to their mean; the rounding then differs between 1 and N replicas (the
    partial sums are added in another order) and is amplified by training.
    This layer all-reduces the sum first, then the sum of squared deviations
    from the global mean, so 1 and N replicas agree to float rounding of the
    variance itself. Outside a replica context, or with a mask, it falls back
    to Keras's computation.

    Reference:
        Ioffe & Szegedy, "Batch Normalization", ICML 2015; Chan, Golub &
        LeVeque, "Algorithms for computing the sample variance", 1983
        (two-pass variance).

    Formula:
        `μ = Σx / N`, `σ² = Σ(x - μ)² / N`, sums over all replicas' examples.

    Args:
        **kwargs: as `keras.layers.BatchNormalization`; `synchronized` is
            always True.

    Example:
        >>> layer = SyncBatchNormalization()
    """

    def __init__(self, **kwargs):
        kwargs["synchronized"] = True
        super().__init__(**kwargs)

    # BatchNormalization's `_moments` is internal, but it is the only hook for the statistics
    # (Keras's synchronized mode computes the variance in one pass: see the Formula above).
    def _moments(self, inputs, mask):
        ctx = tf.distribute.get_replica_context()
        if mask is not None or ctx is None:
            return super()._moments(inputs, mask)
        x = widen(inputs)
        compute_dtype = x.dtype
        axes = self._reduction_axes
        count = tf.cast(tf.reduce_prod(tf.gather(tf.shape(x), axes)), compute_dtype)
        count = ctx.all_reduce(tf.distribute.ReduceOp.SUM, count)
        mean = (
            ctx.all_reduce(tf.distribute.ReduceOp.SUM, tf.reduce_sum(x, axis=axes, keepdims=True))
            / count
        )
        squares = tf.reduce_sum(tf.square(x - mean), axis=axes)
        variance = ctx.all_reduce(tf.distribute.ReduceOp.SUM, squares) / count
        mean = tf.squeeze(mean, axis=axes)
        return tf.cast(mean, inputs.dtype), tf.cast(variance, inputs.dtype)

    def get_config(self):
        config = super().get_config()
        config.pop("synchronized", None)
        return config
