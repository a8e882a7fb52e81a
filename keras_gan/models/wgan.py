"""WGAN: the Wasserstein critic with weight clipping."""

import keras

from keras_gan import losses, regularizers
from keras_gan.models.latent import LatentAdversarialModel


@keras.saving.register_keras_serializable(package="keras_gan")
class WGAN(LatentAdversarialModel):
    """Wasserstein GAN with a weight-clipped critic.

    The critic (no sigmoid) maximizes `E[D(x)] - E[D(G(z))]`, an estimate of
    the Earth Mover's distance up to the critic's Lipschitz constant; after
    every critic update each critic weight is clipped to `[-c, c]`. The
    estimate is reported as the metric `wasserstein`: it should fall as the
    samples improve.

    Reference:
        Arjovsky, Chintala & Bottou, "Wasserstein GAN", ICML 2017, Algorithm 1
        (RMSProp 5e-5, n_critic 5, c = 0.01, batch 64).

    Formula:
        critic: `E[D(G(z))] - E[D(x)]`; generator: `-E[D(G(z))]`.

    Args:
        generator, discriminator: see `LatentAdversarialModel`; the critic outputs
            raw scores.
        clip_value: c; None disables clipping (as `WGANGP` does).
        **kwargs: `latent_dim`, `prior`, `num_classes`, `seed`.
    """

    DEFAULT_OPTIMIZER = {"class_name": "RMSprop", "config": {"learning_rate": 5e-5}}
    DEFAULT_N_CRITIC = 5

    def __init__(self, generator, discriminator, clip_value=0.01, **kwargs):
        super().__init__(generator, discriminator, **kwargs)
        if clip_value is not None and not float(clip_value) > 0:
            raise ValueError(
                f"clip_value must be positive or None. Received: clip_value={clip_value}"
            )
        self.clip_value = None if clip_value is None else float(clip_value)
        self.wasserstein_tracker = keras.metrics.Mean(name="wasserstein")

    @property
    def metrics(self):
        return super().metrics + [self.wasserstein_tracker]

    def get_config(self):
        return {**super().get_config(), "clip_value": self.clip_value}

    def discriminator_loss(self, batch):
        loss = losses.wasserstein_critic_loss(batch.real_output, batch.fake_output)
        self.wasserstein_tracker.update_state(-loss)
        return loss

    def generator_loss(self, batch):
        return losses.wasserstein_generator_loss(batch.fake_output)

    def after_discriminator_step(self):
        if self.clip_value is not None:
            regularizers.clip_weights(self.discriminator.trainable_variables, self.clip_value)
