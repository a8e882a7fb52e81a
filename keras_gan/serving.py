"""Serving signatures: the `tf.function`s a model declares for TF Serving.

A model's `serving_signatures()` returns `{name: Signature}`; `keras_gan.export`
writes them as they are, with each signature's `example` as a TF Serving
warm-up request. The helpers here are shared by the schemes' signatures.

Latent-variable models (`latent_signatures`):
    serving_default  `z` float32 [None, latent_dim] (+ `label` int32 [None] for a
                     class-conditional model) -> `images` float32 in [-1, 1]
                     (`points` float32 [None, d] for points: the name `sample`
                     uses too).
    interpolate      `z0`, `z1` float32 [n, latent_dim], `steps` int32 scalar (+ `label`
                     int32 [n]) -> `images` float32 [n, steps, H, W, C] (`points`): the
                     samples along each path z0[i] -> z1[i] (slerp for N(0, I) latents,
                     lerp for other priors), ends included.
    sample           `n` int32 scalar, `seed` int32 scalar -> `images` uint8
                     (`points` float32 for 2-D data); the same as
                     `model.generate(n, seed)` (class labels `arange(n) % K`).
    png              image models: the inputs of `serving_default` ->
                     `images_bytes` string [None] of PNG files. TF Serving's REST
                     API base64-encodes outputs whose name ends in `_bytes`.

    project          image models: `images` float32 [n, H, W, C] in [-1, 1], `steps` int32
                     scalar (+ `label` int32 [n]) -> `latents`, `reconstructions`,
                     `start_loss`, `loss`: projection (GAN inversion) of the images into z,
                     `steps` Adam updates of the pixel and prior loss from z = 0 (BiGAN:
                     from E(x)); see `keras_gan.projection`.

    truncation       models with a N(0, I) prior that declare it (BigGAN): `n`, `seed`,
                     `threshold` float32 scalar (+ `label` int32 [n]) -> `images`
                     uint8 from latents truncated to |z_i| <= threshold
                     (`keras_gan.priors.truncated_normal`), as
                     `model.generate(n, seed, labels, truncation=threshold)`.

Inputs are checked inside the graph with standard TensorFlow ops only (no
`py_function`), so a bad request gets an error naming the input.
"""

import dataclasses
from typing import Any, Callable

import numpy as np
import tensorflow as tf

from keras_gan import latent, priors

MAX_SAMPLE = 1024  # largest `n` the `sample` signature accepts
MAX_STEPS = 64  # longest path the `interpolate` signature draws
MAX_PROJECT_STEPS = 1000  # most Adam updates a `project` request runs
MAX_PROJECT = 256  # most images per `project` request


@dataclasses.dataclass
class Signature:
    """One serving signature.

    Attributes:
        function: a `tf.function` with an `input_signature`, returning a dict.
        example: one valid request `{input name: NumPy value}` (TF Serving's
            warm-up request for this signature).
        portable: a deterministic tensor-to-tensor function (no random ops, no
            strings), which `keras-gan export --format onnx tflite` converts; the
            model says so where it declares the signature.
    """

    function: Callable
    example: Any
    portable: bool = False


def to_uint8(images):
    """float images in [-1, 1] -> uint8 (a graph op)."""
    return tf.cast(tf.clip_by_value(tf.round((images + 1.0) * 127.5), 0.0, 255.0), tf.uint8)


def encode_png(images):
    """float images in [-1, 1] `[n, H, W, C]` -> PNG strings `[n]`."""
    return tf.map_fn(tf.io.encode_png, to_uint8(images), fn_output_signature=tf.string)


def with_checks(checks, *tensors):
    """`tensors` made to depend on the assertions `checks`."""
    with tf.control_dependencies(checks):
        out = tuple(tf.identity(t) for t in tensors)
    return out if len(out) > 1 else out[0]


