"""`AdversarialModel`: the mechanics every adversarial scheme shares.

A scheme subclasses `AdversarialModel` and overrides only what differs:
`discriminator_loss`, `generator_loss`, and optionally
`after_discriminator_step` (e.g. weight clipping) or `discriminator_output`
(what to report as D(x)). Tapes, gradient application, the n_critic loop,
random draws, loss scaling under strategies, metrics and serialization live
here once.

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
seed made of `(model.seed, step, stream)`, where `step` is the generator
optimizer's iteration count; each replica keeps its slice. A step is thus a
pure function of the weights, the step number and the data: N replicas
compute the update that 1 replica computes on the same global batch, and a
run restored from a checkpoint continues with the draws it would have made.

Under a `tf.distribute` strategy, Keras sums gradients across replicas; every
loss here is divided by the number of replicas, so the sum is the gradient of
the global-batch mean. Replicas must receive equal slices: use batches whose
global size is divisible by the replica count (`load` uses
`drop_remainder=True`).

## Mixed precision

Under a `mixed_float16` policy the optimizers are wrapped in
`keras.optimizers.LossScaleOptimizer` at `compile` and every loss is scaled
by it (a step whose scaled gradients overflow is skipped and the scale
lowered). Generated samples and discriminator outputs are cast to float32
before any loss, so losses, penalties and exports stay float32. The
TPU-friendly `mixed_bfloat16` needs no loss scaling.

## Generator EMA

With `ema_decay`, `generator` is an exponential moving average of the
trained network, `trained_generator` (Karras et al. 2018; Yazıcı et al.
2019): after each generator update, each weight of the copy becomes
`decay * ema + (1 - decay) * w`; non-trainable state (BatchNorm statistics)
is copied, as StyleGAN2-ADA does. `generate`, `call`, the exports and the
callbacks use `generator`; checkpoints and `.keras` files hold both.
"""

import copy
import dataclasses
from typing import Any, Optional

import keras
import numpy as np
import tensorflow as tf

from keras_gan import augment as augmentation
from keras_gan import priors

# Streams of stateless draws within one step (see `step_seed`).
_LATENT_STREAM = 1
_LABEL_STREAM = 2
_CRITIC_UPDATE_STREAM = 3  # per discriminator update, for a scheme's own draws (e.g. GP's epsilon)
_GENERATOR_UPDATE_STREAM = 4
_AUGMENT_STREAM = 5  # DiffAugment's parameters, per update and per real/fake


@dataclasses.dataclass
class StepBatch:
    """What a scheme's loss hooks see in one update.

    Attributes:
        real: real examples of this update (None in the generator update).
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


def num_replicas():
    """Replicas in sync in the current replica context (1 outside strategies)."""
    return tf.distribute.get_replica_context().num_replicas_in_sync


def replica_slice(global_values, local_size, axis=0):
    """This replica's `local_size` slice along `axis` of a global-batch tensor."""
    ctx = tf.distribute.get_replica_context()
    start = tf.cast(ctx.replica_id_in_sync_group, tf.int32) * local_size
    begin = [0] * len(global_values.shape)
    size = [-1] * len(global_values.shape)
    begin[axis], size[axis] = start, local_size
    return tf.slice(global_values, tf.stack(begin), tf.stack(size))


