"""InfoGAN: latent codes whose mutual information with the samples is maximized."""

import keras
import numpy as np
import tensorflow as tf

from keras_gan import losses, priors, serving
from keras_gan.models.base import LABEL_STREAM, LATENT_STREAM, num_replicas, replica_slice
from keras_gan.models.latent import LatentAdversarialModel

CODE_STREAM = 101  # the continuous codes' draws


@keras.saving.register_keras_serializable(package="keras_gan")
class InfoGAN(LatentAdversarialModel):
    """GAN whose generator input holds codes c that an auxiliary head Q must recover.

    The generator's input is `[z, one_hot(c_1), ..., one_hot(c_k), c_cont]`:
    noise from the prior, categorical codes drawn uniformly and continuous
    codes from U[-1, 1]. The discriminator returns `[logit, q]`: Q shares its
    body and `q` holds, per categorical code, its K logits, then the means of
    the continuous codes (a Gaussian with unit standard deviation, as the
    authors' MNIST run). D and Q minimize the GAN loss plus λ·CE, G the
    non-saturating loss plus λ·CE, where CE is Q's cross-entropy of the codes
    on generated samples (minimizing it maximizes the lower bound
    `L_I = H(c) - CE`).

    Reference:
        Chen et al., "InfoGAN: Interpretable Representation Learning by
        Information Maximizing Generative Adversarial Nets", NeurIPS 2016;
        openai/InfoGAN `launchers/run_mnist_exp.py` (62 noise dimensions
        U[-1, 1], one categorical code of 10, two continuous codes, λ = 1,
        G 1e-3, D 2e-4, Adam β₁ 0.5, batch 128).

    Formula:
        D, Q: `min -E[log D(x)] - E[log(1 - D(G(z, c)))] + λ CE`;
        G: `min -E[log D(G(z, c))] + λ CE`; `CE = Σ_i -E[log Q(c_i | G(z, c))]`
        (`keras_gan.losses.categorical_code_nll`, `gaussian_code_nll`).

    Args:
        generator: maps `[batch, noise_dim + Σ K_i + continuous_codes]` to samples.
        discriminator: maps samples to `[logit [batch, 1], q [batch, Σ K_i + continuous_codes]]`.
        noise_dim: size of the incompressible noise z.
        categorical_codes: the number of values of each categorical code.
        continuous_codes: the number of continuous codes.
        info_weight: λ.
        real_label: below 1, one-sided label smoothing of D's real targets.
        prior: the noise's prior (`"uniform"`, the authors', or `"normal"`).
        **kwargs: `seed`, `ema_decay`, `ema_start`, `augment`, `name`.

    Example:
        >>> model = InfoGAN(generator, discriminator)
        >>> model.compile()
        >>> sevens = model.generate(10, seed=0, codes={"categorical": [[7]] * 10})
    """

    PACKABLE = False  # Q(c | x) infers the codes of one example

    DEFAULT_OPTIMIZER = {"class_name": "Adam", "config": {"learning_rate": 1e-3, "beta_1": 0.5}}
    DEFAULT_D_OPTIMIZER = {"class_name": "Adam", "config": {"learning_rate": 2e-4, "beta_1": 0.5}}

    def __init__(
        self,
        generator,
        discriminator,
        noise_dim=62,
        categorical_codes=(10,),
        continuous_codes=2,
        info_weight=1.0,
        prior="uniform",
        real_label=1.0,
        **kwargs,
    ):
        self.noise_dim = int(noise_dim)
        self.categorical_codes = tuple(int(k) for k in categorical_codes)
        self.continuous_codes = int(continuous_codes)
        if (
            self.noise_dim < 0
            or self.continuous_codes < 0
            or any(k < 2 for k in self.categorical_codes)
        ):
            raise ValueError(
                "noise_dim and continuous_codes must be >= 0 and every categorical code needs >= "
                f"2 values. Received: noise_dim={noise_dim}, "
                f"categorical_codes={categorical_codes}, continuous_codes={continuous_codes}"
            )
        latent_dim = self.noise_dim + sum(self.categorical_codes) + self.continuous_codes
        kwargs.pop("latent_dim", None)
        super().__init__(generator, discriminator, latent_dim=latent_dim, prior=prior, **kwargs)
        if self.conditional:
            raise ValueError("InfoGAN learns its own codes; num_classes must be None.")
        if int(generator.inputs[0].shape[-1]) != latent_dim:
            raise ValueError(
                "The generator must take noise_dim + Σ categorical_codes + continuous_codes = "
                f"{latent_dim} inputs. Received: {generator.inputs[0].shape}"
            )
        q_shape = discriminator.outputs[1].shape[-1] if len(discriminator.outputs) == 2 else None
        if q_shape != self.q_dim:
            raise ValueError(
                "The discriminator must return [logit, q] with q of size Σ categorical_codes + "
                f"continuous_codes = {self.q_dim}. Received outputs: "
                f"{[o.shape for o in discriminator.outputs]}"
            )
        self.info_weight = float(info_weight)
        self.real_label = losses.check_real_label(real_label)
        self.noise_prior = priors.get(prior, self.noise_dim) if self.noise_dim else None
        self.info_tracker = keras.metrics.Mean(name="info_ce")

    @property
    def q_dim(self):
        return sum(self.categorical_codes) + self.continuous_codes

    def get_config(self):
        config = super().get_config()
        config.pop("latent_dim")
        return {
            **config,
            "noise_dim": self.noise_dim,
            "categorical_codes": list(self.categorical_codes),
            "continuous_codes": self.continuous_codes,
            "info_weight": self.info_weight,
            "real_label": self.real_label,
        }

    @property
    def metrics(self):
        return super().metrics + [self.info_tracker]

    # ------------------------------------------------------------ latents
    def compose(self, noise, categorical, continuous):
        """The generator input `[z, one_hot(c_1), ..., c_cont]` of noise, int codes and continuous
        codes."""
        parts = [tf.cast(noise, tf.float32)]
        for i, k in enumerate(self.categorical_codes):
            parts.append(tf.one_hot(tf.cast(categorical[..., i], tf.int32), k))
        parts.append(tf.cast(continuous, tf.float32))
        return tf.concat(parts, axis=-1)

    def split(self, latents):
        """`(noise, categorical int codes [..., n_cat], continuous codes)` of generator inputs."""
        noise = latents[..., : self.noise_dim]
        start, categorical = self.noise_dim, []
        for k in self.categorical_codes:
            categorical.append(
                tf.argmax(latents[..., start : start + k], axis=-1, output_type=tf.int32)
            )
            start += k
        categorical = tf.stack(categorical, axis=-1) if categorical else latents[..., :0]
        return noise, categorical, latents[..., start:]

    def _draw(self, shape, seed):
        """Generator inputs `shape + [latent_dim]` from one stateless seed."""
        noise = (
            priors.sample(
                self.noise_prior,
                shape,
                self.noise_dim,
                tf.random.experimental.stateless_fold_in(seed, 0),
            )
            if self.noise_dim
            else tf.zeros([*shape, 0])
        )
        categorical = (
            tf.stack(
                [
                    tf.random.stateless_uniform(
                        shape,
                        tf.random.experimental.stateless_fold_in(seed, LABEL_STREAM + i),
                        0,
                        k,
                        dtype=tf.int32,
                    )
                    for i, k in enumerate(self.categorical_codes)
                ],
                axis=-1,
            )
            if self.categorical_codes
            else None
        )
        continuous = tf.random.stateless_uniform(
            [*shape, self.continuous_codes],
            tf.random.experimental.stateless_fold_in(seed, CODE_STREAM),
            -1.0,
            1.0,
        )
        if categorical is None:
            categorical = tf.zeros([*shape, 0], tf.int32)
        return self.compose(noise, categorical, continuous)

    def draw_latents(self, updates, local_size):
        z = self._draw([updates, local_size * num_replicas()], self.step_seed(LATENT_STREAM))
        return replica_slice(z, local_size, axis=1)

    def sample_latents(self, n, seed, truncation=None):
        if truncation is not None:
            raise ValueError(
                "InfoGAN's latents hold codes; truncation does not apply. Pass truncation=None."
            )
        return super().sample_latents(n, seed)

    def latents_from_seed(self, n, seed):
        return self._draw([n], seed)

    def generate(self, n, seed=None, labels=None, batch_size=256, truncation=None, codes=None):
        """`LatentAdversarialModel.generate`, with some codes fixed.

        Args:
            codes: None, or a dict with `"categorical"` (ints `[n, len(categorical_codes)]`)
                and/or `"continuous"` (floats `[n, continuous_codes]`); what is
                not given is drawn from `seed` as usual.
        """
        if codes is None:
            return super().generate(
                n, seed=seed, labels=labels, batch_size=batch_size, truncation=truncation
            )
        if seed is None:
            seed = int(np.random.randint(0, 2**31 - 1))
        noise, categorical, continuous = self.split(
            self.sample_latents(int(n), int(seed), truncation)
        )
        unknown = set(codes) - {"categorical", "continuous"}
        if unknown:
            raise ValueError(
                f"codes takes 'categorical' and 'continuous'. Received: {sorted(unknown)}"
            )
        if "categorical" in codes:
            given = np.asarray(codes["categorical"]).reshape(int(n), -1)
            limits = np.asarray(self.categorical_codes)
            if given.shape[1] != len(limits) or (given < 0).any() or (given >= limits).any():
                raise ValueError(
                    f"codes['categorical'] must be [n, {len(limits)}] ints below "
                    f"{list(self.categorical_codes)}. Received shape {given.shape}"
                )
            categorical = tf.constant(given, tf.int32)
        if "continuous" in codes:
            given = np.asarray(codes["continuous"], np.float32).reshape(int(n), -1)
            if given.shape[1] != self.continuous_codes:
                raise ValueError(
                    f"codes['continuous'] must be [n, {self.continuous_codes}]. Received shape "
                    f"{given.shape}"
                )
            continuous = tf.constant(given)
        return self.decode_latents(self.compose(noise, categorical, continuous), None, batch_size)

    # ------------------------------------------------------------ the step
    def discriminate(self, inputs, training=True):
        logit, q = self.discriminator(inputs, training=training)
        return tf.cast(logit, tf.float32), tf.cast(q, tf.float32)

    def information_loss(self, q, latents):
        """CE: Q's cross-entropy of the codes in `latents` (the sum over codes)."""
        _, categorical, continuous = self.split(latents)
        loss, start = 0.0, 0
        for i, k in enumerate(self.categorical_codes):
            loss += losses.categorical_code_nll(q[:, start : start + k], categorical[:, i])
            start += k
        if self.continuous_codes:
            loss += losses.gaussian_code_nll(q[:, start:], continuous)
        return loss

    def discriminator_loss(self, batch):
        adversarial = losses.minimax_discriminator_loss(
            batch.real_output[0], batch.fake_output[0], self.real_label
        )
        return adversarial + self.info_weight * self.information_loss(
            batch.fake_output[1], batch.latents
        )

    def generator_loss(self, batch):
        information = self.information_loss(batch.fake_output[1], batch.latents)
        self.info_tracker.update_state(information)
        return (
            losses.nonsaturating_generator_loss(batch.fake_output[0])
            + self.info_weight * information
        )

    def discriminator_output(self, outputs):
        return tf.sigmoid(outputs[0])

    # ------------------------------------------------------------ serving
    def serving_signatures(self):
        return {**super().serving_signatures(), "codes": self._codes_signature()}

    def _codes_signature(self):
        """`codes`: `z` [None, noise_dim], `categorical` int32 [None, n_cat], `continuous` [None,
        n_cont]
        -> `images` uint8 (or `points`)."""
        generator, n_cat = self.generator, len(self.categorical_codes)
        limits = np.asarray(self.categorical_codes or (1,), np.int32)  # a constant in the graph
        specs = [
            tf.TensorSpec([None, self.noise_dim], tf.float32, name="z"),
            tf.TensorSpec([None, n_cat], tf.int32, name="categorical"),
            tf.TensorSpec([None, self.continuous_codes], tf.float32, name="continuous"),
        ]
        image_model = len(generator.outputs[0].shape) == 4

        def run(z, categorical, continuous):
            rows = tf.shape(z)[0]
            checks = [
                tf.debugging.assert_less_equal(
                    rows,
                    serving.MAX_SAMPLE,
                    message=f"z: at most {serving.MAX_SAMPLE} rows per request",
                ),
                tf.debugging.assert_equal(
                    tf.shape(categorical)[0],
                    rows,
                    message="categorical: needs one row per row of z",
                ),
                tf.debugging.assert_equal(
                    tf.shape(continuous)[0], rows, message="continuous: needs one row per row of z"
                ),
                tf.debugging.assert_greater_equal(
                    categorical, 0, message="categorical: must be >= 0"
                ),
                tf.debugging.assert_less(
                    categorical,
                    limits[:n_cat] if n_cat else categorical + 1,
                    message=f"categorical: must be below {list(self.categorical_codes)}",
                ),
                tf.debugging.assert_all_finite(z, message="z: must be finite"),
                tf.debugging.assert_all_finite(continuous, message="continuous: must be finite"),
            ]
            z, categorical, continuous = serving.with_checks(checks, z, categorical, continuous)
            out = tf.cast(
                generator(self.compose(z, categorical, continuous), training=False), tf.float32
            )
            return {"images": serving.to_uint8(out)} if image_model else {"points": out}

        example = {
            "z": np.zeros((1, self.noise_dim), np.float32),
            "categorical": np.zeros((1, n_cat), np.int32),
            "continuous": np.zeros((1, self.continuous_codes), np.float32),
        }
        return serving.Signature(tf.function(run, input_signature=specs), example, portable=True)

    def preview(self, n=64, seed=0, inputs=None):
        """`(samples, columns)`: one row per value of the first categorical code, noise fixed per
        column."""
        if not self.categorical_codes:
            return super().preview(n, seed, inputs)
        k = self.categorical_codes[0]
        columns = max(1, n // k)
        noise, categorical, continuous = self.split(self.sample_latents(columns, seed))
        rows = [
            self.compose(
                noise,
                tf.concat([tf.fill([columns, 1], value), categorical[:, 1:]], axis=1),
                continuous,
            )
            for value in range(k)
        ]
        return self.decode_latents(tf.concat(rows, axis=0)), columns

    def preview_labels(self, n=64):
        return (
            [f"c1 = {v}" for v in range(self.categorical_codes[0])]
            if self.categorical_codes
            else None
        )

    def code_grid(self, code, n_values=10, n_noise=8, seed=0, span=2.0):
        """Samples varying one code with everything else fixed: `[n_values * n_noise, ...]`, one row
        per value.

        Args:
            code: `("categorical", i)` or `("continuous", j)`.
            n_values: values of a continuous code, evenly from -span to span
                (the paper's Figure 2 goes to ±2); a categorical code shows all of its values.
            n_noise: columns, each with its own noise and other codes.
        """
        kind, index = code
        noise, categorical, continuous = self.split(self.sample_latents(n_noise, seed))
        rows = []
        if kind == "categorical":
            values = range(self.categorical_codes[index])
            for v in values:
                cat = tf.tensor_scatter_nd_update(
                    tf.transpose(categorical), [[index]], [tf.fill([n_noise], v)]
                )
                rows.append(self.compose(noise, tf.transpose(cat), continuous))
        elif kind == "continuous":
            for v in np.linspace(-span, span, n_values):
                cont = tf.tensor_scatter_nd_update(
                    tf.transpose(continuous), [[index]], [tf.fill([n_noise], float(v))]
                )
                rows.append(self.compose(noise, categorical, tf.transpose(cont)))
        else:
            raise ValueError(
                f"code must be ('categorical', i) or ('continuous', j). Received: {code!r}"
            )
        return self.decode_latents(tf.concat(rows, axis=0)), n_noise
