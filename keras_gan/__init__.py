"""keras-gan: generative adversarial networks as Keras 3 models."""

__version__ = "0.1.0"

from keras_gan import callbacks, data, divergences, layers, losses, metrics, models, regularizers  # noqa: E402
from keras_gan.models import FGAN, GAN, SNGAN, WGAN, WGANGP, AdversarialModel  # noqa: E402

__all__ = [
    "AdversarialModel", "FGAN", "GAN", "SNGAN", "WGAN", "WGANGP", "callbacks", "data", "divergences", "layers", "losses",
    "metrics", "models", "regularizers", "__version__",
]
