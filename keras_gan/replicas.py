"""Statistics of the global batch inside a replica context (identity outside strategies).

Terms that couple the examples of a batch (EBGAN's pulling-away term,
minibatch discrimination, feature matching) must see the global batch, or N
replicas compute something else than one device. Both functions are
differentiable: each replica's gradient flows back to the replica whose
examples it came from, so after Keras sums the replicas' gradients a term that
every replica computes identically (and divides by the replica count, as every
loss is) contributes its gradient exactly once.
"""

import tensorflow as tf


def _context():
    ctx = tf.distribute.get_replica_context()
    return ctx if ctx is not None and ctx.num_replicas_in_sync > 1 else None


def all_gather(values):
    """`values` of every replica concatenated along axis 0, in replica order."""
    ctx = _context()
    return values if ctx is None else ctx.all_gather(values, axis=0)


def global_mean(values):
    """The mean over axis 0 of the global batch (every replica's examples)."""
    ctx = _context()
    if ctx is None:
        return tf.reduce_mean(values, axis=0)
    total = ctx.all_reduce(tf.distribute.ReduceOp.SUM, tf.reduce_sum(values, axis=0))
    count = ctx.all_reduce(tf.distribute.ReduceOp.SUM, tf.cast(tf.shape(values)[0], values.dtype))
    return total / count
