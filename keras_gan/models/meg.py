"""MEG: an energy-based model trained with a maximum-entropy generator."""

import dataclasses

import keras
import numpy as np
import tensorflow as tf

from keras_gan import estimators, priors, sampling, serving
from keras_gan.models.base import LATENT_STREAM, num_replicas, replica_slice
from keras_gan.models.latent import LatentAdversarialModel

_MARGINAL_STREAM = 101  # the step's draws for z̃ (shuffle keys or fresh latents)
_MCMC_STREAM = 102  # `generate`'s MALA draws
MAX_MCMC_STEPS = 10000  # largest `mcmc_steps` the `sample_mcmc` signature accepts


@keras.saving.register_keras_serializable(package="keras_gan")
class MEG(LatentAdversarialModel):
    """Maximum Entropy Generators for Energy-Based Models.

    An energy function `E(x)` (the `discriminator`) defines the density
    `p(x) = exp(-E(x)) / Z`. It is trained to give low energy to data and
    high energy to samples of a generator `G(z)`; the generator lowers the
    energy of its samples while keeping its entropy high. For a deterministic
    generator `H[G(Z)] = I(X; Z)`, estimated with the Jensen-Shannon (Deep
    InfoMax) bound by a statistics network `T(x, z)` that the generator and
    `T` both maximize. Samples can be refined by Metropolis-adjusted Langevin
    steps in z (`generate(n, mcmc_steps=K, step_size=α)`).

    One training step: `n_critic` energy updates, each on its own real
    minibatch (a strided split of the element, see `LatentAdversarialModel`) and
    fresh z; then one update of G and T on fresh z and `z̃`, the latents of
    the product of marginals.

    `z̃` is either a per-dimension shuffle of z across the batch
    (`marginal="shuffle"`, the paper's) or a fresh prior draw
    (`marginal="resample"`). The shuffle couples the examples of a batch, so
    it is computed on the *global* draw of z (which every replica makes, see
    `AdversarialModel`) before each replica takes its slice: N replicas use
    exactly the `z̃` that 1 device uses. `shuffle_group_size` restricts each
    column's permutation to groups of that many consecutive global examples
    (None: the whole global batch, as in the paper with batch b). It must
    divide the global batch; when it also divides the per-replica batch, no
    group straddles two replicas' slices, i.e. a replica's `z̃` is a shuffle
    of its own z only.

    Reference:
        Kumar, Goyal, Courville & Bengio, "Maximum Entropy Generators for
        Energy-Based Models", arXiv:1901.08508, 2019, Algorithm 1, and the
        authors' code (ritheshkumar95/energy_based_generative_models): Adam
        1e-4, β = (0.5, 0.9), 5 energy updates per generator update,
        λ = 0.1 (2-D), 10 (Stacked MNIST), 100 (anomaly detection), MALA
        step 0.01.

    Formula:
        energy: `L_E = E_x[E(x)] - E_z[E(G(z))] + λ·S(x)`, with the authors'
        score penalty S: the squared gradient norm over channels, averaged
        over the batch and every pixel (`estimators.energy_loss`,
        `estimators.score_penalty`);
        MI: `Î = E[-softplus(-T(G(z), z))] - E[softplus(T(G(z), z̃))]`
        (`estimators.jsd_mutual_information`); T minimizes the authors'
        binary cross-entropy over the 2b pairs, which is `-Î/2`;
        generator: `L_G = E_z[E(G(z))] - w·Î/2` (`estimators.energy_generator_loss`
        with weight w/2: the same BCE, as the authors' code adds it with weight 1).

    Args:
        energy: a built `keras.Model` mapping samples to energies `[batch, 1]`
            (or `[batch]`); no BatchNorm (the penalty is per example).
        generator: a built `keras.Model` mapping latents to samples.
        statistics: a built `keras.Model` mapping `[samples, latents]` to
            scores `[batch, 1]`.
        gp_weight: λ of the zero-centred gradient penalty on real data.
        marginal: `"shuffle"` (per-dimension shuffle of z) or `"resample"`
            (z̃ drawn from the prior).
        shuffle_group_size: see above; None for the whole global batch.
        entropy_weight: w, the weight of the authors' BCE (`-Î/2`) in the
            generator loss (1 in their code).
        mcmc_prior: include the prior's `-log p(z)` (`½‖z‖²` for N(0, I)) in
            the latent energy that MALA samples,
            `U(z) = E(G(z)) - log p(z)`. The paper's latent energy is
            `E(G(z))` alone, whose Langevin chains drift away from the
            region the generator was trained on; with the prior term MALA
            samples `p(z) exp(-E(G(z)))`, the energy model pulled back to z.
        **kwargs: `latent_dim`, `prior`, `seed`, `ema_decay`, `name`.

    Call arguments:
        inputs: latents; the call runs the generator in inference mode.

    Example:

    ```python
    model = zoo.build("meg-ring8")
    model.fit(keras_gan.data.load("ring8", 256, n_critic=5, repeat=True), steps_per_epoch=500,
    epochs=4)
    points = model.generate(2500, seed=0, mcmc_steps=100, step_size=0.01)
    ```
    """

    PACKABLE = False  # the energy E(x) is a function of one example

    DEFAULT_OPTIMIZER = {
        "class_name": "Adam",
        "config": {"learning_rate": 1e-4, "beta_1": 0.5, "beta_2": 0.9},
    }
    DEFAULT_N_CRITIC = 5

    def __init__(
        self,
        energy,
        generator,
        statistics,
        gp_weight=0.1,
        marginal="shuffle",
        shuffle_group_size=None,
        entropy_weight=1.0,
        mcmc_prior=True,
        **kwargs,
    ):
        if kwargs.get("num_classes") is not None:
            raise ValueError(f"MEG is unconditional. Received: num_classes={kwargs['num_classes']}")
        if kwargs.get("augment"):
            raise ValueError(
                "MEG's energy is a density of the data itself (its samples are scored and refined "
                "by it), so it takes no discriminator augmentation. Received: "
                f"augment={kwargs['augment']!r}"
            )
        if not isinstance(statistics, keras.Model):
            raise TypeError(
                f"statistics must be a keras.Model. Received: {type(statistics).__name__}"
            )
        if kwargs.get("historical_weight"):
            raise ValueError(
                "MEG's three-network step has no historical averaging. Received: "
                f"historical_weight={kwargs['historical_weight']}"
            )
        super().__init__(generator, energy, **kwargs)
        if not float(gp_weight) >= 0:
            raise ValueError(f"gp_weight must be >= 0. Received: gp_weight={gp_weight}")
        if marginal not in estimators.MARGINALS:
            raise ValueError(
                f"marginal must be one of {estimators.MARGINALS}. Received: marginal={marginal!r}"
            )
        if shuffle_group_size is not None and int(shuffle_group_size) < 1:
            raise ValueError(
                "shuffle_group_size must be a positive integer or None. Received: "
                f"shuffle_group_size={shuffle_group_size}"
            )
        self.statistics = statistics
        self.gp_weight = float(gp_weight)
        self.marginal = marginal
        self.shuffle_group_size = None if shuffle_group_size is None else int(shuffle_group_size)
        self.entropy_weight = float(entropy_weight)
        self.mcmc_prior = bool(mcmc_prior)
        self.gp_tracker = keras.metrics.Mean(name="gradient_penalty")
        self.mi_tracker = keras.metrics.Mean(name="mutual_information")

    @property
    def energy(self):
        """The energy network (the same object as `discriminator`)."""
        return self.discriminator

    @property
    def metrics(self):
        return super().metrics + [self.gp_tracker, self.mi_tracker]

    # ------------------------------------------------------------------ compile
    def compile(self, g_optimizer=None, d_optimizer=None, t_optimizer=None, **kwargs):
        """Configures training.

        Args:
            g_optimizer: generator optimizer; default Adam(1e-4, β = (0.5, 0.9)).
            d_optimizer: energy optimizer; same default.
            t_optimizer: statistics-network optimizer; default: a fresh optimizer
                with the generator optimizer's configuration.
            **kwargs: `n_critic` (default 5), `jit_compile` and the rest of
                `AdversarialModel.compile`.
        """
        super().compile(g_optimizer=g_optimizer, d_optimizer=d_optimizer, **kwargs)
        if t_optimizer is None:  # the generator's settings, as in the authors' code
            g = getattr(self.g_optimizer, "inner_optimizer", self.g_optimizer)  # under loss scaling
            t_optimizer = {"class_name": type(g).__name__, "config": g.get_config()}
        self.t_optimizer = self._loss_scaled(t_optimizer, self.statistics, self.DEFAULT_OPTIMIZER)
        if self.t_optimizer is self.g_optimizer or self.t_optimizer is self.d_optimizer:
            raise ValueError("t_optimizer must be an optimizer object of its own.")
        with self.distribute_strategy.scope():
            self.t_optimizer.build(self.statistics.trainable_variables)

    def get_compile_config(self):
        return {
            **super().get_compile_config(),
            "t_optimizer": keras.optimizers.serialize(self.t_optimizer),
        }

    def compile_from_config(self, config):
        config = dict(config)
        for key in ("g_optimizer", "d_optimizer", "t_optimizer"):
            if key in config:
                config[key] = keras.optimizers.deserialize(config[key])
        self.compile(**config)

    # ------------------------------------------------------------------- config
    NETWORKS = ("energy", "generator", "statistics")

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "gp_weight": self.gp_weight,
                "marginal": self.marginal,
                "shuffle_group_size": self.shuffle_group_size,
                "entropy_weight": self.entropy_weight,
                "mcmc_prior": self.mcmc_prior,
            }
        )
        return config

    # ----------------------------------------------------------------- energies
    def energies(self, x, training=False):
        """`E(x)` as a `[batch]` tensor."""
        return tf.reshape(self.discriminator(x, training=training), [-1])

    def capabilities(self):
        return dataclasses.replace(super().capabilities(), anomaly_scores=True)

    def anomaly_scores(self, x):
        """The energy E(x): high where the model puts little density."""
        return self.energies(tf.convert_to_tensor(x, tf.float32)).numpy()

    def pictures(self, reference=None, seed=0, resolution=200):
        """`{"energy": heat map}` for 2-D data: E(x) over the box around `reference` (low energy
        bright, `keras_gan.metrics.energy_heatmap`), 500 generated points in red; `{}` otherwise."""
        if reference is None or self.discriminator.inputs[0].shape[1:] != (2,):
            return {}
        from keras_gan.metrics.energy import energy_grid, energy_heatmap

        reference = np.asarray(reference, np.float32)
        low, high = float(reference.min()), float(reference.max())
        margin = 0.15 * (high - low) + 1e-6
        bounds = [(low - margin, high + margin)] * 2
        _, grid, _ = energy_grid(lambda x: self.energies(x).numpy(), bounds, resolution=resolution)
        return {"energy": energy_heatmap(grid, points=self.generate(500, seed=seed), bounds=bounds)}

    def energy_penalty(self, real):
        """The authors' score penalty on `real`, before λ (`estimators.score_penalty`)."""
        return estimators.score_penalty(lambda x: self.discriminator(x, training=True), real)

    def latent_log_prob(self, z):
        """Unnormalized log density of the latent target of MALA, `[batch]`.

        Formula:
            `-E(G(z)) + log p(z)` (the prior term only if `mcmc_prior`).
        """
        z = tf.convert_to_tensor(z)
        log_prob = -tf.cast(self.energies(self.generator(z, training=False)), z.dtype)
        if self.mcmc_prior:
            prior = tf.cast(self.prior.log_prob(tf.cast(z, tf.float32)), z.dtype)
            log_prob += tf.reduce_sum(prior, axis=-1) if prior.shape.rank == 2 else prior
        return log_prob

    def refine_latents(self, z, mcmc_steps, step_size, seed):
        """Runs MALA on latents `z` (see `keras_gan.sampling.mala`); returns `(z,
        acceptance_rate)`."""
        return sampling.mala(self.latent_log_prob, z, mcmc_steps, step_size, seed)

    # ---------------------------------------------------------------- inference
    def generate(self, n, seed=None, labels=None, batch_size=256, mcmc_steps=0, step_size=0.01):
        """Generates `n` samples, optionally refined by MALA in latent space.

        Args:
            n: number of samples.
            seed: int; the same seed gives the same samples. None: random.
            labels: unused (MEG is unconditional); must be None.
            batch_size: chains per generator call.
            mcmc_steps: K, MALA steps on each latent before decoding (0: plain
                generator samples).
            step_size: α of MALA.
        """
        if labels is not None:
            raise ValueError(
                f"MEG is unconditional; labels must be None. Received: labels={labels!r}"
            )
        mcmc_steps = int(mcmc_steps)
        if mcmc_steps < 0:
            raise ValueError(f"mcmc_steps must be >= 0. Received: mcmc_steps={mcmc_steps}")
        if not float(step_size) > 0:
            raise ValueError(f"step_size must be > 0. Received: step_size={step_size}")
        if mcmc_steps == 0:
            return super().generate(n, seed=seed, batch_size=batch_size)
        n = int(n)
        if n < 1:
            raise ValueError(f"n must be a positive integer. Received: n={n}")
        if seed is None:
            seed = int(np.random.randint(0, 2**31 - 1))
        steps, alpha = tf.constant(mcmc_steps), tf.constant(float(step_size), tf.float32)

        def refine(z, chunk):
            return _refine(self, z, steps, alpha, mcmc_seed(int(seed), chunk))[0]

        return self.decode_latents(
            self.sample_latents(n, int(seed)), batch_size=batch_size, refine=refine
        )

    # ------------------------------------------------------------------ serving
    def serving_signatures(self):
        """The latent model's signatures, plus `energy` and `sample_mcmc`.

        energy       `x` float32 [None, *data_shape] -> `energy` float32 [None],
                     E(x) (unnormalized -log density).
        sample_mcmc  `n`, `seed` int32 scalars, `mcmc_steps` int32 scalar,
                     `step_size` float32 scalar -> what `sample` gives, after K
                     MALA steps in z, plus `acceptance_rate` float32 [None];
                     equal to `generate(n, seed, mcmc_steps=K, step_size=α)`
                     for n <= 256.
        """
        sigs = super().serving_signatures()
        data_shape = self.discriminator.inputs[0].shape[1:]
        image_model = len(data_shape) == 3

        @tf.function(input_signature=[tf.TensorSpec([None, *data_shape], tf.float32, name="x")])
        def energy(x):
            return {"energy": tf.cast(self.energies(x), tf.float32)}

        scalar = lambda dtype, name: tf.TensorSpec([], dtype, name=name)  # noqa: E731

        @tf.function(
            input_signature=[
                scalar(tf.int32, "n"),
                scalar(tf.int32, "seed"),
                scalar(tf.int32, "mcmc_steps"),
                scalar(tf.float32, "step_size"),
            ]
        )
        def sample_mcmc(n, seed, mcmc_steps, step_size):
            checks = serving.check_count(n) + [
                tf.debugging.assert_greater_equal(
                    mcmc_steps, 0, message="mcmc_steps: must be >= 0"
                ),
                tf.debugging.assert_less_equal(
                    mcmc_steps,
                    MAX_MCMC_STEPS,
                    message=f"mcmc_steps: must be at most {MAX_MCMC_STEPS}",
                ),
                tf.debugging.assert_greater(step_size, 0.0, message="step_size: must be > 0"),
            ]
            n = serving.with_checks(checks, n)
            z = priors.sample(self.prior, tf.reshape(n, [1]), self.latent_dim, tf.stack([seed, 0]))
            z, rate = self.refine_latents(z, mcmc_steps, step_size, mcmc_seed(seed))
            out = tf.cast(self.generator(z, training=False), tf.float32)
            key, out = ("images", serving.to_uint8(out)) if image_model else ("points", out)
            return {key: out, "acceptance_rate": tf.cast(rate, tf.float32)}

        sigs["energy"] = serving.Signature(
            energy, {"x": np.zeros((1, *data_shape), np.float32)}, portable=True
        )
        sigs["sample_mcmc"] = serving.Signature(
            sample_mcmc,
            {
                "n": np.int32(1),
                "seed": np.int32(0),
                "mcmc_steps": np.int32(1),
                "step_size": np.float32(0.01),
            },
        )
        return sigs

    def serving_networks(self):
        return [self.generator, self.discriminator]  # `energy` serves the energy network

    # ---------------------------------------------------------------- the step
    def marginal_latents(self, z, seed):
        """`z̃` for the global latents `z` `[global_batch, d]`: a shuffle or a fresh draw."""
        if self.marginal == "shuffle":
            return estimators.shuffle_per_dimension(z, seed, self.shuffle_group_size)
        return priors.sample(self.prior, tf.shape(z)[:1], self.latent_dim, seed)

    def train_step(self, data):
        x, _ = self.unpack_batch(data)
        n = self.n_critic
        local_size = tf.shape(x)[0] // n
        global_size = local_size * num_replicas()
        # The draws of LatentAdversarialModel.draw_latents, kept global to build z̃ from them.
        z = priors.sample(
            self.prior, [n + 1, global_size], self.latent_dim, self.step_seed(LATENT_STREAM)
        )
        z_tilde = self.marginal_latents(z[n], self.step_seed(_MARGINAL_STREAM))
        latents = replica_slice(z, local_size, axis=1)
        for k in range(n):
            self.discriminator_update(x[k::n], None, latents[k], None, k)
        self.generator_statistics_update(latents[n], replica_slice(z_tilde, local_size))
        return self.end_step()

    def discriminator_loss(self, batch):
        penalty = self.energy_penalty(batch.real)
        self.gp_tracker.update_state(penalty)
        return (
            estimators.energy_loss(batch.real_output, batch.fake_output) + self.gp_weight * penalty
        )

    def generator_statistics_update(self, z, z_tilde):
        """One update of the generator and the statistics network on the same estimate `Î`."""
        with tf.GradientTape(persistent=True) as tape:
            fake = self.generate_samples(z)
            fake_energy = self.discriminate(fake)
            joint = self.statistics([fake, z], training=True)
            marginal = self.statistics([fake, z_tilde], training=True)
            mi = estimators.jsd_mutual_information(joint, marginal)
            # The authors' BCE over the 2b joint and marginal pairs is -Î/2.
            g_loss = estimators.energy_generator_loss(fake_energy, mi, 0.5 * self.entropy_weight)
            g_scaled = self.scale_loss(self.g_optimizer, g_loss)
            t_scaled = self.scale_loss(self.t_optimizer, -0.5 * mi)
        g_vars, t_vars = (
            self.trained_generator.trainable_variables,
            self.statistics.trainable_variables,
        )
        g_grads = tape.gradient(g_scaled, g_vars)
        t_grads = tape.gradient(t_scaled, t_vars)
        del tape
        self.g_optimizer.apply_gradients(zip(g_grads, g_vars))
        self.t_optimizer.apply_gradients(zip(t_grads, t_vars))
        if self.ema_decay is not None:
            self.update_ema()
        self.g_loss_tracker.update_state(g_loss)
        self.mi_tracker.update_state(mi)
        return g_loss


def mcmc_seed(seed, chunk=0):
    """The stateless MALA seed `generate(n, seed, mcmc_steps=...)` uses for its `chunk`-th batch."""
    return tf.stack(
        [tf.cast(seed, tf.int64), tf.constant(_MCMC_STREAM * 1000003, tf.int64) + chunk]
    )


@tf.function(reduce_retracing=True)
def _refine(model, z, mcmc_steps, step_size, seed):
    return model.refine_latents(z, mcmc_steps, step_size, seed)
