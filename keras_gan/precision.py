"""The precision statistics and losses are computed in."""

import tensorflow as tf


def widen(x):
    """`x` as float32 for its statistics and losses (means, variances, softmax, losses), or kept
    in float64.

    Mixed-precision activations (float16, bfloat16) are widened to float32; a float64 model keeps
    float64 throughout (the replica tests compare 1 and 2 replicas in float64). A float32 round
    trip inside an instance norm of a nearly constant map (StyleGAN's first layer at
    initialization, where 1/sqrt(variance + 1e-8) is ~1e4) amplified float32 rounding into 1e-4
    differences between 1 and 2 replicas.
    """
    x = tf.convert_to_tensor(x)
    return tf.cast(x, tf.float64 if x.dtype == tf.float64 else tf.float32)
