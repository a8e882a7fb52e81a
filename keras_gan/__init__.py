"""keras-gan: generative adversarial networks as Keras 3 models.

`import keras_gan` imports the whole public API (and TensorFlow), which also
registers every layer and model with Keras's serialization, so that
`keras.saving.load_model` reads our `.keras` files. The one exception is the
`keras-gan` command: it answers `--help` and argument errors without importing
TensorFlow, and imports the API (`_import_all`) once a command needs it.
"""

import os as _os
import sys as _sys

__version__ = "0.1.0"

__all__ = [
    "AdversarialModel",
    "BiGAN",
    "BigGAN",
    "CycleGAN",
    "EBGAN",
    "FGAN",
    "GAN",
    "InfoGAN",
    "MEG",
    "SAGAN",
    "SNGAN",
    "StyleGAN",
    "WGAN",
    "WGANGP",
    "callbacks",
    "data",
    "divergences",
    "estimators",
    "latent",
    "layers",
    "losses",
    "metrics",
    "models",
    "projection",
    "regularizers",
    "runs",
    "sampling",
    "schedules",
    "serving",
    "standing_statistics",
    "__version__",
]


_MODULES = (
    "callbacks",
    "data",
    "divergences",
    "estimators",
    "latent",
    "layers",
    "losses",
    "metrics",
    "models",
    "projection",
    "regularizers",
    "runs",
    "sampling",
    "schedules",
    "serving",
)


_importing = False


def _import_all():
    """Imports the public API into this module (and TensorFlow with it)."""
    import importlib

    global _importing
    if _importing:
        return
    # meanwhile, `from keras_gan import x` in our modules imports submodule x itself
    _importing = True
    try:
        namespace = globals()
        for module in _MODULES:
            namespace[module] = importlib.import_module(f"keras_gan.{module}")
        for name in __all__:
            if name not in namespace:
                namespace[name] = getattr(namespace["models"], name, None) or getattr(
                    importlib.import_module("keras_gan.standing"), name
                )
    finally:
        _importing = False


def __getattr__(name):  # PEP 562: reached while the command line has not imported the API yet
    if name in __all__ and not _importing:
        _import_all()
        return globals()[name]
    raise AttributeError(f"module 'keras_gan' has no attribute {name!r}")


def _started_as_command():
    """True while the `keras-gan` script (or `python -m keras_gan.cli`) imports this package."""
    return (
        _os.path.basename(_sys.argv[0]) in ("keras-gan", "keras-gan.exe", "-m")
        if _sys.argv
        else False
    )


if not _started_as_command():
    _import_all()
