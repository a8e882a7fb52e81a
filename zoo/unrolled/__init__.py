"""Unrolled GAN (Metz et al. 2017): the GAN family's networks, the generator trained against an
unrolled discriminator.

`presets`: the registered presets (plain data); the networks are the GAN family's.
"""

from keras_gan.zoo.unrolled import presets  # noqa: F401  (registers the presets)
