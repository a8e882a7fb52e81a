"""SavedModel export of a generator with serving signatures, for TF Serving.

Signatures (CONTRACT.md, "Serving signatures"):
    serving_default  `z` float32 [None, latent_dim] (+ `label` int32 [None] for a
                     class-conditional model) -> `images` float32 in [-1, 1]
                     (`[None, 2]` points for 2-D data).
    sample           `n` int32 scalar, `seed` int32 scalar -> `images` uint8
                     (`points` float32 for 2-D data); the same as
                     `model.generate(n, seed)` (class labels `arange(n) % K`).
    png              image models: the inputs of `serving_default` ->
                     `images_bytes` string [None] of PNG files. TF Serving's REST
                     API base64-encodes outputs whose name ends in `_bytes`.
    energy           energy models (MEG): `x` float32 [None, *data_shape] ->
                     `energy` float32 [None], E(x) (unnormalized -log density).
    sample_mcmc      energy models (MEG): `n`, `seed` int32 scalars, `mcmc_steps`
                     int32 scalar, `step_size` float32 scalar -> what `sample`
                     gives, after K MALA steps in z, plus `acceptance_rate`
                     float32 [None]; equal to `model.generate(n, seed,
                     mcmc_steps=K, step_size=α)` for n <= 256.

Inputs are checked inside the graph with standard TensorFlow ops only (no
`py_function`), so a bad request gets an error naming the input.
"""

import os
import re
import shutil
import tempfile

import keras
import numpy as np
import tensorflow as tf

from keras_gan import priors

MAX_SAMPLE = 1024  # largest `n` the `sample` signature accepts
MAX_MCMC_STEPS = 10000  # largest `mcmc_steps` the `sample_mcmc` signature accepts
WARMUP_FILE = os.path.join("assets.extra", "tf_serving_warmup_requests")


def next_version(model_dir):
    """1 + the largest integer version directory under `model_dir` (1 if none)."""
    if not os.path.isdir(model_dir):
        return 1
    versions = [int(d) for d in os.listdir(model_dir) if re.fullmatch(r"\d+", d)]
    return max(versions, default=0) + 1


def _to_uint8(images):
    return tf.cast(tf.clip_by_value(tf.round((images + 1.0) * 127.5), 0.0, 255.0), tf.uint8)


def signature_functions(model):
    """The serving signatures of `model` as `{name: tf.function}` (see the module docstring)."""
    generator, latent_dim = model.generator, model.latent_dim
    image_model = len(generator.outputs[0].shape) == 4
    num_classes = model.num_classes

    def check_labels(label, z):
        return [
            tf.debugging.assert_equal(tf.shape(label)[0], tf.shape(z)[0],
                                      message="label: needs one entry per row of z"),
            tf.debugging.assert_greater_equal(label, 0, message=f"label: must be in [0, {num_classes})"),
            tf.debugging.assert_less(label, num_classes, message=f"label: must be in [0, {num_classes})"),
        ]

    def run(z, label=None):
        checks = [tf.debugging.assert_equal(tf.shape(z)[1], latent_dim,
                                            message=f"z: must have shape [batch, {latent_dim}]")]
        if label is not None:
            checks += check_labels(label, z)
        with tf.control_dependencies(checks):
            z = tf.identity(z)
            label = None if label is None else tf.identity(label)
        return tf.cast(generator(z if label is None else [z, label], training=False), tf.float32)

    z_spec = tf.TensorSpec([None, latent_dim], tf.float32, name="z")
    label_spec = tf.TensorSpec([None], tf.int32, name="label")
    fns = {}
    if num_classes is not None:
        fns["serving_default"] = tf.function(lambda z, label: {"images": run(z, label)},
                                             input_signature=[z_spec, label_spec])
        if image_model:
            fns["png"] = tf.function(lambda z, label: {"images_bytes": _png(run(z, label))},
                                     input_signature=[z_spec, label_spec])
    else:
        fns["serving_default"] = tf.function(lambda z: {"images": run(z)}, input_signature=[z_spec])
        if image_model:
            fns["png"] = tf.function(lambda z: {"images_bytes": _png(run(z))}, input_signature=[z_spec])

    prior = model.prior

    @tf.function(input_signature=[tf.TensorSpec([], tf.int32, name="n"), tf.TensorSpec([], tf.int32, name="seed")])
    def sample(n, seed):
        checks = [
            tf.debugging.assert_greater_equal(n, 1, message="n: must be at least 1"),
            tf.debugging.assert_less_equal(n, MAX_SAMPLE, message=f"n: must be at most {MAX_SAMPLE}"),
        ]
        with tf.control_dependencies(checks):
            n = tf.identity(n)
        z = priors.sample(prior, tf.reshape(n, [1]), latent_dim, tf.stack([seed, 0]))
        label = None if num_classes is None else tf.math.floormod(tf.range(n), num_classes)
        out = run(z, label)
        return {"images": _to_uint8(out)} if image_model else {"points": out}

    fns["sample"] = sample
    if hasattr(model, "latent_log_prob"):  # an energy model (MEG)
        fns.update(_energy_signatures(model, run, image_model))
    return fns


