"""StyleGAN (Karras et al. 2019): mapping network, AdaIN synthesis, R1.

`networks`: the builders; `presets`: the registered presets (plain data).
"""

from keras_gan.zoo.stylegan import networks, presets  # noqa: F401  (registers the presets)
