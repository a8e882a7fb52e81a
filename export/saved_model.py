"""SavedModel export of a model's serving signatures, for TF Serving.

The model declares its signatures (`model.serving_signatures()`, see
`keras_gan.serving` and each scheme): `serving_default` and, where the scheme
has them, `sample`, `png`, MEG's `energy` and `sample_mcmc`, CycleGAN's
`translate_a_to_b` / `translate_b_to_a`. This module writes them as they are,
with one warm-up request per signature (the signature's `example`); it knows
no scheme.
"""

import os
import re
import shutil
import tempfile

import keras
import tensorflow as tf

from keras_gan import files

WARMUP_FILE = os.path.join("assets.extra", "tf_serving_warmup_requests")


def next_version(model_dir):
    """1 + the largest integer version directory under `model_dir` (1 if none)."""
    if not os.path.isdir(model_dir):
        return 1
    versions = [int(d) for d in os.listdir(model_dir) if re.fullmatch(r"\d+", d)]
    return max(versions, default=0) + 1


def signature_functions(model):
    """The serving signatures of `model` as `{name: tf.function}`."""
    return {name: sig.function for name, sig in model.serving_signatures().items()}


def warmup_requests(model, name):
    """`PredictionLog` records, one per signature (its example request), for `assets.extra/`."""
    from tensorflow_serving.apis import model_pb2, predict_pb2, prediction_log_pb2

    logs = []
    for sig_name, sig in model.serving_signatures().items():
        request = predict_pb2.PredictRequest(
            model_spec=model_pb2.ModelSpec(name=name, signature_name=sig_name)
        )
        for key, value in sig.example.items():
            request.inputs[key].CopyFrom(tf.make_tensor_proto(value))
        logs.append(
            prediction_log_pb2.PredictionLog(
                predict_log=prediction_log_pb2.PredictLog(request=request)
            )
        )
    return logs


# TF Serving reads version directories as int64; a name is one path component that is not the
# tree's own file.
MAX_VERSION = 2**63 - 1
RESERVED_NAMES = ("models.config", "portable")  # the portable copies live in portable/


