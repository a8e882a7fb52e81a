"""Ready models from the papers, in one registry: `names()`, `build(name)`, `spec(name)`.

A new preset only needs `register(Preset(...))` in a module imported here;
the contract tests then cover it automatically.
"""

from keras_gan.zoo import biggan, cyclegan, family, fgan, gan, meg, stylegan, wgan  # noqa: F401  (register the presets)
from keras_gan.zoo.registry import Preset, build, names, register, spec

__all__ = ["Preset", "build", "names", "register", "spec"]
