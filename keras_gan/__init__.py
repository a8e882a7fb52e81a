"""keras-gan: generative adversarial networks as Keras 3 models."""

__version__ = "0.1.0"

from keras_gan import data, losses, models  # noqa: E402
from keras_gan.models import GAN, AdversarialModel  # noqa: E402

__all__ = ["AdversarialModel", "GAN", "data", "losses", "models", "__version__"]
