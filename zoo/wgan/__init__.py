"""WGAN (weight clipping) and WGAN-GP (gradient penalty).

`networks`: the builders; `presets`: the registered presets (plain data).
"""

from keras_gan.zoo.wgan import networks, presets  # noqa: F401  (registers the presets)
