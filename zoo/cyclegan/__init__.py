"""CycleGAN (Zhu et al. 2017): ResNet translators and PatchGAN discriminators.

`networks`: the builders; `presets`: the registered presets (plain data).
"""

from keras_gan.zoo.cyclegan import networks, presets  # noqa: F401  (registers the presets)
