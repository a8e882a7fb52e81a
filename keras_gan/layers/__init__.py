"""Layers Keras lacks, one public layer per file."""

from keras_gan.layers.conditional_batch_normalization import ConditionalBatchNormalization
from keras_gan.layers.minibatch_discrimination import MinibatchDiscrimination
from keras_gan.layers.projection_head import ProjectionHead
from keras_gan.layers.reflection_padding import ReflectionPadding2D
from keras_gan.layers.self_attention import SelfAttention2D
from keras_gan.layers.spectral_normalization import SpectralNormalization
from keras_gan.layers.sync_batch_normalization import SyncBatchNormalization
from keras_gan.layers.virtual_batch_normalization import VirtualBatchNormalization

__all__ = ["ConditionalBatchNormalization", "MinibatchDiscrimination", "ProjectionHead", "ReflectionPadding2D",
           "SelfAttention2D", "SpectralNormalization", "SyncBatchNormalization", "VirtualBatchNormalization"]
