"""SNGAN: a spectrally normalized discriminator with the hinge loss."""

import keras
import tensorflow as tf

from keras_gan import losses
from keras_gan.layers import SpectralNormalization
from keras_gan.models.latent import LatentAdversarialModel

_WEIGHT_LAYERS = (
    keras.layers.Dense,
    keras.layers.Conv1D,
    keras.layers.Conv2D,
    keras.layers.Conv3D,
    keras.layers.Conv2DTranspose,
    keras.layers.Embedding,
)


def unnormalized_weight_layers(model, exempt=()):
    """Names of the weight layers (dense, convolution, embedding) of `model`, nested models
    included, that no `keras_gan.layers.SpectralNormalization` wraps (layers of the `exempt`
    types aside)."""
    found = []
    for layer in model.layers:
        if isinstance(layer, SpectralNormalization) or isinstance(layer, tuple(exempt)):
            continue
        if isinstance(layer, _WEIGHT_LAYERS):
            found.append(layer.name)
        elif isinstance(layer, keras.Model):
            found += unnormalized_weight_layers(layer, exempt)
    return found


@keras.saving.register_keras_serializable(package="keras_gan")
class SNGAN(LatentAdversarialModel):
    """GAN with a spectrally normalized discriminator.

    Every weight layer of the discriminator must be wrapped in
    `keras_gan.layers.SpectralNormalization` (checked at construction).

    Reference:
        Miyato et al., "Spectral Normalization for Generative Adversarial
        Networks", ICLR 2018 (hinge loss, Adam 2e-4, β = (0.5, 0.999),
        n_dis = 1 for the standard CNN); Lim & Ye, "Geometric GAN", 2017.

    Formula:
        hinge: D minimizes `E[max(0, 1 - D(x))] + E[max(0, 1 + D(G(z)))]`,
        G minimizes `-E[D(G(z))]`; non_saturating: the GAN losses on logits.

    Args:
        generator, discriminator: see `LatentAdversarialModel`.
        loss: `"hinge"` (default) or `"non_saturating"`.
        real_label: with `"non_saturating"`, below 1 is one-sided label smoothing.
        **kwargs: `latent_dim`, `prior`, `num_classes`, `seed`.
    """

    DEFAULT_OPTIMIZER = {
        "class_name": "Adam",
        "config": {"learning_rate": 2e-4, "beta_1": 0.5, "beta_2": 0.999},
    }
    LOSSES = ("hinge", "non_saturating")

    def __init__(self, generator, discriminator, loss="hinge", real_label=1.0, **kwargs):
        super().__init__(generator, discriminator, **kwargs)
        if loss not in self.LOSSES:
            raise ValueError(f"loss must be one of {self.LOSSES}. Received: loss={loss!r}")
        bare = unnormalized_weight_layers(discriminator)
        if bare:
            raise ValueError(
                "SNGAN needs a discriminator whose every weight layer is wrapped in "
                f"keras_gan.layers.SpectralNormalization; in {discriminator.name!r} these are not: "
                f"{', '.join(bare)}."
            )
        self.loss_name = loss
        if float(real_label) != 1.0 and loss != "non_saturating":
            raise ValueError(
                "real_label (label smoothing) applies to loss='non_saturating'. Received: "
                f"loss={loss!r}"
            )
        self.real_label = losses.check_real_label(real_label)

    def get_config(self):
        return {**super().get_config(), "loss": self.loss_name, "real_label": self.real_label}

    def discriminator_loss(self, batch):
        if self.loss_name == "hinge":
            return losses.hinge_discriminator_loss(batch.real_output, batch.fake_output)
        return losses.minimax_discriminator_loss(
            batch.real_output, batch.fake_output, self.real_label
        )

    def generator_loss(self, batch):
        if self.loss_name == "hinge":
            return losses.hinge_generator_loss(batch.fake_output)
        return losses.nonsaturating_generator_loss(batch.fake_output)

    def discriminator_output(self, outputs):
        return outputs if self.loss_name == "hinge" else tf.sigmoid(tf.cast(outputs, tf.float32))
