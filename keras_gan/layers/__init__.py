"""Layers Keras lacks, one public layer per file."""

from keras_gan.layers.reflection_padding import ReflectionPadding2D
from keras_gan.layers.spectral_normalization import SpectralNormalization
from keras_gan.layers.sync_batch_normalization import SyncBatchNormalization

__all__ = ["ReflectionPadding2D", "SpectralNormalization", "SyncBatchNormalization"]
