"""keras-gan: generative adversarial networks as Keras 3 models."""

__version__ = "0.1.0"

from keras_gan import callbacks, data, divergences, estimators, layers, losses, metrics, models  # noqa: E402
from keras_gan import regularizers, sampling, schedules, serving  # noqa: E402
from keras_gan.models import (EBGAN, FGAN, GAN, MEG, SAGAN, SNGAN, WGAN, WGANGP, AdversarialModel, BiGAN,  # noqa: E402
                              BigGAN, CycleGAN, InfoGAN, StyleGAN)
from keras_gan.standing import standing_statistics  # noqa: E402

__all__ = [
    "AdversarialModel", "BiGAN", "BigGAN", "CycleGAN", "EBGAN", "FGAN", "GAN", "InfoGAN", "MEG", "SAGAN", "SNGAN",
    "StyleGAN", "WGAN", "WGANGP", "callbacks", "data", "divergences", "estimators", "layers", "losses", "metrics",
    "models", "regularizers", "sampling", "schedules", "serving", "standing_statistics", "__version__",
]
