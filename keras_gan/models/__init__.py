"""Adversarial schemes, each a `keras.Model` overriding `train_step`."""

from keras_gan.models.base import AdversarialModel
from keras_gan.models.gan import GAN

__all__ = ["AdversarialModel", "GAN"]
