"""keras-gan: generative adversarial networks as Keras 3 models."""

__version__ = "0.1.0"

from keras_gan import callbacks, data, divergences, estimators, layers, losses, metrics, models  # noqa: E402
from keras_gan import regularizers, sampling, schedules, serving  # noqa: E402
from keras_gan.models import FGAN, GAN, MEG, SNGAN, WGAN, WGANGP, AdversarialModel, CycleGAN  # noqa: E402

__all__ = [
    "AdversarialModel", "CycleGAN", "FGAN", "GAN", "MEG", "SNGAN", "WGAN", "WGANGP", "callbacks", "data", "divergences",
    "estimators", "layers", "losses", "metrics", "models", "regularizers", "sampling", "schedules", "serving", "__version__",
]
