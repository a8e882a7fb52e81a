"""StyleGAN: a mapping network, per-layer styles, noise inputs, style mixing, R1 and truncation in
W."""

import keras
import numpy as np
import tensorflow as tf

from keras_gan import losses, regularizers, serving
from keras_gan.models.base import (
    CRITIC_UPDATE_STREAM,
    GENERATOR_UPDATE_STREAM,
    LATENT_STREAM,
    AdversarialModel,
    num_replicas,
    replica_slice,
)
from keras_gan.models.capabilities import Capabilities
from keras_gan.precision import widen
from keras_gan.replicas import global_mean

MIXING_STREAM = 101  # second latents, whether to mix, and the crossover layer
NOISE_STREAM = 102  # the noise images
CONST_NOISE_SEED = (2**30, 7)  # the fixed noise buffers of noise="const"
NOISE_MODES = ("random", "const", "none")


@keras.saving.register_keras_serializable(package="keras_gan")
class StyleGAN(AdversarialModel):
    """Style-based generator: `w = mapping(z)`, images = `synthesis(ws, noise)`, against a
    discriminator.

    Training (one step): a discriminator update on the non-saturating
    logistic loss, with the R1 penalty on real data every `r1_interval`-th
    step weighted `r1_interval · γ/2` (StyleGAN2's lazy regularization), then
    a generator update. Both draw z for the global batch from the step's
    stateless seed; with probability `mixing_prob` an example gets a second
    latent whose w replaces the first from a random crossover layer on
    (style-mixing regularization); the noise images are drawn the same way.
    The tracked average `w_avg` (β = `w_avg_beta`) moves towards the batch
    mean of w in each generator update only. The served mapping and
    synthesis networks are exponential moving averages (`ema_decay`).

    Sampling: `generate(n, seed, psi, truncation_cutoff, noise)` with
    truncation in W, `w' = w_avg + ψ (w - w_avg)` on the layers before the
    cutoff, and the noise drawn from the seed (`"random"`), fixed buffers
    (`"const"`) or zeros (`"none"`).

    Reference:
        Karras, Laine & Aila, "A Style-Based Generator Architecture for
        Generative Adversarial Networks", CVPR 2019 (NVlabs/stylegan:
        `networks_stylegan.py`, `loss.py` `D_logistic_simplegp` with γ = 10,
        style mixing 0.9, `dlatent_avg_beta` 0.995, truncation cutoff 8,
        Adam (0, 0.99), lr 1e-3); Karras et al., "Analyzing and Improving the
        Image Quality of StyleGAN", CVPR 2020 (lazy R1 every 16 steps, γ·16).

    Formula:
        D: `E[softplus(D(G(z)))] + E[softplus(-D(x))] + [t mod k = 0] k γ/2 E‖∇ₓD(x)‖²`;
        G: `E[softplus(-D(G(z)))]`; `w_avg ← β w_avg + (1 - β) mean(w)`.

    Args:
        mapping: maps z `[batch, z_dim]` to w `[batch, w_dim]`.
        synthesis: maps `[ws [batch, num_ws, w_dim], noise_0, ..., noise_{num_ws-1}]` to images.
        discriminator: maps images to scores `[batch, 1]`.
        r1_gamma: γ.
        r1_interval: k (1: R1 every step).
        mixing_prob: probability that an example mixes two latents.
        w_avg_beta: β of the tracked average w.
        truncation_cutoff: default number of leading layers that `psi` applies to (None: all).
        ema_decay: decay of the served networks' average (None: serve the trained ones).
        ema_start: the step from which the average decays.
        ema_rampup: cap the average's half-life at this fraction of the steps
            done (stylegan2-ada's `ema_rampup`); None: no ramp-up.
        seed: int seed of every draw made in training.

    Example:
        >>> model = StyleGAN(**zoo.stylegan.networks.stylegan_networks(128, 128, (32, 32, 1)))
        >>> model.compile()
        >>> images = model.generate(16, seed=0, psi=0.7)
    """

    NETWORKS = ("mapping", "synthesis", "discriminator")
    DEFAULT_OPTIMIZER = {
        "class_name": "Adam",
        "config": {"learning_rate": 1e-3, "beta_1": 0.0, "beta_2": 0.99, "epsilon": 1e-8},
    }

    def __init__(
        self,
        mapping,
        synthesis,
        discriminator,
        r1_gamma=10.0,
        r1_interval=16,
        mixing_prob=0.9,
        w_avg_beta=0.995,
        truncation_cutoff=None,
        ema_decay=0.999,
        ema_start=0,
        ema_rampup=None,
        seed=0,
        **kwargs,
    ):
        super().__init__(seed=seed, **kwargs)
        self.check_networks(mapping=mapping, synthesis=synthesis, discriminator=discriminator)
        if not float(r1_gamma) >= 0 or int(r1_interval) < 1 or not 0.0 <= float(mixing_prob) <= 1.0:
            raise ValueError(
                "r1_gamma must be >= 0, r1_interval >= 1 and mixing_prob in [0, 1]. Received: "
                f"r1_gamma={r1_gamma}, r1_interval={r1_interval}, mixing_prob={mixing_prob}"
            )
        if not 0.0 <= float(w_avg_beta) < 1.0:
            raise ValueError(f"w_avg_beta must be in [0, 1). Received: w_avg_beta={w_avg_beta}")
        if ema_decay is not None and not 0.0 < float(ema_decay) < 1.0:
            raise ValueError(
                f"ema_decay must be in (0, 1) or None. Received: ema_decay={ema_decay}"
            )
        self.r1_gamma, self.r1_interval = float(r1_gamma), int(r1_interval)
        self.mixing_prob, self.w_avg_beta = float(mixing_prob), float(w_avg_beta)
        self.ema_decay = None if ema_decay is None else float(ema_decay)
        self.ema_start = int(ema_start)
        self.ema_rampup = None if ema_rampup is None else float(ema_rampup)
        self.z_dim = int(mapping.inputs[0].shape[-1])
        self.w_dim = int(mapping.outputs[0].shape[-1])
        ws_shape = synthesis.inputs[0].shape
        if ws_shape[-1] != self.w_dim or len(synthesis.inputs) != ws_shape[1] + 1:
            raise ValueError(
                f"synthesis must take [ws [batch, num_ws, {self.w_dim}], one noise image per w]. "
                f"Received inputs: {[tuple(i.shape) for i in synthesis.inputs]}"
            )
        self.num_ws = int(ws_shape[1])
        self.noise_shapes = [tuple(int(d) for d in i.shape[1:]) for i in synthesis.inputs[1:]]
        cutoff = self.num_ws if truncation_cutoff is None else int(truncation_cutoff)
        if not 1 <= cutoff <= self.num_ws:
            raise ValueError(
                f"truncation_cutoff must be in [1, {self.num_ws}] (num_ws) or None. Received: "
                f"truncation_cutoff={truncation_cutoff}"
            )
        self.truncation_cutoff = cutoff
        self._truncation_cutoff_arg = truncation_cutoff
        if self.ema_decay is None:
            self.mapping, self.synthesis = mapping, synthesis
        else:
            self.online_mapping, self.online_synthesis = mapping, synthesis
            self.mapping = self.track_ema(mapping, self.ema_decay, self.ema_start, self.ema_rampup)
            self.synthesis = self.track_ema(
                synthesis, self.ema_decay, self.ema_start, self.ema_rampup
            )
        self.discriminator = discriminator
        self.w_avg = self.add_weight(
            shape=(self.w_dim,), initializer="zeros", trainable=False, name="w_avg"
        )
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.d_real_tracker = keras.metrics.Mean(name="d_real")
        self.d_fake_tracker = keras.metrics.Mean(name="d_fake")
        self.r1_tracker = keras.metrics.Mean(name="r1")
        self.built = True

    def get_config(self):
        return {
            **super().get_config(),
            "r1_gamma": self.r1_gamma,
            "r1_interval": self.r1_interval,
            "mixing_prob": self.mixing_prob,
            "w_avg_beta": self.w_avg_beta,
            "truncation_cutoff": self._truncation_cutoff_arg,
            "ema_decay": self.ema_decay,
            "ema_start": self.ema_start,
            "ema_rampup": self.ema_rampup,
        }

    def network_to_save(self, key):
        if self.ema_decay is not None and key in ("mapping", "synthesis"):
            return getattr(self, f"online_{key}")
        return super().network_to_save(key)

    @property
    def metrics(self):
        return [
            self.d_loss_tracker,
            self.g_loss_tracker,
            self.d_real_tracker,
            self.d_fake_tracker,
            self.r1_tracker,
        ]

    # ------------------------------------------------------------ networks
    @property
    def trained_mapping(self):
        return self.online_mapping if self.ema_decay is not None else self.mapping

    @property
    def trained_synthesis(self):
        return self.online_synthesis if self.ema_decay is not None else self.synthesis

    def generator_networks(self):
        return [self.trained_mapping, self.trained_synthesis]

    def discriminator_networks(self):
        return [self.discriminator]

    def serving_networks(self):
        return [self.mapping, self.synthesis]

    def data_spec(self):
        return tf.TensorSpec([None, *self.discriminator.inputs[0].shape[1:]], tf.float32)

    def capabilities(self):
        return Capabilities(
            psi=True,
            ema_generator=self.ema_decay is not None,
            refusals={"truncation": "StyleGAN truncates in W: use psi (e.g. 0.7), not truncation."},
            latent_spaces=("z", "w"),
            latent_path="slerp",
            style_layers=self.num_ws,
        )

    def to_space(self, z, space="z"):
        """Latents `z` in `space`: z itself, or W = the mapping network's output."""
        if space not in ("z", "w"):
            raise ValueError(f"space must be 'z' or 'w'. Received: space={space!r}")
        z = tf.convert_to_tensor(np.asarray(z, np.float32))
        return z.numpy() if space == "z" else self.mapping(z, training=False).numpy()

    def space_decoder(self, space="z"):
        """A graph function `(latents, labels) -> float32 images` in z or w, fixed noise."""
        if space not in ("z", "w"):
            raise ValueError(f"space must be 'z' or 'w'. Received: space={space!r}")

        def decode(latents, labels=None):
            if space == "w":
                return self.synthesize(None, tf.constant(0), noise="const", w=latents)
            return self.synthesize(latents, tf.constant(0), noise="const")

        return decode

    def noise_decoder(self):
        """`(shapes, decode(w, noise, labels=None))` for projection in W that also optimizes the
        noise images (stylegan2-ada's projector): `noise` one `[n, *shape]` image per synthesis
        layer; `noise_images(n, 0, "const")` are the fixed buffers `space_decoder` uses."""

        def decode(w, noise, labels=None):
            return tf.cast(self.synthesis([self.truncate(w), *noise], training=False), tf.float32)

        return self.noise_shapes, decode

    def projection_start(self, images, space="z", seed=0):
        """Where projection starts: the average w in W (as stylegan2-ada's projector), a prior
        draw in z."""
        if space == "w":
            return np.tile(np.asarray(self.w_avg, np.float32)[None], (len(images), 1))
        return np.asarray(self.sample_latents(len(images), seed), np.float32)

    def decode_space(self, latents, space="z", labels=None, batch_size=256):
        """Images in [-1, 1] of latents in `space` (z, or w: `[n, w_dim]`, or one w per layer
        `[n, num_ws, w_dim]`), with the fixed noise buffers (so that neighbouring frames differ
        only by their latents)."""
        if labels is not None:
            raise ValueError(f"{self.name} is unconditional; labels must be None.")
        decode = self.space_decoder(space)
        chunks = [
            decode(tf.constant(np.asarray(latents[i : i + batch_size], np.float32)))
            for i in range(0, len(latents), batch_size)
        ]
        return np.clip(tf.concat(chunks, axis=0).numpy(), -1.0, 1.0)

    # ------------------------------------------------------------ the step
    def draw_ws(self, local_size, stream):
        """This replica's `[local, num_ws, w_dim]` ws for the step, with style mixing, and the noise
        images.

        Every draw is made for the global batch from the step seed and sliced.
        """
        global_size = local_size * num_replicas()
        seed = self.step_seed(stream)
        fold = lambda k: tf.random.experimental.stateless_fold_in(seed, k)  # noqa: E731
        z = replica_slice(
            tf.random.stateless_normal([global_size, self.z_dim], fold(LATENT_STREAM)), local_size
        )
        z2 = replica_slice(
            tf.random.stateless_normal([global_size, self.z_dim], fold(MIXING_STREAM)), local_size
        )
        mix = self.draw_uniform(local_size, fold(MIXING_STREAM + 1))
        cut = replica_slice(
            tf.random.stateless_uniform(
                [global_size], fold(MIXING_STREAM + 2), 1, self.num_ws, dtype=tf.int32
            ),
            local_size,
        )
        cutoff = tf.where(mix < self.mixing_prob, cut, self.num_ws)  # num_ws: no mixing
        w1 = widen(self.trained_mapping(z, training=True))
        w2 = widen(self.trained_mapping(z2, training=True))
        ws = self.mix_styles(w1, w2, cutoff)
        noise = [
            replica_slice(
                tf.random.stateless_normal([global_size, *shape], fold(NOISE_STREAM + i)),
                local_size,
            )
            for i, shape in enumerate(self.noise_shapes)
        ]
        return ws, noise, w1

    def mix_styles(self, w1, w2, cutoff):
        """ws `[batch, num_ws, w_dim]`: layer i takes `w1` where `i < cutoff` (per example), else
        `w2`."""
        layer = tf.range(self.num_ws)[None, :, None]
        return tf.where(layer < tf.reshape(cutoff, [-1, 1, 1]), w1[:, None], w2[:, None])

    def train_step(self, data):
        x, _ = self.unpack_batch(data)
        n = self.n_critic
        local_size = tf.shape(x)[0] // n
        for k in range(n):
            self.discriminator_update(x[k::n], k)
        self.generator_update(local_size)
        return self.end_step()

    def discriminator_update(self, real, index):
        # Real images in the losses' precision (a float64 model's R1 gradient in float64).
        real = widen(tf.cast(real, self.compute_dtype))
        ws, noise, _ = self.draw_ws(tf.shape(real)[0], CRITIC_UPDATE_STREAM + 10 * index)
        fake = tf.stop_gradient(widen(self.trained_synthesis([ws, *noise], training=True)))
        lazy = tf.equal(tf.math.floormod(self.step_counter.value, self.r1_interval), 0)
        with tf.GradientTape() as tape:
            real_output = widen(self.discriminator(real, training=True))
            fake_output = widen(self.discriminator(fake, training=True))
            loss = losses.minimax_discriminator_loss(real_output, fake_output)
            if self.r1_gamma:
                r1_term = lambda: regularizers.r1_penalty(
                    lambda v: self.discriminator(v, training=True), real
                )  # noqa: E731
                if num_replicas() > 1:
                    # A tf.cond may not hold the discriminator's cross-replica gather (minibatch
                    # stddev): with replicas R1 is computed every step and weighted 0 off schedule.
                    r1 = r1_term() * tf.cast(lazy, loss.dtype)
                else:
                    r1 = tf.cond(lazy, r1_term, lambda: tf.zeros([], loss.dtype))
                self.r1_tracker.update_state(r1)
                loss += self.r1_interval * self.r1_gamma / 2.0 * r1
            scaled = self.scale_loss(self.d_optimizer, loss)
        self.apply_update(self.d_optimizer, tape, scaled, self.discriminator.trainable_variables)
        self.d_loss_tracker.update_state(loss)
        self.d_real_tracker.update_state(tf.reduce_mean(tf.sigmoid(real_output)))
        self.d_fake_tracker.update_state(tf.reduce_mean(tf.sigmoid(fake_output)))

    def generator_update(self, local_size):
        variables = self.trainable_variables_of(self.generator_networks())
        with tf.GradientTape() as tape:
            ws, noise, w = self.draw_ws(local_size, GENERATOR_UPDATE_STREAM)
            fake = widen(self.trained_synthesis([ws, *noise], training=True))
            loss = losses.nonsaturating_generator_loss(self.discriminator(fake, training=True))
            scaled = self.scale_loss(self.g_optimizer, loss)
        self.apply_update(self.g_optimizer, tape, scaled, variables)
        batch_mean = tf.cast(global_mean(tf.stop_gradient(w)), self.w_avg.dtype)
        self.assign_on_replicas(
            [
                (
                    self.w_avg,
                    self.w_avg_beta * self.w_avg.value + (1.0 - self.w_avg_beta) * batch_mean,
                )
            ]
        )
        self.update_ema()
        self.g_loss_tracker.update_state(loss)

    # ------------------------------------------------------------ sampling
    def sample_latents(self, n, seed, truncation=None):
        """`n` latents z ~ N(0, I) for an int seed."""
        if truncation is not None:
            raise ValueError("StyleGAN truncates in W: pass psi= to generate, not truncation=.")
        return self.latents_from_seed(n, tf.constant([seed, 0], tf.int32))

    def latents_from_seed(self, n, seed):
        return tf.random.stateless_normal(tf.stack([n, self.z_dim]), seed)

    def truncate(self, w, psi=1.0, truncation_cutoff=None):
        """ws `[n, num_ws, w_dim]` from w `[n, w_dim]`: `w_avg + ψ (w - w_avg)` on layers before the
        cutoff."""
        cutoff = self.truncation_cutoff if truncation_cutoff is None else int(truncation_cutoff)
        avg = tf.cast(self.w_avg, w.dtype)
        truncated = avg + tf.cast(psi, w.dtype) * (w - avg)
        return self.mix_styles(truncated, w, tf.fill([tf.shape(w)[0]], cutoff))

    def noise_images(self, n, seed, mode):
        """The noise inputs for `n` samples: drawn from `seed`, fixed buffers, or zeros."""
        if mode not in NOISE_MODES:
            raise ValueError(f"noise must be one of {NOISE_MODES}. Received: noise={mode!r}")
        out = []
        for i, shape in enumerate(self.noise_shapes):
            if mode == "none":
                out.append(tf.zeros([n, *shape]))
            elif mode == "const":
                buffer = tf.random.stateless_normal(
                    [1, *shape], tf.constant(CONST_NOISE_SEED) + [0, i]
                )
                out.append(tf.tile(buffer, [n, 1, 1, 1]))
            else:
                out.append(tf.random.stateless_normal([n, *shape], tf.stack([seed, 1 + i])))
        return out

    def synthesize(self, z, seed, psi=1.0, truncation_cutoff=None, noise="const", w=None):
        """Images (float32) of the served networks for latents `z` (or given `w`)."""
        if w is None:
            w = tf.cast(self.mapping(z, training=False), tf.float32)
        ws = w if len(w.shape) == 3 else self.truncate(w, psi, truncation_cutoff)
        n = tf.shape(ws)[0]
        return tf.cast(
            self.synthesis([ws, *self.noise_images(n, seed, noise)], training=False), tf.float32
        )

    def generate(
        self,
        n,
        seed=None,
        labels=None,
        batch_size=256,
        psi=1.0,
        truncation_cutoff=None,
        noise="random",
        truncation=None,
    ):
        """`n` images in [-1, 1] (clipped) as a NumPy array.

        Args:
            n: number of images.
            seed: int; the same seed gives the same images (latents and noise).
            psi: truncation ψ in W (1: none; 0: every image is the average w's).
            truncation_cutoff: layers ψ applies to (default: the model's).
            noise: `"random"` (from the seed), `"const"` (fixed buffers) or `"none"`.
            truncation: refused: StyleGAN truncates in W with `psi`.
        """
        if truncation is not None:
            raise ValueError(
                "StyleGAN truncates in W: pass psi= (e.g. 0.7) instead of truncation=."
            )
        if labels is not None:
            raise ValueError(f"{self.name} is unconditional; labels must be None.")
        n = int(n)
        if n < 1:
            raise ValueError(f"n must be a positive integer. Received: n={n}")
        if seed is None:
            seed = int(np.random.randint(0, 2**31 - 1))
        z = self.sample_latents(n, int(seed))
        chunks = [
            self.synthesize(
                z[i : i + batch_size],
                tf.constant(int(seed) + i, tf.int32),
                psi,
                truncation_cutoff,
                noise,
            )
            for i in range(0, n, batch_size)
        ]
        return np.clip(tf.concat(chunks, axis=0).numpy(), -1.0, 1.0)

    def call(self, inputs, training=False):
        """The served images of latents `inputs` with the fixed noise buffers and no truncation."""
        return self.synthesize(inputs, tf.constant(0), noise="const")

    def preview(self, n=64, seed=0, inputs=None):
        return self.generate(n, seed=seed), None

    # ------------------------------------------------------------ serving
    def serving_signatures(self):
        z_spec = tf.TensorSpec([None, self.z_dim], tf.float32, name="z")
        example_z = {"z": np.zeros((1, self.z_dim), np.float32)}

        def checked_z(z):
            checks = [
                tf.debugging.assert_less_equal(
                    tf.shape(z)[0],
                    serving.MAX_SAMPLE,
                    message=f"z: at most {serving.MAX_SAMPLE} rows per request",
                ),
                tf.debugging.assert_all_finite(z, message="z: must be finite"),
            ]
            return serving.with_checks(checks, z)

        default = tf.function(
            lambda z: {"images": self.call(checked_z(z))}, input_signature=[z_spec]
        )
        png = tf.function(
            lambda z: {"images_bytes": serving.encode_png(self.call(checked_z(z)))},
            input_signature=[z_spec],
        )
        count_seed = [
            tf.TensorSpec([], tf.int32, name="n"),
            tf.TensorSpec([], tf.int32, name="seed"),
        ]

        @tf.function(input_signature=count_seed)
        def sample(n, seed):
            n = serving.with_checks(serving.check_count(n), n)
            z = self.latents_from_seed(n, tf.stack([seed, 0]))
            return {"images": serving.to_uint8(self.synthesize(z, seed, noise="random"))}

        @tf.function(input_signature=count_seed + [tf.TensorSpec([], tf.float32, name="psi")])
        def truncated(n, seed, psi):
            checks = serving.check_count(n) + [
                tf.debugging.assert_all_finite(psi, message="psi: must be finite")
            ]
            n, psi = serving.with_checks(checks, n, psi)
            z = self.latents_from_seed(n, tf.stack([seed, 0]))
            return {"images": serving.to_uint8(self.synthesize(z, seed, psi=psi, noise="random"))}

        counts = {"n": np.int32(1), "seed": np.int32(0)}
        return {
            "serving_default": serving.Signature(default, example_z),
            "png": serving.Signature(png, example_z),
            "sample": serving.Signature(sample, counts),
            "psi": serving.Signature(truncated, {**counts, "psi": np.float32(0.7)}),
            # In z, with the fixed noise buffers, as `call` (and `keras-gan interpolate`).
            "interpolate": serving.interpolate_signature(
                self, lambda z, label=None: self.call(z), "images", None
            ),
            "project": serving.project_signature(self, None),
        }

    @property
    def latent_dim(self):
        """The size of z (the serving signatures' latent)."""
        return self.z_dim

    @property
    def num_classes(self):
        """None: StyleGAN is unconditional."""
        return None

    def serving_projection_start(self, images):
        """The `project` signature starts from z = 0 (the prior's mode)."""
        return tf.zeros([tf.shape(images)[0], self.z_dim], tf.float32)
