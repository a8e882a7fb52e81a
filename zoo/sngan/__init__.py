"""SNGAN (Miyato et al. 2018): spectrally normalized standard CNNs with the hinge loss.

`networks`: the builders; `presets`: the registered presets (plain data).
"""

from keras_gan.zoo.sngan import networks, presets  # noqa: F401  (registers the presets)
