"""Unrolled GAN (Metz et al. 2017): the generator trained against an unrolled discriminator.

`networks`: the authors' 2-D tanh MLPs (their ring demo); Stacked MNIST takes the GAN family's
DCGAN networks. `presets`: the registered presets (plain data).
"""

from keras_gan.zoo.unrolled import presets  # noqa: F401  (registers the presets)