def export_generator(
    model,
    base_dir,
    name,
    version=None,
    overwrite=False,
    replace_signatures=False,
    write_config=False,
    base_path_prefix=None,
):
    """Writes `model`'s serving signatures to `base_dir/name/VERSION/` for TF Serving.

    The version is written to a hidden temporary directory and renamed into
    place, so a model server polling `base_dir` never sees half a version;
    other versions are left untouched.

    Args:
        model: a `keras_gan.models.AdversarialModel` (it declares what is served).
        base_dir: the model server's base directory.
        name: the model's name under `base_dir`.
        version: integer version in [1, 2**63 - 1]; default one more than the largest present.
        overwrite: replace an existing version instead of refusing.
        replace_signatures: add a version that removes or changes a signature of the latest
            version (names, inputs, outputs); refused otherwise, since the model's clients would
            break. Added signatures need no flag.
        write_config: also rewrite `base_dir/models.config` (`write_models_config`).
        base_path_prefix: the path of `base_dir` inside the model server, for `models.config`
            (default: its absolute path here; `/models` in the `tensorflow/serving` container).

    Returns:
        The path of the version directory written.

    Example:

    >>> export_generator(model, "serving", "dcgan-digits", write_config=True)
    'serving/dcgan-digits/1'
    """
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name or "") or name in RESERVED_NAMES:
        raise ValueError(
            "Model name must be letters, digits, '_', '.' or '-', starting with a letter or "
            f"digit, and not one of {', '.join(RESERVED_NAMES)}. Received: name={name!r}"
        )
    model_dir = os.path.join(base_dir, name)
    version = next_version(model_dir) if version is None else int(version)
    if not 1 <= version <= MAX_VERSION:
        raise ValueError(
            "version must be a positive integer of at most 2**63 - 1 (TF Serving reads it as "
            f"int64). Received: version={version}"
        )
    final = os.path.join(model_dir, str(version))
    if os.path.exists(final) and not overwrite:
        raise FileExistsError(
            f"{final} already exists; choose another --version, or replace it with --overwrite "
            "(overwrite=True in Python)."
        )
    os.makedirs(model_dir, exist_ok=True)
    _remove_stale(model_dir)
    tmp = tempfile.mkdtemp(prefix=f".tmp-{os.getpid()}-{version}-", dir=model_dir)
    try:
        archive = keras.export.ExportArchive()
        for network in model.serving_networks():
            archive.track(network)
        for sig_name, fn in signature_functions(model).items():
            archive.add_endpoint(sig_name, fn)
        archive.write_out(tmp, verbose=False)
        if not replace_signatures:
            _check_signatures(tmp, model_dir, version)
        os.makedirs(os.path.join(tmp, "assets.extra"), exist_ok=True)
        with tf.io.TFRecordWriter(os.path.join(tmp, WARMUP_FILE)) as writer:
            for log in warmup_requests(model, name):
                writer.write(log.SerializeToString())
        # mkdtemp makes the folder 0700: give it what mkdir gives under the
        # umask, so a model server running as another user can read it.
        os.chmod(tmp, 0o777 & ~_umask())
        files.fsync_tree(tmp)
        if os.path.exists(final):
            _swap(tmp, final)  # the old version now sits at `tmp`
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            os.rename(tmp, final)
        files.fsync_dir(model_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if write_config:
        write_models_config(base_dir, base_path_prefix)
    return final


def signatures_of(saved_model_dir):
    """The signatures a SavedModel serves, read from its `saved_model.pb`:
    `{name: (inputs, outputs)}`, each `{key: (dtype, shape)}` (unknown sizes as -1)."""
    from tensorflow.core.protobuf import saved_model_pb2

    proto = saved_model_pb2.SavedModel()
    with open(os.path.join(saved_model_dir, "saved_model.pb"), "rb") as f:
        proto.ParseFromString(f.read())

    def specs(tensors):
        return {
            key: (tf.dtypes.as_dtype(t.dtype).name, tuple(d.size for d in t.tensor_shape.dim))
            for key, t in sorted(tensors.items())
        }

    return {
        name: (specs(sig.inputs), specs(sig.outputs))
        for name, sig in sorted(proto.meta_graphs[0].signature_def.items())
        if not name.startswith("__")  # e.g. __saved_model_init_op
    }


def _check_signatures(new_dir, model_dir, version):
    """Refuses a new version that removes or changes a signature of the latest other version
    (a client of it would break); signatures added beside them are compatible."""
    others = [
        int(d) for d in os.listdir(model_dir) if re.fullmatch(r"\d+", d) and int(d) != version
    ]
    if not others:
        return
    latest = os.path.join(model_dir, str(max(others)))
    try:
        before = signatures_of(latest)
    except (OSError, ValueError):  # not a readable SavedModel: nothing to keep compatible with
        return
    after = signatures_of(new_dir)
    changes = [f"{n} removed" for n in before.keys() - after.keys()]
    changes += [
        f"{n}: {before[n]} -> {after[n]}"
        for n in before.keys() & after.keys()
        if before[n] != after[n]
    ]
    if not changes:
        return
    raise ValueError(
        f"The new version's signatures differ from those of {latest} "
        f"({'; '.join(sorted(changes))}): clients of this model would break. Export under "
        "another --name, or pass --replace-signatures (replace_signatures=True in Python) if "
        "that is intended."
    )


def _remove_stale(model_dir):
    """Removes the temporary folders of exports whose process is gone (killed while writing)."""
    for name in os.listdir(model_dir):
        match = re.fullmatch(r"\.tmp-(\d+)-\d+-.*", name)
        if not match:
            continue
        try:
            os.kill(int(match.group(1)), 0)  # the process still runs: its export goes on
        except ProcessLookupError:
            shutil.rmtree(os.path.join(model_dir, name), ignore_errors=True)
        except PermissionError:  # another user's live process
            pass


def _umask():
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _swap(a, b):
    """Exchanges folders `a` and `b` atomically (Linux renameat2 RENAME_EXCHANGE), so `b`'s
    path never stops holding a complete version; elsewhere, two renames in a row."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        renameat2 = None
    if renameat2 is not None:
        at_fdcwd, rename_exchange = -100, 2
        if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
            return
    old = f"{a}.old"
    os.rename(b, old)
    os.rename(a, b)
    os.rename(old, a)


def write_models_config(base_dir, base_path_prefix=None):
    """Writes `base_dir/models.config`: a ModelServerConfig listing every model under `base_dir`.

    Args:
        base_dir: the serving tree (`base_dir/NAME/VERSION/`).
        base_path_prefix: the path `base_dir` has inside the server (e.g.
            `/models` in the `tensorflow/serving` container); default the
            absolute path here.

    Returns:
        The path of the file written, for `--model_config_file`.
    """
    from google.protobuf import text_format
    from tensorflow_serving.config import model_server_config_pb2

    prefix = base_path_prefix or os.path.abspath(base_dir)
    path = os.path.join(base_dir, "models.config")
    if os.path.isdir(path):
        raise ValueError(
            f"{path} is a folder (a model exported under the name 'models.config'?), where TF "
            "Serving's config file belongs. Move it away."
        )
    config = model_server_config_pb2.ModelServerConfig()
    for name in sorted(os.listdir(base_dir)):
        if (
            not name.startswith(".")
            and name not in RESERVED_NAMES
            and os.path.isdir(os.path.join(base_dir, name))
            and next_version(os.path.join(base_dir, name)) > 1
        ):
            entry = config.model_config_list.config.add()
            entry.name, entry.base_path, entry.model_platform = (
                name,
                f"{prefix.rstrip('/')}/{name}",
                "tensorflow",
            )
    if not config.model_config_list.config:
        raise ValueError(f"No exported models under {base_dir}; run `keras-gan export` first.")
    # Written aside and renamed: a model server never reads half a file.
    return files.write_text_atomic(path, text_format.MessageToString(config))
