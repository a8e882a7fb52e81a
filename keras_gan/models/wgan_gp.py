"""WGAN-GP: the Wasserstein critic with a gradient penalty."""

import keras

from keras_gan import regularizers
from keras_gan.models.wgan import WGAN


@keras.saving.register_keras_serializable(package="keras_gan")
class WGANGP(WGAN):
    """Wasserstein GAN with gradient penalty (no weight clipping).

    The critic's loss adds `λ E[(‖∇D(x̂)‖₂ - 1)²]` on `x̂ = εx + (1 - ε)x̃`,
    `ε ~ U[0, 1]` per example (or the one-sided `λ E[max(0, ‖∇D(x̂)‖ - 1)²]`).
    ε is drawn for the global batch from the step's stateless seed, so
    replicas agree with one device. Do not use BatchNorm in the critic (the
    penalty is per example); the presets use none.

    Reference:
        Gulrajani et al., "Improved Training of Wasserstein GANs", NeurIPS
        2017, Algorithm 1 (λ = 10, Adam 1e-4, β = (0, 0.9), n_critic 5).

    Formula:
        critic: `E[D(G(z))] - E[D(x)] + λ·GP`; generator: `-E[D(G(z))]`.
        See `keras_gan.regularizers.gradient_penalty`.

    Args:
        generator, discriminator: see `AdversarialModel`.
        gp_weight: λ.
        one_sided: use the one-sided penalty.
        **kwargs: `latent_dim`, `prior`, `num_classes`, `seed`.
    """

    DEFAULT_OPTIMIZER = {
        "class_name": "Adam",
        "config": {"learning_rate": 1e-4, "beta_1": 0.0, "beta_2": 0.9},
    }
    DEFAULT_N_CRITIC = 5

    def __init__(self, generator, discriminator, gp_weight=10.0, one_sided=False, **kwargs):
        super().__init__(generator, discriminator, clip_value=None, **kwargs)
        if not float(gp_weight) >= 0:
            raise ValueError(f"gp_weight must be >= 0. Received: gp_weight={gp_weight}")
        self.gp_weight, self.one_sided = float(gp_weight), bool(one_sided)
        self.gp_tracker = keras.metrics.Mean(name="gradient_penalty")

    @property
    def metrics(self):
        return super().metrics + [self.gp_tracker]

    def get_config(self):
        config = {**super().get_config(), "gp_weight": self.gp_weight, "one_sided": self.one_sided}
        config.pop("clip_value")
        return config

    def discriminator_loss(self, batch):
        epsilon = self.draw_uniform(keras.ops.shape(batch.real)[0], batch.seed)
        labels = batch.real_labels

        def critic(x):
            return self.discriminator(self.discriminator_inputs(x, labels), training=True)

        # The interpolates share the real examples' labels (as in conditional WGAN-GP code).
        penalty = regularizers.gradient_penalty(
            critic, batch.real, batch.fake, one_sided=self.one_sided, epsilon=epsilon
        )
        self.gp_tracker.update_state(penalty)
        return super().discriminator_loss(batch) + self.gp_weight * penalty