class AdversarialModel(keras.Model):
    """Base class of the adversarial schemes: a generator and a discriminator.

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
        augment: DiffAugment policy applied to every image the
            discriminator sees, real and generated, in both updates:
            names from `keras_gan.augment.POLICIES` (`"color"`,
            `"translation"`, `"cutout"`) as a list or a comma-separated
            string; None (default): no augmentation. See
            `keras_gan.augment.diff_augment`.

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
        **kwargs,
    ):
        super().__init__(**kwargs)
        if not isinstance(generator, keras.Model) or not isinstance(discriminator, keras.Model):
            raise TypeError(
                "generator and discriminator must be keras.Model instances. Received: "
                f"{type(generator).__name__}, {type(discriminator).__name__}"
            )
        if ema_decay is not None and not 0.0 < float(ema_decay) < 1.0:
            raise ValueError(f"ema_decay must be in (0, 1) or None. Received: ema_decay={ema_decay}")
        self.ema_decay = None if ema_decay is None else float(ema_decay)
        self.augment_policy = augmentation.parse_policy(augment)
        if self.augment_policy and len(discriminator.inputs[0].shape) != 4:
            raise ValueError(f"augment={augment!r} needs image inputs [batch, height, width, channels]; "
                             f"the discriminator takes {discriminator.inputs[0].shape}.")
        if self.ema_decay is None:
            self.generator = generator
        else:
            self.online_generator = generator
            self.generator = keras.models.clone_model(generator)
            self.generator.set_weights(generator.get_weights())
            self.generator.trainable = False
        self.discriminator = discriminator
        if latent_dim is None:
            latent_dim = int(generator.inputs[0].shape[-1])
        self.latent_dim = int(latent_dim)
        self.num_classes = None if num_classes is None else int(num_classes)
        if not 0 <= int(seed) < 2**31:
            raise ValueError(f"seed must be in [0, 2**31). Received: seed={seed}")
        self.seed = int(seed)
        self._prior_spec = prior
        self.prior = priors.get(prior, self.latent_dim)
        self.n_critic = 1
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.d_real_tracker = keras.metrics.Mean(name="d_real")
        self.d_fake_tracker = keras.metrics.Mean(name="d_fake")
        self.built = True

    # ------------------------------------------------------------------ compile
    # The scheme's paper defaults; subclasses override these two.
    DEFAULT_OPTIMIZER = {"class_name": "Adam", "config": {"learning_rate": 2e-4, "beta_1": 0.5}}
    DEFAULT_N_CRITIC = 1

    def compile(self, g_optimizer=None, d_optimizer=None, n_critic=None, jit_compile=False, **kwargs):
        """Configures training.

        Args:
            g_optimizer: generator optimizer (instance, name or config);
                default: the scheme's paper setting (`DEFAULT_OPTIMIZER`;
                Adam(2e-4, beta_1=0.5) as in DCGAN for the base).
            d_optimizer: discriminator optimizer; same default.
            n_critic: discriminator updates per generator update; default
                the scheme's `DEFAULT_N_CRITIC`.
            jit_compile: compile the train step with XLA.
            **kwargs: passed to `keras.Model.compile` (e.g. `run_eagerly`,
                `steps_per_execution`).
        """
        n_critic = self.DEFAULT_N_CRITIC if n_critic is None else n_critic

        if int(n_critic) < 1:
            raise ValueError(f"n_critic must be a positive integer. Received: n_critic={n_critic}")
        self.g_optimizer = self._loss_scaled(g_optimizer, self.trained_generator)
        self.d_optimizer = self._loss_scaled(d_optimizer, self.discriminator)
        if self.g_optimizer is self.d_optimizer:
            raise ValueError("g_optimizer and d_optimizer must be two different optimizer objects.")
        self.n_critic = int(n_critic)
        super().compile(optimizer=None, jit_compile=jit_compile, **kwargs)
        # Optimizers used in a custom train_step must own their variables
        # before fit() under a strategy, and before a checkpoint is restored.
        with self.distribute_strategy.scope():
            self.g_optimizer.build(self.trained_generator.trainable_variables)
            self.d_optimizer.build(self.discriminator.trainable_variables)

    def _loss_scaled(self, optimizer, network):
        """The optimizer (default: the scheme's), loss-scaled when `network` computes in float16."""
        optimizer = keras.optimizers.get(optimizer if optimizer is not None else copy.deepcopy(self.DEFAULT_OPTIMIZER))
        if network.dtype_policy.name == "mixed_float16" and not isinstance(
                optimizer, keras.optimizers.LossScaleOptimizer):
            optimizer = keras.optimizers.LossScaleOptimizer(optimizer)
        return optimizer

    def _maybe_symbolic_build(self, iterator=None, data_batch=None):
        # Keras 3's fit() builds a model symbolically from its first batch,
        # which it first reduces across replicas with strategy.reduce; under
        # MultiWorkerMirroredStrategy that reduce fails eagerly on the
        # PerReplica batch (keras-team/keras#20585). The networks are built at
        # construction and the optimizers at compile, so there is nothing to
        # build here.
        return

    def get_compile_config(self):
        return {
            "g_optimizer": keras.optimizers.serialize(self.g_optimizer),
            "d_optimizer": keras.optimizers.serialize(self.d_optimizer),
            "n_critic": self.n_critic,
            "jit_compile": bool(self.jit_compile),
        }

    def compile_from_config(self, config):
        config = dict(config)
        for key in ("g_optimizer", "d_optimizer"):
            config[key] = keras.optimizers.deserialize(config[key])
        self.compile(**config)

    # ------------------------------------------------------------------- config
    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "generator": keras.saving.serialize_keras_object(self.trained_generator),
            "discriminator": keras.saving.serialize_keras_object(self.discriminator),
            "latent_dim": self.latent_dim,
            "prior": priors.serialize(self._prior_spec),
            "num_classes": self.num_classes,
            "seed": self.seed,
            "ema_decay": self.ema_decay,
            "augment": list(self.augment_policy) or None,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("generator", "discriminator"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)

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

    def discriminate(self, inputs, training=True):
        """The discriminator's float32 output (whatever the dtype policy)."""
        return tf.cast(self.discriminator(inputs, training=training), tf.float32)

    def update_ema(self):
        """Moves the EMA generator towards the trained one (in the train step, on every replica)."""
        decay = self.ema_decay
        pairs = list(zip(self.generator.weights, self.online_generator.weights))

        def update(strategy):
            for ema, weight in pairs:
                if weight.trainable:
                    fn = lambda e, w: e.assign(decay * e + (1.0 - decay) * tf.cast(w, e.dtype))  # noqa: E731
                else:
                    fn = lambda e, w: e.assign(tf.cast(w, e.dtype))  # noqa: E731
                strategy.extended.update(ema.value, fn, args=(weight.value,), group=False)

        # The EMA is updated like an optimizer's slots: once per variable, in
        # cross-replica context, from each device's (identical) weights.
        tf.distribute.get_replica_context().merge_call(update)

    # ---------------------------------------------------------------- inference
    @property
    def step(self):
        """Generator updates made so far, as a Python int (readable under any strategy)."""
        return int(keras.ops.convert_to_numpy(self.g_optimizer.iterations))

    @property
    def conditional(self):
        return self.num_classes is not None

    def generator_inputs(self, latents, labels=None):
        return [latents, labels] if self.conditional else latents

    def discriminator_inputs(self, samples, labels=None):
        return [samples, labels] if self.conditional else samples

    def call(self, inputs, training=False):
        return tf.cast(self.generator(inputs, training=training), tf.float32)

    def sample_latents(self, n, seed):
        """`n` latents from the prior for an int seed (deterministic)."""
        return priors.sample(self.prior, [n], self.latent_dim, seed=tf.constant([seed, 0], tf.int32))

    def generate(self, n, seed=None, labels=None, batch_size=256):
        """Generates `n` samples (images in [-1, 1], or points) as a NumPy array.

        Args:
            n: number of samples.
            seed: int; the same seed gives the same samples. None: random.
            labels: int class labels for a conditional model, shape [n];
                default `arange(n) % num_classes`.
            batch_size: samples per generator call.
        """
        n = int(n)
        if n < 1:
            raise ValueError(f"n must be a positive integer. Received: n={n}")
        if seed is None:
            seed = int(np.random.randint(0, 2**31 - 1))
        latents = self.sample_latents(n, int(seed))
        if self.conditional:
            labels = np.arange(n) % self.num_classes if labels is None else np.asarray(labels)
            if labels.shape != (n,) or labels.min() < 0 or labels.max() >= self.num_classes:
                raise ValueError(
                    f"labels must be {n} ints in [0, {self.num_classes}). "
                    f"Received shape {labels.shape}, range [{labels.min()}, {labels.max()}]."
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
            chunks.append(tf.cast(self.generator(self.generator_inputs(z, y), training=False), tf.float32))
        return tf.concat(chunks, axis=0).numpy()

    # ---------------------------------------------------------------- the step
    def step_seed(self, stream):
        """A stateless seed for `stream` at the current step (same on all replicas)."""
        base = tf.stack([tf.constant(self.seed, tf.int64), tf.cast(self.g_optimizer.iterations, tf.int64)])
        return tf.random.experimental.stateless_fold_in(base, stream)

    def draw_latents(self, updates, local_size):
        """Latents `[updates, local_size, latent_dim]`: this replica's slice of the global draw."""
        global_size = local_size * num_replicas()
        z = priors.sample(self.prior, [updates, global_size], self.latent_dim, self.step_seed(_LATENT_STREAM))
        return replica_slice(z, local_size, axis=1)

    def draw_labels(self, updates, local_size):
        """Uniform class labels `[updates, local_size]` for generated samples."""
        global_size = local_size * num_replicas()
        y = tf.random.stateless_uniform(
            [updates, global_size], self.step_seed(_LABEL_STREAM), 0, self.num_classes, dtype=tf.int32
        )
        return replica_slice(y, local_size, axis=1)

    def augment_images(self, images, update, kind):
        """`images` under the DiffAugment policy, drawn for the global batch (same for any replica count).

        Args:
            images: this replica's images.
            update: index of the update within the step (critic updates
                0..n_critic-1, then the generator's).
            kind: 0 for real images, 1 for generated ones.
        """
        if not self.augment_policy:
            return images
        seed = tf.random.experimental.stateless_fold_in(self.step_seed(_AUGMENT_STREAM), update * 2 + kind)
        uniforms = self.draw_uniform(tf.shape(images)[0], seed, [augmentation.num_draws(self.augment_policy)])
        return augmentation.diff_augment(images, self.augment_policy, uniforms=uniforms)

    def draw_uniform(self, local_size, seed, shape=()):
        """U[0, 1) per example `[local_size, *shape]`: this replica's slice of a global draw from `seed`."""
        global_size = local_size * num_replicas()
        return replica_slice(tf.random.stateless_uniform([global_size, *shape], seed), local_size)

    def train_step(self, data):
        x, y, _ = keras.utils.unpack_x_y_sample_weight(data)
        if self.conditional and y is None:
            raise ValueError(
                f"{type(self).__name__} is class-conditional (num_classes={self.num_classes}) "
                "and needs (images, labels) batches; the dataset gave images only."
            )
        n = self.n_critic
        local_size = tf.shape(x)[0] // n
        latents = self.draw_latents(n + 1, local_size)
        fake_labels = self.draw_labels(n + 1, local_size) if self.conditional else [None] * (n + 1)
        for k in range(n):
            real_labels = tf.cast(y[k::n], tf.int32) if self.conditional else None
            self.discriminator_update(x[k::n], real_labels, latents[k], fake_labels[k], k)
        self.generator_update(latents[n], fake_labels[n])
        return self.step_logs()

    def step_logs(self):
        """The metrics' results, as `train_step` returns them."""
        logs = {m.name: m.result() for m in self.metrics}
        strategy = self.distribute_strategy
        if getattr(strategy.extended, "_in_multi_worker_mode", lambda: False)():
            # Keras 3 averages logs across workers with strategy.reduce(axis=0),
            # which needs a batch axis; a scalar would fail to reduce.
            logs = {k: tf.reshape(v, [1]) for k, v in logs.items()}
        return logs

    def discriminator_update(self, real, real_labels, latents, fake_labels, index):
        """One discriminator update; returns its (unscaled) loss."""
        fake = self.generate_samples(self.generator_inputs(latents, fake_labels))
        fake = tf.stop_gradient(self.augment_images(fake, index, 1))
        real = self.augment_images(real, index, 0)
        with tf.GradientTape() as tape:
            real_output = self.discriminate(self.discriminator_inputs(real, real_labels))
            fake_output = self.discriminate(self.discriminator_inputs(fake, fake_labels))
            batch = StepBatch(
                real, fake, real_output, fake_output, real_labels, fake_labels, latents,
                tf.random.experimental.stateless_fold_in(self.step_seed(_CRITIC_UPDATE_STREAM), index),
            )
            loss = self.discriminator_loss(batch)
            scaled = self.scale_loss(self.d_optimizer, loss)
        variables = self.discriminator.trainable_variables
        grads = tape.gradient(scaled, variables)
        self.d_optimizer.apply_gradients(zip(grads, variables))
        self.after_discriminator_step()
        self.d_loss_tracker.update_state(loss)
        self.d_real_tracker.update_state(tf.reduce_mean(self.discriminator_output(real_output)))
        self.d_fake_tracker.update_state(tf.reduce_mean(self.discriminator_output(fake_output)))
        return loss

    def generator_update(self, latents, fake_labels):
        """One generator update; returns its (unscaled) loss."""
        with tf.GradientTape() as tape:
            fake = self.generate_samples(self.generator_inputs(latents, fake_labels))
            fake = self.augment_images(fake, self.n_critic, 1)
            fake_output = self.discriminate(self.discriminator_inputs(fake, fake_labels))
            batch = StepBatch(None, fake, None, fake_output, None, fake_labels, latents,
                              self.step_seed(_GENERATOR_UPDATE_STREAM))
            loss = self.generator_loss(batch)
            scaled = self.scale_loss(self.g_optimizer, loss)
        variables = self.trained_generator.trainable_variables
        grads = tape.gradient(scaled, variables)
        self.g_optimizer.apply_gradients(zip(grads, variables))
        if self.ema_decay is not None:
            self.update_ema()
        self.g_loss_tracker.update_state(loss)
        return loss

    @staticmethod
    def scale_loss(optimizer, loss):
        """`loss` scaled for `optimizer`: to the global batch, and by the loss scale in mixed precision."""
        scaled = loss / num_replicas()
        if isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
            scaled = optimizer.scale_loss(scaled)
        return scaled

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
