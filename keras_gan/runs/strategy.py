"""`tf.distribute` strategies by name, and this process's place in a cluster."""

import json
import os

from keras_gan.runs.directory import RunError

STRATEGIES = ("default", "mirrored", "multiworker", "tpu")


def make_strategy(name, tpu=None):
    """The strategy called `name` (one of `STRATEGIES`).

    Args:
        name: `default` (the current strategy), `mirrored` (every local device),
            `multiworker` (the cluster in `TF_CONFIG`) or `tpu`.
        tpu: the TPU's name or address for `tpu`.
    """
    import tensorflow as tf

    if name == "default":
        return tf.distribute.get_strategy()
    if name == "mirrored":
        return tf.distribute.MirroredStrategy()
    if name == "multiworker":
        if "TF_CONFIG" not in os.environ:
            raise RunError(
                "--strategy multiworker reads the cluster from TF_CONFIG, which is not set."
            )
        try:
            cluster = json.loads(os.environ["TF_CONFIG"])
        except json.JSONDecodeError as e:
            raise RunError(
                f"TF_CONFIG is not JSON ({e}); it must look like "
                '{"cluster": {"worker": ["host:port", ...]}, '
                '"task": {"type": "worker", "index": 0}}.'
            ) from e
        if not isinstance(cluster, dict) or "cluster" not in cluster or "task" not in cluster:
            raise RunError('TF_CONFIG must be a JSON object with "cluster" and "task" entries.')
        return tf.distribute.MultiWorkerMirroredStrategy()
    if name == "tpu":
        try:
            resolver = tf.distribute.cluster_resolver.TPUClusterResolver(tpu=tpu or "")
        except ValueError as e:
            raise RunError(
                f"--strategy tpu found no TPU ({e}). Pass --tpu NAME_OR_ADDRESS (e.g. --tpu "
                "grpc://10.0.0.2:8470), or run on a TPU VM."
            ) from e
        tf.config.experimental_connect_to_cluster(resolver)
        tf.tpu.experimental.initialize_tpu_system(resolver)
        return tf.distribute.TPUStrategy(resolver)
    raise RunError(f"Unknown strategy {name!r}: use {', '.join(STRATEGIES)}.")


def task(strategy):
    """`(is_chief, task_id)` of this process in a multi-worker cluster ((True, 0) otherwise)."""
    resolver = getattr(strategy, "cluster_resolver", None)
    task_type = getattr(resolver, "task_type", None)
    task_id = getattr(resolver, "task_id", None) or 0
    if task_type is None:
        return True, 0
    has_chief = "chief" in (resolver.cluster_spec().as_dict() or {})
    chief = task_type == "chief" or (task_type == "worker" and task_id == 0 and not has_chief)
    return chief, task_id
