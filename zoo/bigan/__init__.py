"""BiGAN (Donahue et al. 2017): generator, encoder and a joint discriminator.

`networks`: the builders; `presets`: the registered presets (plain data).
"""

from keras_gan.zoo.bigan import networks, presets  # noqa: F401  (registers the presets)
