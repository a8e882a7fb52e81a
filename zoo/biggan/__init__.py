"""SAGAN and BigGAN: ResNet networks with self-attention, conditional BatchNorm and projection.

`networks`: the builders; `presets`: the registered presets (plain data).
"""

from keras_gan.zoo.biggan import networks, presets  # noqa: F401  (registers the presets)
