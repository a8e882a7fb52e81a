"""`LatentAdversarialModel`: the schemes whose generator maps a latent prior to samples.

GAN, WGAN, WGAN-GP, SNGAN, f-GAN and MEG derive from it. It adds to
`AdversarialModel` (the mechanics every scheme shares) what only
latent-variable generators have: a prior, `generate(n, seed)`, class
conditioning, the n_critic loop, DiffAugment and the `serving_default` /
`sample` / `png` signatures. A scheme overrides only what differs:
`discriminator_loss`, `generator_loss`, and optionally
`after_discriminator_step` (e.g. weight clipping) or `discriminator_output`
(what to report as D(x)).

## One training step

Each call of `train_step` is one iteration of Algorithm 1 of Goodfellow et
al. (2014): `n_critic` discriminator updates, each on its own real minibatch
and fresh latents, then one generator update on fresh latents.

Every dataset element therefore holds `n_critic * b` real examples (that is
what `keras_gan.data.load(..., n_critic=n)` yields). Discriminator update k
uses examples `k, k + n, k + 2n, ...` of the element (a strided split). A
strided split, unlike a contiguous one, picks the same global examples for
update k whatever the number of replicas the element is divided across.

## Randomness and replicas

No draw in a step uses stateful RNG. Latents (and labels of generated
samples) for a step are drawn for the whole *global* batch from a stateless
seed made of `(model.seed, step, stream)`, where `step` is the model's step
counter (see `AdversarialModel`); each replica keeps its slice. A step is thus a
pure function of the weights, the step number and the data: N replicas
compute the update that 1 replica computes on the same global batch, and a
run restored from a checkpoint continues with the draws it would have made.

Losses are scaled to the global batch and, under `mixed_float16`, by the
loss scale (see `AdversarialModel`). Generated samples and discriminator
outputs are cast to float32 before any loss, so losses, penalties and exports
stay float32.

## Generator EMA

With `ema_decay`, `generator` is an exponential moving average of the
trained network, `trained_generator` (Karras et al. 2018; Yazıcı et al.
2019): after each generator update, each weight of the copy becomes
`decay * ema + (1 - decay) * w`; non-trainable state (BatchNorm statistics)
is copied, as StyleGAN2-ADA does. `generate`, `call`, the exports and the
callbacks use `generator`; checkpoints and `.keras` files hold both.
"""

import dataclasses
from typing import Any, Optional

import keras
import numpy as np
import tensorflow as tf

from keras_gan import augment as augmentation
from keras_gan import priors, serving
from keras_gan.models.base import (
    AUGMENT_STREAM,
    CRITIC_UPDATE_STREAM,
    GENERATOR_UPDATE_STREAM,
    LABEL_STREAM,
    LATENT_STREAM,
    AdversarialModel,
    num_replicas,
    replica_slice,
)
from keras_gan.models.capabilities import Capabilities


@dataclasses.dataclass
class StepBatch:
    """What a scheme's loss hooks see in one update.

    Attributes:
        real: real examples of this update (in the generator update: the last
            discriminator update's, for losses that compare with data).
        fake: generated examples.
        real_output: discriminator outputs on `real` (None in the generator update).
        fake_output: discriminator outputs on `fake`.
        real_labels: class labels of `real` (conditional models), else None.
        fake_labels: class labels the generator was given, else None.
        latents: the latents `fake` was generated from.
        seed: a stateless seed for any further draw of this update.

    With `augment`, `real` and `fake` are the augmented images the
    discriminator saw (so e.g. a gradient penalty interpolates those).
    """

    real: Any
    fake: Any
    real_output: Any
    fake_output: Any
    real_labels: Optional[Any]
    fake_labels: Optional[Any]
    latents: Any
    seed: Any