def header_size(data):
    """`[height, width]` (int64) of an encoded PNG or JPEG read from its header, without decoding
    it; `[-1, -1]` for other formats (GIF, BMP), which the decoder checks itself.

    A served image of the wrong size is refused before its pixels are decoded, so a small file
    that declares a huge image (a "PNG bomb") costs nothing.
    """
    padded = tf.strings.join([data, tf.constant(b"\0" * 24)])  # a truncated header reads zeros
    head = tf.cast(tf.io.decode_raw(tf.strings.substr(padded, 0, 24), tf.uint8), tf.int64)

    def big_endian(i):
        return head[i] * 2**24 + head[i + 1] * 2**16 + head[i + 2] * 2**8 + head[i + 3]

    is_png = tf.equal(tf.strings.substr(padded, 0, 8), b"\x89PNG\r\n\x1a\n")
    is_jpeg = tf.equal(tf.strings.substr(padded, 0, 2), b"\xff\xd8")
    return tf.case(
        [
            (is_png, lambda: tf.stack([big_endian(20), big_endian(16)])),
            (is_jpeg, lambda: tf.cast(tf.io.extract_jpeg_shape(data)[:2], tf.int64)),
        ],
        default=lambda: tf.constant([-1, -1], tf.int64),
    )


def check_count(n, maximum=MAX_SAMPLE):
    return [
        tf.debugging.assert_greater_equal(n, 1, message="n: must be at least 1"),
        tf.debugging.assert_less_equal(n, maximum, message=f"n: must be at most {maximum}"),
    ]


def latent_signatures(model):
    """The signatures of a `LatentAdversarialModel` (see the module docstring)."""
    generator, latent_dim = model.generator, model.latent_dim
    image_model = len(generator.outputs[0].shape) == 4
    num_classes = model.num_classes

    def check_labels(label, z):
        return [
            tf.debugging.assert_equal(
                tf.shape(label)[0], tf.shape(z)[0], message="label: needs one entry per row of z"
            ),
            tf.debugging.assert_greater_equal(
                label, 0, message=f"label: must be in [0, {num_classes})"
            ),
            tf.debugging.assert_less(
                label, num_classes, message=f"label: must be in [0, {num_classes})"
            ),
        ]

    def run(z, label=None):
        checks = [
            tf.debugging.assert_equal(
                tf.shape(z)[1], latent_dim, message=f"z: must have shape [batch, {latent_dim}]"
            ),
            tf.debugging.assert_less_equal(
                tf.shape(z)[0], MAX_SAMPLE, message=f"z: at most {MAX_SAMPLE} rows per request"
            ),
            tf.debugging.assert_all_finite(z, message="z: must be finite"),
        ]
        if label is not None:
            checks += check_labels(label, z)
            z, label = with_checks(checks, z, label)
            return tf.cast(generator([z, label], training=False), tf.float32)
        return tf.cast(generator(with_checks(checks, z), training=False), tf.float32)

    z_spec = tf.TensorSpec([None, latent_dim], tf.float32, name="z")
    label_spec = tf.TensorSpec([None], tf.int32, name="label")
    example = {"z": np.zeros((1, latent_dim), np.float32)}
    out = "images" if image_model else "points"  # the output's name in every signature
    sigs = {}
    if num_classes is not None:
        example["label"] = np.zeros((1,), np.int32)
        sigs["serving_default"] = Signature(
            tf.function(
                lambda z, label: {out: run(z, label)}, input_signature=[z_spec, label_spec]
            ),
            example,
            portable=True,
        )
        if image_model:
            sigs["png"] = Signature(
                tf.function(
                    lambda z, label: {"images_bytes": encode_png(run(z, label))},
                    input_signature=[z_spec, label_spec],
                ),
                example,
            )
    else:
        sigs["serving_default"] = Signature(
            tf.function(lambda z: {out: run(z)}, input_signature=[z_spec]), example, portable=True
        )
        if image_model:
            sigs["png"] = Signature(
                tf.function(
                    lambda z: {"images_bytes": encode_png(run(z))}, input_signature=[z_spec]
                ),
                example,
            )

    @tf.function(
        input_signature=[
            tf.TensorSpec([], tf.int32, name="n"),
            tf.TensorSpec([], tf.int32, name="seed"),
        ]
    )
    def sample(n, seed):
        n = with_checks(check_count(n), n)
        z = model.latents_from_seed(n, tf.stack([seed, 0]))
        label = None if num_classes is None else tf.math.floormod(tf.range(n), num_classes)
        out = run(z, label)
        return {"images": to_uint8(out)} if image_model else {"points": out}

    sigs["sample"] = Signature(sample, {"n": np.int32(1), "seed": np.int32(0)})
    sigs["interpolate"] = interpolate_signature(model, run, out, label_spec)
    if image_model and "z" in model.capabilities().latent_spaces:
        sigs["project"] = project_signature(model, label_spec)
    return sigs


