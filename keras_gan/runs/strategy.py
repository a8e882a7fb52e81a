"""`tf.distribute` strategies by name, and this process's place in a cluster."""

import json
import os

from keras_gan.runs.directory import RunError

STRATEGIES = ("default", "mirrored", "multiworker", "tpu")


def make_strategy(name, tpu=None, startup_timeout=300):
    """The strategy called `name` (one of `STRATEGIES`).

    Args:
        name: `default` (the current strategy), `mirrored` (every local device),
            `multiworker` (the cluster in `TF_CONFIG`) or `tpu`.
        tpu: the TPU's name or address for `tpu`.
        startup_timeout: `multiworker`: seconds to wait for every worker of the cluster.
    """
    import tensorflow as tf

    if name == "default":
        return tf.distribute.get_strategy()
    if name == "mirrored":
        return tf.distribute.MirroredStrategy()
    if name == "multiworker":
        return _start_cluster(check_tf_config(os.environ.get("TF_CONFIG")), startup_timeout)
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


TF_CONFIG_SHAPE = (
    '{"cluster": {"worker": ["host1:port", "host2:port"]}, "task": {"type": "worker", "index": 0}}'
)


def check_tf_config(value):
    """Refuses a `TF_CONFIG` that MultiWorkerMirroredStrategy cannot use, naming what is wrong and
    showing the shape it must have.

    Returns:
        The parsed TF_CONFIG.
    """

    def refuse(what, received):
        raise RunError(
            f"TF_CONFIG{what}. Received: {received!r}. It must look like {TF_CONFIG_SHAPE} (the "
            "same cluster on every worker, each with its own task)."
        )

    if not value:
        refuse(" is not set; --strategy multiworker reads the cluster from it", value)
    try:
        config = json.loads(value)
    except json.JSONDecodeError as e:
        refuse(f" is not JSON ({e})", value)
    if not isinstance(config, dict):
        refuse(" must be a JSON object", config)
    cluster, role = config.get("cluster"), config.get("task")
    if not isinstance(cluster, dict) or not cluster:
        refuse('\'s "cluster" must map job names to lists of addresses', cluster)
    for job, addresses in cluster.items():
        if not isinstance(addresses, list) or not all(
            isinstance(a, str) and a.rpartition(":")[2].isdigit() for a in addresses
        ):
            refuse(f'\'s cluster["{job}"] must be a list of "host:port" strings', addresses)
    if not isinstance(role, dict) or role.get("type") not in cluster:
        refuse(
            f'\'s "task" must name a job of the cluster ({", ".join(cluster)}) and an index', role
        )
    index, peers = role.get("index", 0), cluster[role["type"]]
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(peers):
        refuse(f'\'s task "index" must be an integer in [0, {len(peers) - 1}]', index)
    return config


def _start_cluster(config, timeout):
    """MultiWorkerMirroredStrategy, once every worker of the cluster answers.

    The strategy's constructor blocks until every worker is up, in C++ holding the GIL: no Python
    runs, Ctrl-C waits, and TensorFlow's own SIGTERM handler (its preemption notifier) ignores the
    signal. So the workers meet first in Python, where waiting is interruptible and timed: each
    listens on its own address (a placeholder, closed just before TensorFlow binds it) and polls
    the others'. After the start this process's SIGTERM handling is restored, so SIGTERM stops a
    training worker as Ctrl-C does.
    """
    import signal
    import threading

    import tensorflow as tf

    own, others = _addresses(config)
    placeholder = _listen(own)
    try:
        _wait_for(others, timeout)
    finally:
        placeholder.close()
    on_main_thread = threading.current_thread() is threading.main_thread()
    handler = signal.getsignal(signal.SIGTERM) if on_main_thread else None
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    if handler is not None:
        signal.signal(signal.SIGTERM, handler)
    return strategy


def _addresses(config):
    """This task's address and the other tasks' (`host:port`) in a checked TF_CONFIG."""
    role = config["task"]
    own = config["cluster"][role["type"]][role.get("index", 0)]
    others = [a for job in config["cluster"].values() for a in job if a != own]
    return own, others


def _listen(address):
    """A listening socket on `address`'s port, so that the other workers see this one waiting."""
    import socket

    host, _, port = address.rpartition(":")
    listener = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind(("", int(port)))
    except OSError as e:
        listener.close()
        raise RunError(
            f"This worker's address {address} (TF_CONFIG's task) cannot be listened on: "
            f"{e.strerror}. Is another process using port {port}? Choose a free port."
        ) from e
    listener.listen(64)
    return listener


def _wait_for(addresses, timeout):
    """Returns when every `host:port` of `addresses` accepts a connection; raises `RunError` naming
    the missing ones after `timeout` seconds."""
    import socket
    import time

    began, said, missing = time.monotonic(), False, list(addresses)
    while missing:
        for address in list(missing):
            host, _, port = address.rpartition(":")
            try:
                socket.create_connection((host.strip("[]"), int(port)), timeout=1).close()
                missing.remove(address)
            except OSError:
                pass
        waited = time.monotonic() - began
        if not missing:
            return
        if waited > timeout:
            raise RunError(
                f"The cluster did not start within {timeout:g} s: no worker answers at "
                f"{', '.join(missing)}. Start the same `keras-gan train` command there (each "
                "worker with its own task index in TF_CONFIG), check the addresses, or raise "
                "--startup-timeout."
            )
        if not said and waited > 2:
            print(
                f"Waiting for the cluster's workers at {', '.join(missing)} (at most "
                f"{timeout:g} s: --startup-timeout).",
                flush=True,
            )
            said = True
        time.sleep(0.5)


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
