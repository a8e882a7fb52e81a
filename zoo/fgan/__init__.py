"""f-GAN (Nowozin et al. 2016): one preset per f-divergence, on a 1-D mixture and on MNIST.

`presets`: the registered presets (plain data); its networks are the GAN family's and
`keras_gan.zoo.networks.toy`'s.
"""

from keras_gan.zoo.fgan import presets  # noqa: F401  (registers the presets)
