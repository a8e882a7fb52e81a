"""SavedModel export of a generator with serving signatures."""

import os
import re
import shutil
import tempfile

import keras
import tensorflow as tf


def next_version(model_dir):
    """1 + the largest integer version directory under `model_dir` (1 if none)."""
    if not os.path.isdir(model_dir):
        return 1
    versions = [int(d) for d in os.listdir(model_dir) if re.fullmatch(r"\d+", d)]
    return max(versions, default=0) + 1


def signature_functions(model):
    """The serving signatures of `model` as `{name: tf.function}`.

    `serving_default`: `z` float32 `[None, latent_dim]` (plus `label` int32
    `[None]` for a class-conditional model) -> `images` float32 in the
    generator's range. Inputs are checked inside the graph.
    """
    generator, latent_dim = model.generator, model.latent_dim

    if model.conditional:
        num_classes = model.num_classes

        @tf.function(input_signature=[
            tf.TensorSpec([None, latent_dim], tf.float32, name="z"),
            tf.TensorSpec([None], tf.int32, name="label"),
        ])
        def serving_default(z, label):
            checks = [
                tf.debugging.assert_equal(tf.shape(label)[0], tf.shape(z)[0],
                                          message="label must have one entry per row of z"),
                tf.debugging.assert_greater_equal(label, 0, message=f"label must be in [0, {num_classes})"),
                tf.debugging.assert_less(label, num_classes, message=f"label must be in [0, {num_classes})"),
            ]
            with tf.control_dependencies(checks):
                return {"images": tf.cast(generator([z, label], training=False), tf.float32)}
    else:
        @tf.function(input_signature=[tf.TensorSpec([None, latent_dim], tf.float32, name="z")])
        def serving_default(z):
            return {"images": tf.cast(generator(z, training=False), tf.float32)}

    return {"serving_default": serving_default}


def export_generator(model, base_dir, name, version=None, overwrite=False):
    """Writes `model`'s generator to `base_dir/name/VERSION/` for TF Serving.

    Args:
        model: a `keras_gan.models.AdversarialModel`.
        base_dir: the model server's base directory.
        name: the model's name under `base_dir`.
        version: integer version; default one more than the largest present.
        overwrite: replace an existing version instead of refusing.

    Returns:
        The path of the version directory written.
    """
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name or ""):
        raise ValueError(f"Model name must be letters, digits, '_', '.' or '-'. Received: name={name!r}")
    model_dir = os.path.join(base_dir, name)
    version = next_version(model_dir) if version is None else int(version)
    if version < 1:
        raise ValueError(f"version must be a positive integer. Received: version={version}")
    final = os.path.join(model_dir, str(version))
    if os.path.exists(final) and not overwrite:
        raise FileExistsError(f"{final} already exists; choose another --version or pass overwrite=True.")
    os.makedirs(model_dir, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=f".tmp-{version}-", dir=model_dir)
    try:
        archive = keras.export.ExportArchive()
        archive.track(model.generator)
        for sig_name, fn in signature_functions(model).items():
            archive.add_endpoint(sig_name, fn)
        archive.write_out(tmp, verbose=False)
        if os.path.exists(final):
            shutil.rmtree(final)
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final
