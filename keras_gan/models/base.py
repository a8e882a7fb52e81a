"""`AdversarialModel`: the mechanics every adversarial scheme shares.

A scheme is a `keras.Model` that owns named networks (a generator and a
discriminator; CycleGAN's two of each; MEG's statistics network) and trains
them with two optimizers: `g_optimizer` over the generator side's variables,
`d_optimizer` over the discriminator side's. This class holds what does not
depend on how samples are made:

- the networks' serialization (`NETWORKS`: the constructor arguments that
  are networks, rebuilt by `from_config`);
- optimizers built in the strategy scope at `compile`, loss-scaled under
  `mixed_float16`, and saved with the model (`get_compile_config`);
- the stateless per-step seeds (`step_seed`, `draw_uniform`), so that a step
  is a pure function of the weights, the step number and the data;
- loss scaling to the global batch (`scale_loss`) and gradient application;
- exponential moving averages of networks (`track_ema`, `update_ema`) and
  identical assignment of state on every replica (`assign_on_replicas`);
- the step counter, advanced by `end_step` whatever the optimizers did, and
  the trackers' results it returns (reducible across workers);
- the serving signatures a model declares (`serving_signatures`), which
  `keras_gan.export` writes without knowing the scheme.

Latent-variable schemes (a prior, `generate(n, seed)`) derive from
`keras_gan.models.latent.LatentAdversarialModel`; translation schemes
(CycleGAN) from this class directly.

## Randomness and replicas

No draw in a step uses stateful RNG. Every draw is made for the whole
*global* batch from a stateless seed `(model.seed, step, stream)`, where
`step` is the model's step counter, and each replica keeps
its slice. N replicas thus compute the update that 1 replica computes on the
same global batch, and a run restored from a checkpoint continues with the
draws it would have made. (`step` is the model's own counter, `step_counter`,
which a skipped mixed-precision step advances too.)

Under a `tf.distribute` strategy, Keras sums gradients across replicas; every
loss is divided by the number of replicas (`scale_loss`), so the sum is the
gradient of the global-batch mean. Replicas must receive equal slices: use
batches whose global size is divisible by the replica count.

## Mixed precision

Under a `mixed_float16` policy the optimizers are wrapped in
`keras.optimizers.LossScaleOptimizer` at `compile` and every loss is scaled
by it (a step whose scaled gradients overflow is skipped and the scale
lowered). Network outputs are cast to float32 before any loss.

## EMA

`track_ema(network, decay)` returns a copy of `network` that `update_ema`
moves towards it after each generator update: each trainable weight becomes
`decay * ema + (1 - decay) * w`; non-trainable state (BatchNorm statistics)
is copied, as StyleGAN2-ADA does.
"""

import copy
import inspect

import keras
import tensorflow as tf

from keras_gan import regularizers
from keras_gan.models.capabilities import Capabilities

# Streams of stateless draws within one step (see `step_seed`). Schemes use
# these and numbers of their own above 100.
LATENT_STREAM = 1
LABEL_STREAM = 2
CRITIC_UPDATE_STREAM = 3  # per discriminator update, for a scheme's own draws (e.g. GP's epsilon)
GENERATOR_UPDATE_STREAM = 4
AUGMENT_STREAM = 5  # DiffAugment's parameters, per update and per real/fake


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


def check_seed(seed):
    if not 0 <= int(seed) < 2**31:
        raise ValueError(f"seed must be in [0, 2**31). Received: seed={seed}")
    return int(seed)