def project_signature(model, label_spec):
    """`images` float32 [n, H, W, C] in [-1, 1], `steps` int32 scalar (+ `label` int32 [n]) ->
    `latents` [n, latent_dim], `reconstructions` [n, H, W, C], `start_loss` and `loss` [n]:
    `steps` Adam updates of `keras_gan.projection` in z from the model's
    `serving_projection_start` (z = 0, the prior's mode; BiGAN's E(x)), each image's best latent
    kept. The objective is the pixel loss plus the prior's (no feature loss: the discriminator
    is not part of an export)."""
    from keras_gan import projection

    run = projection.projector(model, "z", feature_weight=0.0)
    num_classes = model.num_classes
    image_shape = tf.nest.flatten(model.data_spec())[0].shape[1:]
    images_spec = tf.TensorSpec([None, *image_shape], tf.float32, name="images")
    steps_spec = tf.TensorSpec([], tf.int32, name="steps")

    def project(images, steps, label=None):
        n = tf.shape(images)[0]
        checks = [
            tf.debugging.assert_greater_equal(steps, 1, message="steps: must be at least 1"),
            tf.debugging.assert_less_equal(
                steps, MAX_PROJECT_STEPS, message=f"steps: must be at most {MAX_PROJECT_STEPS}"
            ),
            tf.debugging.assert_less_equal(
                n, MAX_PROJECT, message=f"images: at most {MAX_PROJECT} per request"
            ),
            tf.debugging.assert_all_finite(images, message="images: must be finite"),
        ]
        if label is not None:
            checks += [
                tf.debugging.assert_equal(
                    tf.shape(label)[0], n, message="label: needs one entry per image"
                ),
                tf.debugging.assert_greater_equal(
                    label, 0, message=f"label: must be in [0, {num_classes})"
                ),
                tf.debugging.assert_less(
                    label, num_classes, message=f"label: must be in [0, {num_classes})"
                ),
            ]
        images, steps = with_checks(checks, images, steps)
        out = run(images, model.serving_projection_start(images), label, steps)
        return {k: out[k] for k in ("latents", "reconstructions", "start_loss", "loss")}

    example = {"images": np.zeros((1, *image_shape), np.float32), "steps": np.int32(2)}
    if num_classes is None:
        return Signature(tf.function(project, input_signature=[images_spec, steps_spec]), example)
    example["label"] = np.zeros((1,), np.int32)
    return Signature(
        tf.function(
            lambda images, steps, label: project(images, steps, label),
            input_signature=[images_spec, steps_spec, label_spec],
        ),
        example,
    )


