"""MEG (Kumar et al. 2019): energy, generator and statistics networks.

`networks`: the builders; `presets`: the registered presets (plain data).
"""

from keras_gan.zoo.meg import networks, presets  # noqa: F401  (registers the presets)