class AdversarialModel(keras.Model):
    """Base class of the adversarial schemes: named networks, two optimizers, one step counter.

    A subclass sets `NETWORKS`, creates its networks in `__init__`, and
    implements `generator_networks`, `discriminator_networks`, `train_step`,
    `call` (what `serving_default` serves) and `serving_signatures`.

    Args:
        seed: int seed of every random draw made during training.
        **kwargs: passed to `keras.Model` (e.g. `name`).
    """

    NETWORKS = ()  # constructor arguments that are networks (deserialized by `from_config`)
    DEFAULT_OPTIMIZER = {"class_name": "Adam", "config": {"learning_rate": 2e-4, "beta_1": 0.5}}
    DEFAULT_D_OPTIMIZER = None  # the discriminator side's, where it differs (two time-scale rates)
    DEFAULT_N_CRITIC = 1

    def __init__(self, seed=0, **kwargs):
        super().__init__(**kwargs)
        self.seed = check_seed(seed)
        self.n_critic = 1
        self._ema_pairs = []
        self._history, self.historical_weight = {}, 0.0
        # The model's own step count: advanced once per train_step whatever the
        # optimizers do (a LossScaleOptimizer skips an overflowing step without
        # advancing its `iterations`), saved with the model; seeds, callbacks'
        # schedules and resumed data streams read it.
        self.step_counter = self.add_weight(
            shape=(), initializer="zeros", dtype="int64", trainable=False, name="step"
        )

    @staticmethod
    def check_networks(**networks):
        """Raises a TypeError naming every argument that is not a `keras.Model`."""
        wrong = {k: type(v).__name__ for k, v in networks.items() if not isinstance(v, keras.Model)}
        if wrong:
            detail = ", ".join(f"{k}={t}" for k, t in wrong.items())
            raise TypeError(
                f"{', '.join(networks)} must be keras.Model instances. Received: {detail}"
            )

    # ------------------------------------------------------------- networks
    def generator_networks(self):
        """The networks `g_optimizer` trains."""
        raise NotImplementedError(f"{type(self).__name__} must implement generator_networks.")

    def discriminator_networks(self):
        """The networks `d_optimizer` trains."""
        raise NotImplementedError(f"{type(self).__name__} must implement discriminator_networks.")

    @staticmethod
    def trainable_variables_of(networks):
        return [v for network in networks for v in network.trainable_variables]

    # -------------------------------------------------------------- compile
    def compile(
        self, g_optimizer=None, d_optimizer=None, n_critic=None, jit_compile=False, **kwargs
    ):
        """Configures training.

        Args:
            g_optimizer: generator-side optimizer (instance, name or config);
                default: the scheme's paper setting (`DEFAULT_OPTIMIZER`).
            d_optimizer: discriminator-side optimizer; same default.
            n_critic: discriminator updates per generator update; default
                the scheme's `DEFAULT_N_CRITIC`.
            jit_compile: compile the train step with XLA.
            **kwargs: passed to `keras.Model.compile` (e.g. `run_eagerly`,
                `steps_per_execution`).
        """
        n_critic = self.DEFAULT_N_CRITIC if n_critic is None else n_critic
        if int(n_critic) < 1:
            raise ValueError(f"n_critic must be a positive integer. Received: n_critic={n_critic}")
        self.g_optimizer = self._loss_scaled(
            g_optimizer, self.generator_networks()[0], self.DEFAULT_OPTIMIZER
        )
        self.d_optimizer = self._loss_scaled(
            d_optimizer,
            self.discriminator_networks()[0],
            self.DEFAULT_D_OPTIMIZER or self.DEFAULT_OPTIMIZER,
        )
        if self.g_optimizer is self.d_optimizer:
            raise ValueError("g_optimizer and d_optimizer must be two different optimizer objects.")
        self.n_critic = int(n_critic)
        super().compile(optimizer=None, jit_compile=jit_compile, **kwargs)
        # Optimizers used in a custom train_step must own their variables
        # before fit() under a strategy, and before a checkpoint is restored.
        with self.distribute_strategy.scope():
            self.g_optimizer.build(self.trainable_variables_of(self.generator_networks()))
            self.d_optimizer.build(self.trainable_variables_of(self.discriminator_networks()))

    def fit(self, *args, shuffle=False, **kwargs):
        """`keras.Model.fit`, with `shuffle=False` by default: the datasets of `keras_gan.data` are
        shuffled by their own seeded streams, and Keras warns about `shuffle=True` on a dataset."""
        return super().fit(*args, shuffle=shuffle, **kwargs)

    @staticmethod
    def _loss_scaled(optimizer, network, default):
        """The optimizer (or `default`), loss-scaled when `network` computes in float16."""
        optimizer = keras.optimizers.get(
            optimizer if optimizer is not None else copy.deepcopy(default)
        )
        if network.dtype_policy.name == "mixed_float16" and not isinstance(
            optimizer, keras.optimizers.LossScaleOptimizer
        ):
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

    # --------------------------------------------------------------- config
    def get_config(self):
        """The networks (by `NETWORKS` name), `name`, `trainable` and `seed`; subclasses add
        theirs."""
        config = {"name": self.name, "trainable": self.trainable, "seed": self.seed}
        for key in self.NETWORKS:
            config[key] = keras.saving.serialize_keras_object(self.network_to_save(key))
        return config

    def network_to_save(self, key):
        """The network stored under constructor argument `key` (the trained one, not an EMA
        copy)."""
        return getattr(self, key)

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in cls.NETWORKS:
            config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)

    # ------------------------------------------------------------------ EMA
    def track_ema(self, network, decay, start=0, rampup=None):
        """A frozen copy of `network` that `update_ema` moves towards it with `decay`.

        Before step `start` the copy follows the network exactly (decay 0), as
        BigGAN-PyTorch's `ema_start`. With `rampup`, the average's half-life
        (in steps) is at most `rampup` times the steps done, as
        stylegan2-ada-pytorch's `ema_rampup` (0.05 there): early generators
        are forgotten quickly, so the served copy does not lag the trained one.
        """
        if rampup is not None and not float(rampup) > 0.0:
            raise ValueError(f"ema_rampup must be > 0 or None. Received: ema_rampup={rampup}")
        ema = keras.models.clone_model(network)
        ema.set_weights(network.get_weights())
        ema.trainable = False
        self._ema_pairs.append(
            (ema, network, float(decay), int(start), None if rampup is None else float(rampup))
        )
        return ema

    def ema_networks(self):
        """`[(ema_copy, network), ...]` of the networks `update_ema` tracks."""
        return [(ema, network) for ema, network, *_ in self._ema_pairs]

    @staticmethod
    def ema_decay_at(step, decay, start=0, rampup=None):
        """The decay `update_ema` applies at 0-based step `step` (a tensor).

        Formula: `d = decay` from `start` on, 0 before it; with `rampup`,
        `d = min(decay, 0.5^(1 / (rampup·(step - start))))` (0 at `start`).
        """
        step = tf.cast(step, tf.float32)
        started = tf.cast(step >= start, tf.float32)
        d = tf.constant(decay, tf.float32)
        if rampup is not None:
            half_life = rampup * (step - start)
            ramped = tf.where(half_life > 0.0, tf.pow(0.5, 1.0 / tf.maximum(half_life, 1e-8)), 0.0)
            d = tf.minimum(d, ramped)
        return started * d

    def update_ema(self):
        """Moves every EMA copy towards its network (in the train step, on every replica).

        Formula: `ema ← d·ema + (1 - d)·w` with `d` from `ema_decay_at` at the
        step being taken (steps counted from 0).
        """
        assignments = []
        for ema_net, network, decay, start, rampup in self._ema_pairs:
            d_step = self.ema_decay_at(self.step_counter.value, decay, start, rampup)
            for ema, weight in zip(ema_net.weights, network.weights):
                value = tf.cast(weight.value, ema.dtype)
                if weight.trainable:
                    d = tf.cast(d_step, ema.dtype)
                    value = d * ema.value + (1.0 - d) * value
                assignments.append((ema, value))
        self.assign_on_replicas(assignments)

    @staticmethod
    def assign_on_replicas(assignments):
        """Assigns `(variable, value)` pairs computed identically on every replica.

        Like an optimizer's slots: once per variable, in cross-replica
        context, each device's copy from that device's (identical) value.
        """
        if not assignments:
            return
        variables = [v for v, _ in assignments]

        def update(strategy, *values):
            for variable, value in zip(variables, values):
                strategy.extended.update(
                    variable.value, lambda v, x: v.assign(x), args=(value,), group=False
                )

        tf.distribute.get_replica_context().merge_call(
            update, args=tuple(v for _, v in assignments)
        )

    # ------------------------------------------------------ historical averaging
    def track_history(self, weight):
        """Historical averaging of both players' parameters with penalty weight `weight` (0: off).

        Creates, per side, a running mean of every trainable variable and a
        count, as model weights (saved with the model and in checkpoints).
        Call once the networks exist.
        """
        if not float(weight) >= 0.0:
            raise ValueError(
                f"historical_weight must be >= 0. Received: historical_weight={weight}"
            )
        self.historical_weight = float(weight)
        self._history = {}
        if not self.historical_weight:
            return
        for side, networks in (
            ("generator", self.generator_networks()),
            ("discriminator", self.discriminator_networks()),
        ):
            variables = self.trainable_variables_of(networks)
            averages = [
                self.add_weight(
                    shape=v.shape, initializer="zeros", trainable=False, name=f"history_{side}_{i}"
                )
                for i, v in enumerate(variables)
            ]
            count = self.add_weight(
                shape=(), initializer="zeros", trainable=False, name=f"history_{side}_count"
            )
            self._history[side] = (variables, averages, count)

    def record_history(self, side):
        """Adds the current parameters of `side` to their running mean (before that side's
        update)."""
        if side not in self._history:
            return
        variables, averages, count = self._history[side]
        n = count.value + 1.0
        self.assign_on_replicas(
            [(count, n)]
            + [
                (a, a.value + (tf.cast(v.value, a.dtype) - a.value) / n)
                for v, a in zip(variables, averages)
            ]
        )

    def historical_penalty(self, side):
        """`λ_h ‖θ - (1/t) Σ_i θ_i‖²` for `side` (0 when off): the running mean includes the current
        values.

        Reference:
            Salimans et al., "Improved Techniques for Training GANs", NeurIPS 2016, §3.3.
        """
        if side not in self._history:
            return 0.0
        variables, averages, _ = self._history[side]
        penalty = regularizers.historical_averaging(variables, [a.value for a in averages])
        # In the losses' float32 (the penalty keeps a float64 model's variables' precision).
        return self.historical_weight * tf.cast(penalty, tf.float32)

    # ------------------------------------------------------------- the step
    @property
    def step(self):
        """Training steps made so far, as a Python int (readable under any strategy)."""
        return int(keras.ops.convert_to_numpy(self.step_counter))

    def step_seed(self, stream):
        """A stateless seed for `stream` at the current step (same on all replicas)."""
        base = tf.stack(
            [tf.constant(self.seed, tf.int64), tf.cast(self.step_counter.value, tf.int64)]
        )
        return tf.random.experimental.stateless_fold_in(base, stream)

    def draw_uniform(self, local_size, seed, shape=()):
        """U[0, 1) per example `[local_size, *shape]`: this replica's slice of a global draw from
        `seed`."""
        global_size = local_size * num_replicas()
        return replica_slice(tf.random.stateless_uniform([global_size, *shape], seed), local_size)

    @staticmethod
    def scale_loss(optimizer, loss):
        """`loss` scaled for `optimizer`: to the global batch, and by the loss scale in mixed
        precision."""
        scaled = loss / num_replicas()
        if isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
            scaled = optimizer.scale_loss(scaled)
        return scaled

    @staticmethod
    def apply_update(optimizer, tape, scaled_loss, variables):
        """Applies the gradients of `scaled_loss` (see `scale_loss`) to `variables`."""
        grads = tape.gradient(scaled_loss, variables)
        optimizer.apply_gradients(zip(grads, variables))

    def unpack_batch(self, data):
        """`(x, y)` of a training batch; sample weights are refused (no scheme weighs its losses by
        them)."""
        x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        if sample_weight is not None:
            raise ValueError(
                f"{type(self).__name__} does not use sample weights, and the data gives a third "
                "element (x, y, sample_weight). Drop it from the dataset."
            )
        return x, y

    def end_step(self):
        """Ends a `train_step`: advances `step_counter` by one and returns the metrics' results."""
        self.assign_on_replicas([(self.step_counter, self.step_counter.value + 1)])
        logs = {m.name: m.result() for m in self.metrics}
        strategy = self.distribute_strategy
        if getattr(strategy.extended, "_in_multi_worker_mode", lambda: False)():
            # Keras 3 averages logs across workers with strategy.reduce(axis=0),
            # which needs a batch axis; a scalar would fail to reduce.
            logs = {k: tf.reshape(v, [1]) for k, v in logs.items()}
        return logs

    # -------------------------------------------------------------- serving
    def serving_signatures(self):
        """`{name: keras_gan.serving.Signature}`: what `keras_gan.export` writes.

        `serving_default` computes what `call` computes.
        """
        raise NotImplementedError(f"{type(self).__name__} must declare its serving signatures.")

    def serving_networks(self):
        """The networks the serving signatures use (tracked by the export)."""
        raise NotImplementedError(f"{type(self).__name__} must name the networks it serves.")

    def data_spec(self):
        """`tf.TensorSpec`s of one batch of the training data (a tuple where it has several
        parts)."""
        raise NotImplementedError(f"{type(self).__name__} must describe its training data.")

    def preview(self, n=64, seed=0, inputs=None):
        """`(pictures, columns)`: what `SampleGrid` and `keras-gan sample` draw."""
        raise NotImplementedError(f"{type(self).__name__} must implement preview.")

    def preview_labels(self, n=64):
        """Texts for the rows of `preview(n)`'s grid (e.g. the class of each row), or None."""
        return None

    def preview_column_labels(self, n=64):
        """Texts for the columns of `preview(n)`'s grid (e.g. what each column translates), or
        None."""
        return None

    @classmethod
    def option_names(cls):
        """The keyword options of this scheme's constructor, its bases' included (the networks
        too): what `keras_gan.zoo.build` accepts as a model override."""
        names = {"name"}
        for klass in cls.__mro__:
            if "__init__" in vars(klass) and issubclass(klass, AdversarialModel):
                names |= set(inspect.signature(klass.__init__).parameters)
        return names - {"self", "kwargs"}

    def capabilities(self):
        """`keras_gan.models.Capabilities`: the sampling options this model takes and what else it
        does. Schemes override it; code outside the models asks it instead of probing attributes."""
        return Capabilities()

    def class_decoder(self):
        """`(embed, decode)` for interpolating between classes, or None: `embed(labels)` -> the
        generator's class vectors (the output of the layer its label input feeds, e.g. BigGAN's
        shared embedding), `decode(latents, vectors)` -> samples. Conditional latent models
        declare it."""
        return None

    def noise_decoder(self):
        """`(shapes, decode(w, noise, labels=None))` where the generator also takes noise images
        that projection in W optimizes with the latents (StyleGAN declares it), or None."""
        return None

    def projection_features(self):
        """The feature network `keras_gan.projection` matches images in besides pixels (a Keras
        model of images), or None: the penultimate layer of a model's `discriminator` that takes
        images alone. Built per call, not kept on the model (an attribute would be tracked as a
        sub-layer)."""
        if "discriminator" not in self.NETWORKS:
            return None
        return self.penultimate_features(self.discriminator)

    def penultimate_features(self, discriminator):
        """`discriminator`'s input -> the input of its last layer, for a discriminator that
        takes images alone (one input; `pack` 1); None otherwise. Where a layer compares the
        examples of a batch (minibatch standard deviation, minibatch discrimination), the
        features are that layer's input instead: each image's features then depend on it alone,
        as projection needs (its loss is per image, and a batch may be split anywhere)."""
        from keras_gan.layers import MinibatchDiscrimination, MinibatchStdDev

        if len(discriminator.inputs) != 1 or getattr(self, "pack", 1) != 1:
            return None
        across = (MinibatchStdDev, MinibatchDiscrimination)
        mixing = next((la for la in discriminator.layers if isinstance(la, across)), None)
        end = discriminator.layers[-1] if mixing is None else mixing
        return keras.Model(discriminator.inputs[0], end.input)

    def anomaly_scores(self, x):
        """Per-example anomaly scores of `x` (higher = more anomalous), for models whose
        `capabilities().anomaly_scores` is True."""
        raise NotImplementedError(
            f"{type(self).__name__} does not score examples (capabilities().anomaly_scores is "
            "False)."
        )

    def pictures(self, reference=None, seed=0):
        """Pictures the model draws beside its samples, `{name: uint8 [H, W, 3]}` (e.g. MEG's energy
        heat map); `SampleGrid` writes each as `samples/NAME_step_N.png` and a TensorBoard image.

        Args:
            reference: real data points where the picture needs them (2-D data), or None.
            seed: seed of any samples drawn.
        """
        return {}