def interpolate_signature(model, run, out, label_spec):
    """`z0`, `z1` float32 [n, latent_dim], `steps` int32 scalar (+ `label` int32 [n]) -> `out`
    [n, steps, ...]: the samples along each path from z0[i] to z1[i], ends included, by the path
    the model declares (`Capabilities.latent_path`: slerp for a N(0, I) prior, else lerp)."""
    method = model.capabilities().latent_path or "slerp"
    latent_dim = model.latent_dim
    z_spec = tf.TensorSpec([None, latent_dim], tf.float32)
    specs = [
        tf.TensorSpec.from_spec(z_spec, name="z0"),
        tf.TensorSpec.from_spec(z_spec, name="z1"),
        tf.TensorSpec([], tf.int32, name="steps"),
    ]

    def interpolate(z0, z1, steps, label=None):
        checks = [
            tf.debugging.assert_equal(
                tf.shape(z0), tf.shape(z1), message="z1: must have the shape of z0"
            ),
            tf.debugging.assert_greater_equal(steps, 2, message="steps: must be at least 2"),
            tf.debugging.assert_less_equal(
                steps, MAX_STEPS, message=f"steps: must be at most {MAX_STEPS}"
            ),
            tf.debugging.assert_less_equal(
                tf.shape(z0)[0] * steps,
                MAX_SAMPLE,
                message=f"z0: rows x steps must be at most {MAX_SAMPLE}",
            ),
        ]
        z0, z1, steps = with_checks(checks, z0, z1, steps)
        n = tf.shape(z0)[0]
        flat = tf.reshape(latent.path(z0, z1, steps, method), [-1, latent_dim])
        samples = run(flat, None if label is None else tf.repeat(label, steps))
        return {out: tf.reshape(samples, tf.concat([[n, steps], tf.shape(samples)[1:]], 0))}

    example = {
        "z0": np.full((1, latent_dim), 0.5, np.float32),
        "z1": np.full((1, latent_dim), -0.5, np.float32),
        "steps": np.int32(3),
    }
    if model.num_classes is None:
        return Signature(tf.function(interpolate, input_signature=specs), example)
    example["label"] = np.zeros((1,), np.int32)
    return Signature(
        tf.function(
            lambda z0, z1, steps, label: interpolate(z0, z1, steps, label),
            input_signature=[*specs, label_spec],
        ),
        example,
    )


def truncation_signature(model):
    """The `truncation` signature of a `LatentAdversarialModel` with a N(0, I) prior (see above)."""
    generator, latent_dim, num_classes = model.generator, model.latent_dim, model.num_classes
    specs = [
        tf.TensorSpec([], tf.int32, name="n"),
        tf.TensorSpec([], tf.int32, name="seed"),
        tf.TensorSpec([], tf.float32, name="threshold"),
    ]
    example = {"n": np.int32(1), "seed": np.int32(0), "threshold": np.float32(1.0)}

    def run(n, seed, threshold, label=None):
        checks = check_count(n) + [
            tf.debugging.assert_greater_equal(
                threshold,
                np.float32(priors.MIN_THRESHOLD),
                message=f"threshold: must be at least {priors.MIN_THRESHOLD}",
            ),
            tf.debugging.assert_all_finite(threshold, message="threshold: must be finite"),
        ]
        if label is not None:
            checks += [
                tf.debugging.assert_equal(tf.shape(label)[0], n, message="label: needs n entries"),
                tf.debugging.assert_greater_equal(
                    label, 0, message=f"label: must be in [0, {num_classes})"
                ),
                tf.debugging.assert_less(
                    label, num_classes, message=f"label: must be in [0, {num_classes})"
                ),
            ]
        n, threshold = with_checks(checks, n, threshold)
        z = priors.truncated_normal(tf.stack([n, latent_dim]), threshold, tf.stack([seed, 0]))
        images = generator(z if label is None else [z, label], training=False)
        return {"images": to_uint8(tf.cast(images, tf.float32))}

    if num_classes is None:
        function = tf.function(run, input_signature=specs)
    else:
        function = tf.function(
            lambda n, seed, threshold, label: run(n, seed, threshold, label),
            input_signature=specs + [tf.TensorSpec([None], tf.int32, name="label")],
        )
        example["label"] = np.zeros((1,), np.int32)
    return Signature(function, example)
