"""Layers Keras lacks, one public layer per file."""

from keras_gan.layers.adain import AdaIN
from keras_gan.layers.bias_add import BiasAdd
from keras_gan.layers.conditional_batch_normalization import ConditionalBatchNormalization
from keras_gan.layers.constant_input import ConstantInput
from keras_gan.layers.equalized_conv2d import EqualizedConv2D
from keras_gan.layers.equalized_dense import EqualizedDense
from keras_gan.layers.mapping_network import MappingNetwork
from keras_gan.layers.minibatch_discrimination import MinibatchDiscrimination
from keras_gan.layers.minibatch_stddev import MinibatchStdDev
from keras_gan.layers.noise_injection import NoiseInjection
from keras_gan.layers.projection_head import ProjectionHead
from keras_gan.layers.reference_batch import ReferenceBatch
from keras_gan.layers.reflection_padding import ReflectionPadding2D
from keras_gan.layers.self_attention import SelfAttention2D
from keras_gan.layers.spectral_normalization import SpectralNormalization
from keras_gan.layers.strip_reference import StripReference
from keras_gan.layers.sync_batch_normalization import SyncBatchNormalization
from keras_gan.layers.virtual_batch_normalization import VirtualBatchNormalization

__all__ = [
    "AdaIN",
    "BiasAdd",
    "ConditionalBatchNormalization",
    "ConstantInput",
    "EqualizedConv2D",
    "EqualizedDense",
    "MappingNetwork",
    "MinibatchDiscrimination",
    "MinibatchStdDev",
    "NoiseInjection",
    "ProjectionHead",
    "ReferenceBatch",
    "ReflectionPadding2D",
    "SelfAttention2D",
    "SpectralNormalization",
    "StripReference",
    "SyncBatchNormalization",
    "VirtualBatchNormalization",
]
