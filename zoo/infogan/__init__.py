"""InfoGAN (Chen et al. 2016): a generator of noise and codes, a discriminator with a Q head.

`networks`: the builders; `presets`: the registered presets (plain data).
"""

from keras_gan.zoo.infogan import networks, presets  # noqa: F401  (registers the presets)
