"""EBGAN (Zhao et al. 2017): an autoencoder as the discriminator.

`networks`: the builders; `presets`: the registered presets (plain data).
"""

from keras_gan.zoo.ebgan import networks, presets  # noqa: F401  (registers the presets)