class LatentAdversarialModel(AdversarialModel):
    """Base class of the latent-variable schemes: a generator from a prior, and a discriminator.

    Args:
        generator: a built `keras.Model` mapping latents `[batch, latent_dim]`
            (and, if `num_classes`, int labels `[batch]` as a second input) to
            samples.
        discriminator: a built `keras.Model` mapping samples (and labels) to
            outputs of any shape `[batch, ...]`.
        latent_dim: size of the latent vector; read from the generator's
            first input when None.
        prior: the latent prior: `"normal"` (N(0, I), default), `"uniform"`
            (U[-1, 1]^d) or a `tfp.distributions` object.
        num_classes: number of classes for a class-conditional model; None
            for an unconditional one.
        seed: int seed of every random draw made during training.
        ema_decay: keep an exponential moving average of the generator's
            weights with this decay (e.g. 0.999) and serve it as
            `generator`; None (default): serve the trained network.
        ema_start: the step from which the average decays; before it the
            copy equals the trained network (BigGAN-PyTorch's `ema_start`).
        ema_rampup: cap the average's half-life at `ema_rampup` times the
            steps done (stylegan2-ada's `ema_rampup`, 0.05 there); None
            (default): the decay is `ema_decay` from the first step.
        augment: DiffAugment policy applied to every image the
            discriminator sees, real and generated, in both updates:
            names from `keras_gan.augment.POLICIES` (`"color"`,
            `"translation"`, `"cutout"`) as a list or a comma-separated
            string; None (default): no augmentation. See
            `keras_gan.augment.diff_augment`.
        historical_weight: λ of historical averaging for both players
            (Salimans et al. 2016): each update adds
            `λ ‖θ - mean of θ's values so far‖²` to that side's loss; 0 (default): off.
        pack: packing (Lin et al. 2018, PacGAN): the discriminator judges
            `pack` examples at once, all real or all generated, concatenated
            along the last axis (`pack_examples`), so it must take `pack`
            times the samples' channels; 1 (default): single examples.
            Unconditional models whose discriminator scores examples only
            (`PACKABLE`); each discriminator batch on a replica must be a
            multiple of `pack`.
        simultaneous: take the generator's gradient against the
            discriminator as it was before the step's discriminator
            updates, and apply both players' updates (the authors' code of
            Metz et al. 2017 groups them in one op); False (default):
            alternate, the generator stepping against the updated
            discriminator (Goodfellow et al. 2014, Algorithm 1). Schemes
            with their own `train_step` take False.

    Call arguments:
        inputs: latents, or `[latents, labels]` for a conditional model.
        The call runs the generator in inference mode.
    """

    def __init__(
        self,
        generator,
        discriminator,
        latent_dim=None,
        prior="normal",
        num_classes=None,
        seed=0,
        ema_decay=None,
        augment=None,
        ema_start=0,
        historical_weight=0.0,
        pack=1,
        ema_rampup=None,
        simultaneous=False,
        **kwargs,
    ):
        super().__init__(seed=seed, **kwargs)
        if simultaneous and type(self).train_step is not LatentAdversarialModel.train_step:
            raise ValueError(
                f"{type(self).__name__} has its own train_step, which updates its players in its "
                "own order; simultaneous=True applies to the schemes that use the shared one. "
                f"Received: simultaneous={simultaneous!r}"
            )
        self.simultaneous = bool(simultaneous)
        self.check_networks(generator=generator, discriminator=discriminator)
        self.pack = self._check_pack(pack, generator, discriminator, num_classes)
        if ema_decay is not None and not 0.0 < float(ema_decay) < 1.0:
            raise ValueError(
                f"ema_decay must be in (0, 1) or None. Received: ema_decay={ema_decay}"
            )
        self.ema_decay = None if ema_decay is None else float(ema_decay)
        if int(ema_start) < 0:
            raise ValueError(f"ema_start must be a step >= 0. Received: ema_start={ema_start}")
        self.ema_start = int(ema_start)
        self.ema_rampup = None if ema_rampup is None else float(ema_rampup)
        self.augment_policy = augmentation.parse_policy(augment)
        if self.augment_policy and len(discriminator.inputs[0].shape) != 4:
            raise ValueError(
                f"augment={augment!r} needs image inputs [batch, height, width, channels]; the "
                f"discriminator takes {discriminator.inputs[0].shape}."
            )
        if self.ema_decay is None:
            self.generator = generator
        else:
            self.online_generator = generator
            self.generator = self.track_ema(
                generator, self.ema_decay, self.ema_start, self.ema_rampup
            )
        self.discriminator = discriminator
        if latent_dim is None:
            latent_dim = int(generator.inputs[0].shape[-1])
        self.latent_dim = int(latent_dim)
        self.num_classes = None if num_classes is None else int(num_classes)
        self._prior_spec = prior
        self.prior = priors.get(prior, self.latent_dim)
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.d_real_tracker = keras.metrics.Mean(name="d_real")
        self.d_fake_tracker = keras.metrics.Mean(name="d_fake")
        self.track_history(historical_weight)
        self.built = True

    NETWORKS = ("generator", "discriminator")
    PACKABLE = True  # False where the discriminator (or a head of it) must score single examples

    def _check_pack(self, pack, generator, discriminator, num_classes):
        if isinstance(pack, bool) or not isinstance(pack, int) or pack < 1:
            raise ValueError(f"pack must be an int >= 1. Received: pack={pack!r}")
        if pack == 1:
            return 1
        if not self.PACKABLE:
            raise ValueError(
                f"{type(self).__name__} scores single examples (its discriminator's outputs are "
                f"per example); pack={pack} does not apply. Use pack=1."
            )
        if num_classes is not None:
            raise ValueError(
                f"pack={pack} packs examples of different classes; class-conditional models "
                "(num_classes) take pack=1."
            )
        sample_shape = tuple(generator.outputs[0].shape[1:])
        packed = sample_shape[:-1] + (sample_shape[-1] * pack,)
        if tuple(discriminator.inputs[0].shape[1:]) != packed:
            raise ValueError(
                f"With pack={pack} the discriminator takes {pack} samples of shape {sample_shape} "
                f"concatenated on the last axis, {packed}. Received a discriminator taking "
                f"{tuple(discriminator.inputs[0].shape[1:])}: build it for {pack} times the "
                "channels."
            )
        return pack

    def pack_examples(self, x):
        """`[b, ..., c]` -> `[b / pack, ..., pack * c]`: consecutive groups of `pack` examples
        concatenated along the last axis (PacGAN's concatenation)."""
        if self.pack == 1:
            return x
        rest = list(x.shape[1:])
        tf.debugging.assert_equal(
            tf.shape(x)[0] % self.pack,
            0,
            message=(
                f"pack={self.pack}: every discriminator batch must be a multiple of {self.pack} "
                "examples per replica"
            ),
        )
        grouped = tf.reshape(x, [-1, self.pack, *rest])
        spatial = list(range(2, 1 + len(rest)))
        grouped = tf.transpose(grouped, [0, *spatial, 1, 1 + len(rest)])  # [b / pack, ..., pack, c]
        return tf.reshape(grouped, [-1, *rest[:-1], self.pack * rest[-1]])

    # ------------------------------------------------------------------- config
    def get_config(self):
        return {
            **super().get_config(),
            "latent_dim": self.latent_dim,
            "prior": priors.serialize(self._prior_spec),
            "num_classes": self.num_classes,
            "ema_decay": self.ema_decay,
            "ema_start": self.ema_start,
            "ema_rampup": self.ema_rampup,
            "augment": list(self.augment_policy) or None,
            "historical_weight": self.historical_weight,
            "pack": self.pack,
            "simultaneous": self.simultaneous,
        }

    def network_to_save(self, key):
        return self.trained_generator if key == "generator" else super().network_to_save(key)

    # ------------------------------------------------------------------ metrics
    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker, self.d_real_tracker, self.d_fake_tracker]

    # ----------------------------------------------------------------- networks
    @property
    def trained_generator(self):
        """The generator the updates train (`generator` is its EMA when `ema_decay` is set)."""
        return self.online_generator if self.ema_decay is not None else self.generator

    def generate_samples(self, inputs, training=True):
        """The trained generator's float32 output (whatever the dtype policy)."""
        return tf.cast(self.trained_generator(inputs, training=training), tf.float32)

    def data_spec(self):
        """The training data's element: examples (and int labels for a conditional model)."""
        x = tf.TensorSpec([None, *self.generator.outputs[0].shape[1:]], tf.float32)
        return (x, tf.TensorSpec([None], tf.int32)) if self.conditional else x

    def generator_networks(self):
        return [self.trained_generator]

    def discriminator_networks(self):
        return [self.discriminator]

    def discriminate(self, inputs, training=True):
        """The discriminator's float32 output (whatever the dtype policy)."""
        return tf.cast(self.discriminator(inputs, training=training), tf.float32)

    # ---------------------------------------------------------------- inference
    @property
    def conditional(self):
        return self.num_classes is not None

    def generator_inputs(self, latents, labels=None):
        return [latents, labels] if self.conditional else latents

    def discriminator_inputs(self, samples, labels=None):
        return [samples, labels] if self.conditional else self.pack_examples(samples)

    def call(self, inputs, training=False):
        return tf.cast(self.generator(inputs, training=training), tf.float32)

    def capabilities(self):
        refusals = {}
        if self._prior_spec != "normal":
            refusals["truncation"] = (
                f"truncation applies to the N(0, I) prior (prior='normal'); {self.name} has "
                f"prior={priors.serialize(self._prior_spec)!r}."
            )
        return Capabilities(
            num_classes=self.num_classes,
            truncation=not refusals,
            ema_generator=self.ema_decay is not None,
            refusals=refusals,
            latent_spaces=("z",),
            latent_path="slerp" if self._prior_spec == "normal" else "lerp",
        )

    def to_space(self, z, space="z"):
        """Latents `z` in `space` (see `Capabilities.latent_spaces`): z itself here."""
        if space != "z":
            raise ValueError(f"{self.name} has one latent space, 'z'. Received: space={space!r}")
        return np.asarray(z, np.float32)

    def space_decoder(self, space="z"):
        """A graph function `(latents, labels) -> float32 samples` in `space` (projection)."""
        self.to_space(np.zeros((1, self.latent_dim), np.float32), space)  # checks `space`

        def decode(z, labels=None):
            inputs = self.generator_inputs(z, labels)
            return tf.cast(self.generator(inputs, training=False), tf.float32)

        return decode

    def class_decoder(self):
        if not self.conditional:
            return None
        z_input, label = self.generator.inputs[:2]
        users = []
        for layer in self.generator.layers:
            try:
                if layer.input is label:
                    users.append(layer)
            except (AttributeError, ValueError):  # a layer called several times, or an input
                continue
        if len(users) != 1:
            return None
        embedding = users[0]
        # Keras builds a functional model from an intermediate tensor: the rest of the generator.
        rest = keras.Model([z_input, embedding.output], self.generator.output)

        def embed(labels):
            return np.asarray(embedding(np.asarray(labels, np.int32)), np.float32)

        def decode(latents, vectors):
            inputs = [np.asarray(latents, np.float32), np.asarray(vectors, np.float32)]
            out = rest(inputs, training=False)
            return np.clip(np.asarray(out, np.float32), -1.0, 1.0)

        return embed, decode

    def projection_start(self, images, space="z", seed=0):
        """Where projection starts: a draw from the prior (one per image)."""
        return np.asarray(self.sample_latents(len(images), seed), np.float32)

    def serving_projection_start(self, images):
        """Where the `project` serving signature starts (a graph function of the images): z = 0,
        the mode of the N(0, I) prior and the centre of the uniform one."""
        return tf.zeros([tf.shape(images)[0], self.latent_dim], tf.float32)

    def decode_space(self, latents, space="z", labels=None):
        """Samples (float32 NumPy, in [-1, 1] for images) of latents in `space`."""
        return np.clip(self.decode_latents(self.to_space(latents, space), labels), -1.0, 1.0)

    def sample_latents(self, n, seed, truncation=None):
        """`n` latents from the prior for an int seed (deterministic).

        With `truncation` (a N(0, I) prior only), every coordinate whose
        magnitude exceeds the threshold is resampled until it lies inside
        (BigGAN's truncation trick; `keras_gan.priors.truncated_normal`).
        """
        seed = tf.constant([seed, 0], tf.int32)
        if truncation is None:
            return self.latents_from_seed(n, seed)
        if self._prior_spec != "normal":
            raise ValueError(
                f"truncation applies to the N(0, I) prior (prior='normal'); {self.name} has "
                f"prior={priors.serialize(self._prior_spec)!r}. Pass truncation=None."
            )
        return priors.truncated_normal(
            [n, self.latent_dim], priors.check_threshold(truncation), seed
        )

    def latents_from_seed(self, n, seed):
        """`n` generator inputs (a scalar, possibly a tensor) from a stateless seed (int32 `[2]`).

        `sample_latents` and the `sample` serving signature draw through this,
        so a scheme whose latents are more than a prior's draw (InfoGAN's
        codes) overrides it once.
        """
        return priors.sample(self.prior, tf.reshape(n, [1]), self.latent_dim, seed)

    def generate(self, n, seed=None, labels=None, batch_size=256, truncation=None):
        """Generates `n` samples (images in [-1, 1], or points) as a NumPy array.

        Args:
            n: number of samples.
            seed: int; the same seed gives the same samples. None: random.
            labels: int class labels for a conditional model, shape [n];
                default `arange(n) % num_classes`.
            batch_size: samples per generator call.
            truncation: None, or a threshold τ > 0: latents drawn from N(0, I)
                truncated to |z_i| ≤ τ (the truncation trick of BigGAN:
                smaller τ, higher fidelity, less variety).
        """
        n = int(n)
        if n < 1:
            raise ValueError(f"n must be a positive integer. Received: n={n}")
        if labels is not None and not self.conditional:
            raise ValueError(
                f"{self.name} is unconditional; labels must be None. Received: labels={labels!r}"
            )
        if seed is None:
            seed = int(np.random.randint(0, 2**31 - 1))
        latents = self.sample_latents(n, int(seed), truncation)
        if self.conditional:
            labels = np.arange(n) % self.num_classes if labels is None else np.asarray(labels)
            if labels.shape != (n,) or labels.min() < 0 or labels.max() >= self.num_classes:
                raise ValueError(
                    f"labels must be {n} ints in [0, {self.num_classes}). Received shape "
                    f"{labels.shape}, range [{labels.min()}, {labels.max()}]."
                )
            labels = tf.constant(labels, tf.int32)
        return self.decode_latents(latents, labels, batch_size)

    def decode_latents(self, latents, labels=None, batch_size=256, refine=None):
        """The served generator's float32 samples of `latents`, `batch_size` at a time, as NumPy.

        Args:
            latents: `[n, latent_dim]`.
            labels: int labels `[n]` of a conditional model, else None.
            batch_size: latents per generator call.
            refine: optional `refine(z, chunk_index) -> z` applied to each
                chunk before decoding (e.g. MEG's MALA steps).
        """
        chunks = []
        for i, start in enumerate(range(0, int(latents.shape[0]), batch_size)):
            z = latents[start : start + batch_size]
            if refine is not None:
                z = refine(z, i)
            y = None if labels is None else labels[start : start + batch_size]
            chunks.append(
                tf.cast(self.generator(self.generator_inputs(z, y), training=False), tf.float32)
            )
        return tf.concat(chunks, axis=0).numpy()

    def draw_latents(self, updates, local_size):
        """Latents `[updates, local_size, latent_dim]`: this replica's slice of the global draw."""
        global_size = local_size * num_replicas()
        z = priors.sample(
            self.prior, [updates, global_size], self.latent_dim, self.step_seed(LATENT_STREAM)
        )
        return replica_slice(z, local_size, axis=1)

    def draw_labels(self, updates, local_size):
        """Uniform class labels `[updates, local_size]` for generated samples."""
        global_size = local_size * num_replicas()
        y = tf.random.stateless_uniform(
            [updates, global_size],
            self.step_seed(LABEL_STREAM),
            0,
            self.num_classes,
            dtype=tf.int32,
        )
        return replica_slice(y, local_size, axis=1)

    def augment_images(self, images, update, kind):
        """`images` under the DiffAugment policy, drawn for the global batch (same for any replica
        count).

        Args:
            images: this replica's images.
            update: index of the update within the step (critic updates
                0..n_critic-1, then the generator's).
            kind: 0 for real images, 1 for generated ones.
        """
        if not self.augment_policy:
            return images
        seed = tf.random.experimental.stateless_fold_in(
            self.step_seed(AUGMENT_STREAM), update * 2 + kind
        )
        uniforms = self.draw_uniform(
            tf.shape(images)[0], seed, [augmentation.num_draws(self.augment_policy)]
        )
        return augmentation.diff_augment(images, self.augment_policy, uniforms=uniforms)

    def train_step(self, data):
        x, y = self.unpack_batch(data)
        if self.conditional and y is None:
            raise ValueError(
                f"{type(self).__name__} is class-conditional (num_classes={self.num_classes}) and "
                "needs (images, labels) batches; the dataset gave images only."
            )
        n = self.n_critic
        local_size = tf.shape(x)[0] // n
        latents = self.draw_latents(n + 1, local_size)
        fake_labels = self.draw_labels(n + 1, local_size) if self.conditional else [None] * (n + 1)
        last_labels = tf.cast(y[n - 1 :: n], tf.int32) if self.conditional else None
        generator_args = (latents[n], fake_labels[n], x[n - 1 :: n], last_labels)
        if self.simultaneous:
            generator_step = self.generator_gradients(*generator_args)
        for k in range(n):
            real_labels = tf.cast(y[k::n], tf.int32) if self.conditional else None
            self.discriminator_update(x[k::n], real_labels, latents[k], fake_labels[k], k)
        if not self.simultaneous:
            generator_step = self.generator_gradients(*generator_args)
        self.apply_generator_gradients(*generator_step)
        return self.end_step()

    def discriminator_update(self, real, real_labels, latents, fake_labels, index):
        """One discriminator update; returns its (unscaled) loss."""
        fake = self.generate_samples(self.generator_inputs(latents, fake_labels))
        fake = tf.stop_gradient(self.augment_images(fake, index, 1))
        real = self.augment_images(real, index, 0)
        self.record_history("discriminator")
        with tf.GradientTape() as tape:
            real_output = self.discriminate(self.discriminator_inputs(real, real_labels))
            fake_output = self.discriminate(self.discriminator_inputs(fake, fake_labels))
            batch = StepBatch(
                real,
                fake,
                real_output,
                fake_output,
                real_labels,
                fake_labels,
                latents,
                tf.random.experimental.stateless_fold_in(
                    self.step_seed(CRITIC_UPDATE_STREAM), index
                ),
            )
            loss = self.discriminator_loss(batch)
            scaled = self.scale_loss(
                self.d_optimizer, loss + self.historical_penalty("discriminator")
            )
        self.apply_update(self.d_optimizer, tape, scaled, self.discriminator.trainable_variables)
        self.after_discriminator_step()
        self.d_loss_tracker.update_state(loss)
        self.d_real_tracker.update_state(tf.reduce_mean(self.discriminator_output(real_output)))
        self.d_fake_tracker.update_state(tf.reduce_mean(self.discriminator_output(fake_output)))
        return loss

    def generator_gradients(self, latents, fake_labels, real=None, real_labels=None):
        """`(gradients, loss)` of a generator update against the discriminator as it is now;
        `apply_generator_gradients` applies them.

        `real` (and `real_labels`): the last discriminator update's real
        examples, for losses that compare with data (feature matching); the
        batch's `real_output` stays None.
        """
        if real is not None:
            real = self.augment_images(real, self.n_critic, 0)
        self.record_history("generator")
        variables = self.trained_generator.trainable_variables
        with tf.GradientTape() as tape:
            fake = self.generate_samples(self.generator_inputs(latents, fake_labels))
            fake = self.augment_images(fake, self.n_critic, 1)
            fake_output = self.discriminate(self.discriminator_inputs(fake, fake_labels))
            batch = StepBatch(
                real,
                fake,
                None,
                fake_output,
                real_labels,
                fake_labels,
                latents,
                self.step_seed(GENERATOR_UPDATE_STREAM),
            )
            loss = self.generator_loss(batch)
            scaled = self.scale_loss(self.g_optimizer, loss + self.historical_penalty("generator"))
        return tape.gradient(scaled, variables), loss

    def apply_generator_gradients(self, gradients, loss):
        """Applies `generator_gradients`' result, updates the EMA and the loss metric; returns
        the loss."""
        variables = self.trained_generator.trainable_variables
        self.g_optimizer.apply_gradients(zip(gradients, variables))
        self.update_ema()
        self.g_loss_tracker.update_state(loss)
        return loss

    # --------------------------------------------------------- scheme's hooks
    def discriminator_loss(self, batch):
        """The discriminator's loss (a float32 scalar, mean over the replica's batch)."""
        raise NotImplementedError(f"{type(self).__name__} must implement discriminator_loss.")

    def generator_loss(self, batch):
        """The generator's loss (a float32 scalar, mean over the replica's batch)."""
        raise NotImplementedError(f"{type(self).__name__} must implement generator_loss.")

    def after_discriminator_step(self):
        """Runs after each discriminator update (e.g. weight clipping)."""

    def discriminator_output(self, outputs):
        """What is reported as D(x) and D(G(z)): raw outputs by default."""
        return outputs

    # ------------------------------------------------------------------ serving
    def serving_signatures(self):
        return serving.latent_signatures(self)

    def serving_networks(self):
        return [self.generator]

    def preview(self, n=64, seed=0, inputs=None):
        """`(samples, columns)`: `generate(n, seed)`; for a conditional model one row per class,
        `max(1, n // num_classes)` samples each."""
        if not self.conditional:
            return self.generate(n, seed=seed), None
        per_class = max(1, n // self.num_classes)
        return self.generate(
            per_class * self.num_classes,
            seed=seed,
            labels=np.repeat(np.arange(self.num_classes), per_class),
        ), per_class

    def preview_labels(self, n=64):
        return [f"class {k}" for k in range(self.num_classes)] if self.conditional else None
