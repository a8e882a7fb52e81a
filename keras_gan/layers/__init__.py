"""Layers Keras lacks, one public layer per file."""

from keras_gan.layers.spectral_normalization import SpectralNormalization

__all__ = ["SpectralNormalization"]
