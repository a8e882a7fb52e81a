"""CycleGAN: unpaired image-to-image translation with cycle consistency."""

import keras
import numpy as np
import tensorflow as tf

from keras_gan import losses, serving
from keras_gan.image_pool import query_pool
from keras_gan.models.base import AdversarialModel, replica_slice
from keras_gan.models.capabilities import Capabilities

_POOL_STREAM = 201  # the pools' draws, one stream per domain (201: A, 202: B)


@keras.saving.register_keras_serializable(package="keras_gan")
class CycleGAN(AdversarialModel):
    """Two generators `G: A -> B`, `F: B -> A` and two discriminators, trained on unpaired images.

    Each `train_step` takes a batch `(images_a, images_b)` of the two
    domains (independent draws, see `keras_gan.data.load_unpaired`) and makes
    one update of both generators (one optimizer, `g_optimizer`, over G and
    F), then one update of both discriminators (`d_optimizer`) on the real
    images and on generated ones taken through a history pool.
    `discriminator_a` judges domain A (real a against F(b)), and
    `discriminator_b` domain B (real b against G(a)).

    The pools hold `pool_size` generated images per domain. They are model
    state (saved in checkpoints and `.keras` files), queried with the
    *global* batch of generated images and draws from the step's stateless
    seed, so N replicas keep the pools and use the images 1 device would.

    Reference:
        Zhu, Park, Isola & Efros, "Unpaired Image-to-Image Translation using
        Cycle-Consistent Adversarial Networks", ICCV 2017, and the authors'
        code (junyanz/pytorch-CycleGAN-and-pix2pix, `models/cycle_gan_model.py`):
        least-squares adversarial loss, λ_cycle = 10, identity weight 0.5,
        pools of 50, Adam(2e-4, β₁ = 0.5).

    Formula:
        generators: `E[(D_B(G(a)) - 1)²] + E[(D_A(F(b)) - 1)²]
        + λ (E|F(G(a)) - a| + E|G(F(b)) - b|)
        + λ·λ_id (E|G(b) - b| + E|F(a) - a|)` (the authors' MSE, without ½);
        discriminators: `½E[(D_A(a) - 1)²] + ½E[D_A(pool_A(F(b)))²]` and the
        same for B (`losses.least_squares_discriminator_loss`).

    Args:
        generator_ab: a built `keras.Model`, images of A -> images of B in [-1, 1].
        generator_ba: images of B -> images of A.
        discriminator_a: images of A -> raw scores of any shape `[batch, ...]`
            (a PatchGAN map).
        discriminator_b: the same for B.
        cycle_weight: λ_cycle.
        identity_weight: λ_id, the identity loss's weight relative to
            λ_cycle (0 turns it off). Needs domains of equal shape.
        pool_size: images per history pool; 0: no pool.
        seed: int seed of the pools' draws.

    Example:
        >>> model = CycleGAN(g_ab, g_ba, d_a, d_b)
        >>> model.compile()
        >>> model.fit(keras_gan.data.load_unpaired("digits_pair", batch_size=16), epochs=1)
        >>> zebras = model.translate(horses, "a2b")
    """

    NETWORKS = ("generator_ab", "generator_ba", "discriminator_a", "discriminator_b")

    def __init__(
        self,
        generator_ab,
        generator_ba,
        discriminator_a,
        discriminator_b,
        cycle_weight=10.0,
        identity_weight=0.5,
        pool_size=50,
        seed=0,
        **kwargs,
    ):
        super().__init__(seed=seed, **kwargs)
        self.check_networks(
            generator_ab=generator_ab,
            generator_ba=generator_ba,
            discriminator_a=discriminator_a,
            discriminator_b=discriminator_b,
        )
        self.generator_ab, self.generator_ba = generator_ab, generator_ba
        self.discriminator_a, self.discriminator_b = discriminator_a, discriminator_b
        self.shape_a = tuple(generator_ab.inputs[0].shape[1:])
        self.shape_b = tuple(generator_ba.inputs[0].shape[1:])
        for name, net, want in (
            ("generator_ab", generator_ab.outputs[0], self.shape_b),
            ("generator_ba", generator_ba.outputs[0], self.shape_a),
            ("discriminator_a", discriminator_a.inputs[0], self.shape_a),
            ("discriminator_b", discriminator_b.inputs[0], self.shape_b),
        ):
            if tuple(net.shape[1:]) != want:
                raise ValueError(
                    f"{name} must work on images of shape {want}. Received: {tuple(net.shape[1:])}"
                )
        if float(cycle_weight) < 0 or float(identity_weight) < 0:
            raise ValueError(
                f"cycle_weight and identity_weight must be >= 0. Received: {cycle_weight}, "
                f"{identity_weight}"
            )
        if float(identity_weight) > 0 and self.shape_a != self.shape_b:
            raise ValueError(
                f"The identity loss needs domains of one shape (A {self.shape_a}, B "
                f"{self.shape_b}); pass identity_weight=0."
            )
        if int(pool_size) < 0:
            raise ValueError(f"pool_size must be >= 0. Received: pool_size={pool_size}")
        self.cycle_weight, self.identity_weight = float(cycle_weight), float(identity_weight)
        self.pool_size = int(pool_size)
        if self.pool_size:
            self.pool_a = self.add_weight(
                shape=(self.pool_size, *self.shape_a),
                initializer="zeros",
                dtype="float32",
                trainable=False,
                name="pool_a",
            )
            self.pool_b = self.add_weight(
                shape=(self.pool_size, *self.shape_b),
                initializer="zeros",
                dtype="float32",
                trainable=False,
                name="pool_b",
            )
            self.pool_a_count = self.add_weight(
                shape=(), initializer="zeros", dtype="int32", trainable=False, name="pool_a_count"
            )
            self.pool_b_count = self.add_weight(
                shape=(), initializer="zeros", dtype="int32", trainable=False, name="pool_b_count"
            )
        self.trackers = {
            name: keras.metrics.Mean(name=name)
            for name in ("d_loss", "g_loss", "d_real", "d_fake", "cycle_loss", "identity_loss")
        }
        self.built = True

    def get_config(self):
        return {
            **super().get_config(),
            "cycle_weight": self.cycle_weight,
            "identity_weight": self.identity_weight,
            "pool_size": self.pool_size,
        }

    @property
    def metrics(self):
        return list(self.trackers.values())

    def generator_networks(self):
        return [self.generator_ab, self.generator_ba]

    def discriminator_networks(self):
        return [self.discriminator_a, self.discriminator_b]

    def data_spec(self):
        return (
            tf.TensorSpec([None, *self.shape_a], tf.float32),
            tf.TensorSpec([None, *self.shape_b], tf.float32),
        )

    # ---------------------------------------------------------------- the step
    def _pool(self, images, domain):
        """This replica's discriminator inputs: the global batch of `images` through the domain's
        pool."""
        if not self.pool_size:
            return images
        pool, count = (
            (self.pool_a, self.pool_a_count) if domain == "a" else (self.pool_b, self.pool_b_count)
        )
        ctx = tf.distribute.get_replica_context()
        local = tf.shape(images)[0]
        everything = ctx.all_gather(images, axis=0)
        seed = self.step_seed(_POOL_STREAM + (domain == "b"))
        seeds = tf.random.experimental.stateless_split(seed, 2)
        size = tf.shape(everything)[0]
        uniforms = tf.random.stateless_uniform([size], seeds[0])
        indices = tf.random.stateless_uniform([size], seeds[1], 0, self.pool_size, dtype=tf.int32)
        returned, new_pool, new_count = query_pool(
            pool.value, count.value, everything, uniforms, indices
        )
        self.assign_on_replicas([(pool, new_pool), (count, new_count)])
        return replica_slice(returned, local)

    def train_step(self, data):
        real_a, real_b = self.unpack_batch(data)
        if real_b is None:
            raise ValueError(
                "CycleGAN trains on (images_a, images_b) batches; the dataset gave one tensor. "
                "Use keras_gan.data.load_unpaired."
            )
        real_a, real_b = tf.cast(real_a, tf.float32), tf.cast(real_b, tf.float32)
        g_ab = lambda x: tf.cast(self.generator_ab(x, training=True), tf.float32)  # noqa: E731
        g_ba = lambda x: tf.cast(self.generator_ba(x, training=True), tf.float32)  # noqa: E731
        d_a = lambda x: tf.cast(self.discriminator_a(x, training=True), tf.float32)  # noqa: E731
        d_b = lambda x: tf.cast(self.discriminator_b(x, training=True), tf.float32)  # noqa: E731
        with tf.GradientTape() as tape:
            fake_b, fake_a = g_ab(real_a), g_ba(real_b)
            # The authors' MSE(D(G(a)), 1) is twice our least-squares generator loss.
            adversarial = 2.0 * (
                losses.least_squares_generator_loss(d_b(fake_b))
                + losses.least_squares_generator_loss(d_a(fake_a))
            )
            cycle = losses.cycle_consistency_loss(
                real_a, g_ba(fake_b)
            ) + losses.cycle_consistency_loss(real_b, g_ab(fake_a))
            g_loss = adversarial + self.cycle_weight * cycle
            identity = tf.constant(0.0)
            if self.identity_weight:
                identity = losses.cycle_consistency_loss(
                    real_b, g_ab(real_b)
                ) + losses.cycle_consistency_loss(real_a, g_ba(real_a))
                g_loss += self.cycle_weight * self.identity_weight * identity
            scaled = self.scale_loss(self.g_optimizer, g_loss)
        self.apply_update(
            self.g_optimizer, tape, scaled, self.trainable_variables_of(self.generator_networks())
        )

        pooled_a = self._pool(tf.stop_gradient(fake_a), "a")
        pooled_b = self._pool(tf.stop_gradient(fake_b), "b")
        with tf.GradientTape() as tape:
            real_out_a, fake_out_a = d_a(real_a), d_a(pooled_a)
            real_out_b, fake_out_b = d_b(real_b), d_b(pooled_b)
            d_loss = losses.least_squares_discriminator_loss(
                real_out_a, fake_out_a
            ) + losses.least_squares_discriminator_loss(real_out_b, fake_out_b)
            scaled = self.scale_loss(self.d_optimizer, d_loss)
        self.apply_update(
            self.d_optimizer,
            tape,
            scaled,
            self.trainable_variables_of(self.discriminator_networks()),
        )
        for name, value in (
            ("d_loss", d_loss),
            ("g_loss", g_loss),
            ("cycle_loss", cycle),
            ("identity_loss", identity),
            ("d_real", 0.5 * (tf.reduce_mean(real_out_a) + tf.reduce_mean(real_out_b))),
            ("d_fake", 0.5 * (tf.reduce_mean(fake_out_a) + tf.reduce_mean(fake_out_b))),
        ):
            self.trackers[name].update_state(value)
        return self.end_step()

    # ---------------------------------------------------------------- inference
    def call(self, inputs, training=False):
        """Translates images of A to B (what `serving_default` serves)."""
        return tf.cast(self.generator_ab(inputs, training=training), tf.float32)

    def capabilities(self):
        return Capabilities(translations={"a2b": self.shape_a, "b2a": self.shape_b})

    def translate(self, images, direction="a2b", batch_size=64):
        """Translates float images in [-1, 1] (`"a2b"`: G, `"b2a"`: F); returns NumPy.

        Raises:
            ValueError: for another direction, or images of the wrong shape.
        """
        network, shape = self._direction(direction)
        images = np.asarray(images, np.float32)
        if images.ndim == len(shape):
            images = images[None]
        if images.shape[1:] != shape:
            raise ValueError(
                f"{direction} translates images of shape {shape}. Received: {images.shape[1:]}"
            )
        chunks = [
            tf.cast(network(images[i : i + batch_size], training=False), tf.float32)
            for i in range(0, len(images), batch_size)
        ]
        return tf.concat(chunks, axis=0).numpy()

    def _direction(self, direction):
        if direction == "a2b":
            return self.generator_ab, self.shape_a
        if direction == "b2a":
            return self.generator_ba, self.shape_b
        raise ValueError(f"direction must be 'a2b' or 'b2a'. Received: direction={direction!r}")

    def preview_column_labels(self, n=64):
        """The columns of `preview`: each domain's images, their translation and its way back."""
        return ["A", "G(A)", "F(G(A))", "B", "F(B)", "G(F(B))"]

    def preview(self, n=64, seed=0, inputs=None):
        """Rows `a | G(a) | F(G(a)) | b | F(b) | G(F(b))` for the first `n // 6` pairs of `inputs`.

        Args:
            n: pictures in the grid (6 per row).
            seed: unused (the translation is deterministic).
            inputs: `(images_a, images_b)`, float arrays in [-1, 1].
        """
        if inputs is None:
            raise ValueError(
                "CycleGAN translates images: pass inputs=(images_a, images_b) to preview "
                "(keras-gan sample: --input)."
            )
        if self.shape_a != self.shape_b:
            raise ValueError("preview draws both domains in one grid; their shapes differ.")
        a, b = (np.asarray(x, np.float32) for x in inputs)
        rows = max(1, min(n // 6, len(a), len(b)))
        a, b = a[:rows], b[:rows]
        fake_b, fake_a = self.translate(a, "a2b"), self.translate(b, "b2a")
        columns = [
            a,
            fake_b,
            self.translate(fake_b, "b2a"),
            b,
            fake_a,
            self.translate(fake_a, "a2b"),
        ]
        return np.stack(columns, axis=1).reshape(rows * 6, *self.shape_a), 6

    # ------------------------------------------------------------------ serving
    def serving_networks(self):
        return [self.generator_ab, self.generator_ba]

    def serving_signatures(self):
        """`serving_default` and `translate_a_to_b` (G), `translate_b_to_a` (F): `images` float32
        `[None, H, W, C]` in [-1, 1] -> `images`; `png_a_to_b`, `png_b_to_a`: `images_bytes` (PNG
        files) -> `images_bytes` (PNG files)."""
        sigs = {}
        for tag, network, shape in (
            ("a_to_b", self.generator_ab, self.shape_a),
            ("b_to_a", self.generator_ba, self.shape_b),
        ):
            floats, pngs = _translate_signatures(network, shape, f"translate_{tag}")
            sigs[f"translate_{tag}"] = floats
            sigs[f"png_{tag}"] = pngs
        sigs["serving_default"] = sigs["translate_a_to_b"]
        return sigs


def _translate_signatures(network, shape, name):
    """Float and PNG signatures of one generator taking images of `shape`."""
    h, w, c = shape

    def run(images):
        checks = [
            tf.debugging.assert_equal(
                tf.shape(images)[1:],
                tf.constant([h, w, c]),
                message=f"images: must have shape [batch, {h}, {w}, {c}]",
            ),
            tf.debugging.assert_all_finite(images, message="images: must be finite"),
            tf.debugging.assert_less_equal(
                tf.shape(images)[0],
                serving.MAX_SAMPLE,
                message=f"images: at most {serving.MAX_SAMPLE} per request",
            ),
            tf.debugging.assert_less_equal(
                tf.reduce_max(tf.abs(images)), 1.0, message="images: must lie in [-1, 1]"
            ),
        ]
        images = serving.with_checks(checks, images)
        return tf.cast(network(images, training=False), tf.float32)

    @tf.function(input_signature=[tf.TensorSpec([None, h, w, c], tf.float32, name="images")])
    def floats(images):
        return {"images": run(images)}

    def decode(data):
        declared = serving.header_size(data)
        data = serving.with_checks(
            [
                tf.debugging.assert_equal(
                    tf.logical_or(
                        tf.reduce_all(tf.equal(declared, [h, w])),
                        tf.reduce_all(tf.equal(declared, -1)),
                    ),
                    True,
                    message=f"images_bytes: each image must be {h}x{w} (its header says otherwise)",
                )
            ],
            data,
        )
        image = tf.io.decode_image(data, channels=c, expand_animations=False)
        image = serving.with_checks(
            [
                tf.debugging.assert_equal(
                    tf.shape(image)[:2],
                    tf.constant([h, w]),
                    message=f"images_bytes: each image must be {h}x{w}",
                )
            ],
            image,
        )
        return tf.ensure_shape(image, [h, w, c])

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="images_bytes")])
    def pngs(images_bytes):
        images = tf.map_fn(
            decode, images_bytes, fn_output_signature=tf.TensorSpec([h, w, c], tf.uint8)
        )
        return {"images_bytes": serving.encode_png(run(tf.cast(images, tf.float32) / 127.5 - 1.0))}

    zeros = np.zeros((1, h, w, c), np.float32)
    png = tf.io.encode_png(np.zeros((h, w, c), np.uint8)).numpy()
    return serving.Signature(floats, {"images": zeros}, portable=True), serving.Signature(
        pngs, {"images_bytes": np.array([png])}
    )
