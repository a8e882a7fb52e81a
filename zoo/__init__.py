"""Ready models from the papers, in one registry: `names()`, `build(name)`, `spec(name)`.

One package per family (`gan`, `fgan`, `wgan`, `sngan`, `biggan`, `stylegan`, `cyclegan`,
`meg`, `infogan`, `bigan`, `ebgan`), each with its network builders (`networks`) and its presets
as plain data (`presets`); `networks/` holds the blocks several families share (MLPs, DCGAN, the
1-D toy). A new preset only needs `register(Preset(...))` in a family's `presets`; the contract
tests then cover it automatically.
"""

from keras_gan.zoo import (  # noqa: F401  (register the presets)
    bigan,
    biggan,
    cyclegan,
    ebgan,
    fgan,
    gan,
    infogan,
    meg,
    sngan,
    stylegan,
    unrolled,
    wgan,
)
from keras_gan.zoo.registry import Preset, build, names, register, spec

__all__ = ["Preset", "build", "names", "register", "spec"]
