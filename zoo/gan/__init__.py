"""The GAN family: GAN on the 2-D mixtures, PacGAN, DCGAN, LSGAN, cGAN.

`networks`: the builders; `presets`: the registered presets (plain data).
"""

from keras_gan.zoo.gan import networks, presets  # noqa: F401  (registers the presets)