def _energy_signatures(model, run, image_model):
    from keras_gan.models.meg import mcmc_seed

    data_shape = model.discriminator.inputs[0].shape[1:]

    @tf.function(input_signature=[tf.TensorSpec([None, *data_shape], tf.float32, name="x")])
    def energy(x):
        return {"energy": tf.cast(model.energies(x), tf.float32)}

    scalar = lambda dtype, name: tf.TensorSpec([], dtype, name=name)  # noqa: E731

    @tf.function(input_signature=[scalar(tf.int32, "n"), scalar(tf.int32, "seed"), scalar(tf.int32, "mcmc_steps"),
                                  scalar(tf.float32, "step_size")])
    def sample_mcmc(n, seed, mcmc_steps, step_size):
        checks = [
            tf.debugging.assert_greater_equal(n, 1, message="n: must be at least 1"),
            tf.debugging.assert_less_equal(n, MAX_SAMPLE, message=f"n: must be at most {MAX_SAMPLE}"),
            tf.debugging.assert_greater_equal(mcmc_steps, 0, message="mcmc_steps: must be >= 0"),
            tf.debugging.assert_less_equal(mcmc_steps, MAX_MCMC_STEPS,
                                           message=f"mcmc_steps: must be at most {MAX_MCMC_STEPS}"),
            tf.debugging.assert_greater(step_size, 0.0, message="step_size: must be > 0"),
        ]
        with tf.control_dependencies(checks):
            n = tf.identity(n)
        z = priors.sample(model.prior, tf.reshape(n, [1]), model.latent_dim, tf.stack([seed, 0]))
        z, rate = model.refine_latents(z, mcmc_steps, step_size, mcmc_seed(seed))
        out = run(z)
        key, out = ("images", _to_uint8(out)) if image_model else ("points", out)
        return {key: out, "acceptance_rate": tf.cast(rate, tf.float32)}

    return {"energy": energy, "sample_mcmc": sample_mcmc}


def _png(images):
    return tf.map_fn(tf.io.encode_png, _to_uint8(images), fn_output_signature=tf.string)


def warmup_requests(model, name):
    """`PredictionLog` records, one per signature, for `assets.extra/`."""
    from tensorflow_serving.apis import model_pb2, predict_pb2, prediction_log_pb2

    z = np.zeros((1, model.latent_dim), np.float32)
    inputs = {"z": z}
    if model.conditional:
        inputs["label"] = np.zeros((1,), np.int32)
    logs = []
    feeds = {"sample": {"n": np.int32(1), "seed": np.int32(0)},
             "sample_mcmc": {"n": np.int32(1), "seed": np.int32(0), "mcmc_steps": np.int32(1),
                             "step_size": np.float32(0.01)}}
    if hasattr(model, "latent_log_prob"):
        feeds["energy"] = {"x": np.zeros((1, *model.discriminator.inputs[0].shape[1:]), np.float32)}
    for sig in signature_functions(model):
        feed = feeds.get(sig, inputs)
        request = predict_pb2.PredictRequest(model_spec=model_pb2.ModelSpec(name=name, signature_name=sig))
        for key, value in feed.items():
            request.inputs[key].CopyFrom(tf.make_tensor_proto(value))
        logs.append(prediction_log_pb2.PredictionLog(predict_log=prediction_log_pb2.PredictLog(request=request)))
    return logs


def export_generator(model, base_dir, name, version=None, overwrite=False):
    """Writes `model`'s generator to `base_dir/name/VERSION/` for TF Serving.

    The version is written to a hidden temporary directory and renamed into
    place, so a model server polling `base_dir` never sees half a version;
    other versions are left untouched.

    Args:
        model: a `keras_gan.models.AdversarialModel` (its `generator` is served).
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
        if hasattr(model, "latent_log_prob"):  # MEG's `energy` signature serves the energy network
            archive.track(model.discriminator)
        for sig_name, fn in signature_functions(model).items():
            archive.add_endpoint(sig_name, fn)
        archive.write_out(tmp, verbose=False)
        os.makedirs(os.path.join(tmp, "assets.extra"), exist_ok=True)
        with tf.io.TFRecordWriter(os.path.join(tmp, WARMUP_FILE)) as writer:
            for log in warmup_requests(model, name):
                writer.write(log.SerializeToString())
        if os.path.exists(final):
            shutil.rmtree(final)
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


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
    config = model_server_config_pb2.ModelServerConfig()
    for name in sorted(os.listdir(base_dir)):
        if os.path.isdir(os.path.join(base_dir, name)) and next_version(os.path.join(base_dir, name)) > 1:
            entry = config.model_config_list.config.add()
            entry.name, entry.base_path, entry.model_platform = name, f"{prefix.rstrip('/')}/{name}", "tensorflow"
    if not config.model_config_list.config:
        raise ValueError(f"No exported models under {base_dir}; run `keras-gan export` first.")
    path = os.path.join(base_dir, "models.config")
    with open(path, "w") as f:
        f.write(text_format.MessageToString(config))
    return path
