"""SAGAN: self-attention in G and D, spectral norm in both, hinge loss, two time-scale rates."""

import keras

from keras_gan import losses
from keras_gan.models.latent import LatentAdversarialModel
from keras_gan.models.sngan import unnormalized_weight_layers


@keras.saving.register_keras_serializable(package="keras_gan")
class SAGAN(LatentAdversarialModel):
    """Self-attention GAN: the hinge loss with spectrally normalized G and D.

    The scheme is SNGAN's hinge loss with the networks' every weight layer
    spectrally normalized, the generator's too (checked at construction),
    and the two time-scale update rule: D learns 4× faster than G. The
    self-attention blocks are layers of the networks
    (`keras_gan.layers.SelfAttention2D`; `zoo.biggan.networks`). Class
    conditioning: conditional BatchNorm in G and a projection head in D
    (`num_classes`).

    Reference:
        Zhang et al., "Self-Attention Generative Adversarial Networks", ICML
        2019 (G 1e-4, D 4e-4, Adam β = (0, 0.9), one D step per G step);
        Heusel et al., "GANs Trained by a Two Time-Scale Update Rule", NeurIPS 2017.

    Formula:
        D minimizes `E[max(0, 1 - D(x))] + E[max(0, 1 + D(G(z)))]`,
        G minimizes `-E[D(G(z))]`.

    Args:
        generator, discriminator: see `LatentAdversarialModel`; every
            Dense, convolution and Embedding layer wrapped in
            `keras_gan.layers.SpectralNormalization`.
        **kwargs: `latent_dim`, `prior`, `num_classes`, `seed`, `ema_decay`,
            `ema_start`, `augment`.

    Example:
        >>> networks = zoo.biggan.networks.biggan_networks(...)
        >>> model = SAGAN(**networks)
        >>> model.compile()  # G Adam(1e-4, 0, 0.9), D Adam(4e-4, 0, 0.9)
    """

    DEFAULT_OPTIMIZER = {
        "class_name": "Adam",
        "config": {"learning_rate": 1e-4, "beta_1": 0.0, "beta_2": 0.9},
    }
    DEFAULT_D_OPTIMIZER = {
        "class_name": "Adam",
        "config": {"learning_rate": 4e-4, "beta_1": 0.0, "beta_2": 0.9},
    }
    GENERATOR_EXEMPT = ()  # layer types of G that need not be spectrally normalized

    def __init__(self, generator, discriminator, **kwargs):
        super().__init__(generator, discriminator, **kwargs)
        for role, network, exempt in (
            ("generator", generator, self.GENERATOR_EXEMPT),
            ("discriminator", discriminator, ()),
        ):
            bare = unnormalized_weight_layers(network, exempt)
            if bare:
                raise ValueError(
                    f"{type(self).__name__} needs a {role} whose every weight layer is wrapped in "
                    f"keras_gan.layers.SpectralNormalization; in {network.name!r} these are not: "
                    f"{', '.join(bare)}."
                )

    def discriminator_loss(self, batch):
        return losses.hinge_discriminator_loss(batch.real_output, batch.fake_output)

    def generator_loss(self, batch):
        return losses.hinge_generator_loss(batch.fake_output)
