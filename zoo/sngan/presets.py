"""SNGAN presets (Miyato et al. 2018): the paper's standard CNNs with hinge loss."""

from keras_gan.models import SNGAN
from keras_gan.zoo.registry import Preset, adam, register
from keras_gan.zoo.sngan.networks import mnist_cnn, standard_cnn

SNGAN_REF = "Miyato et al., Spectral Normalization for GANs, ICLR 2018"
_SN_ADAM = adam(2e-4, 0.5, 0.999)

register(
    Preset(
        name="sngan-mnist",
        model=SNGAN,
        networks=mnist_cnn,
        arch={"latent_dim": 128, "image_shape": (28, 28, 1), "width": 32},
        model_args={"loss": "hinge"},
        g_optimizer=_SN_ADAM,
        d_optimizer=_SN_ADAM,
        n_critic=1,
        dataset="mnist",
        batch_size=64,
        steps=3000,
        steps_per_epoch=250,
        reference=SNGAN_REF,
        tiny={"latent_dim": 8, "width": 4},
        shared=("latent_dim",),
    )
)
register(
    Preset(
        name="sngan-cifar10",
        model=SNGAN,
        networks=standard_cnn,
        arch={"latent_dim": 128, "image_shape": (32, 32, 3), "width": 64},
        model_args={"loss": "hinge"},
        g_optimizer=_SN_ADAM,
        d_optimizer=_SN_ADAM,
        n_critic=1,
        dataset="tfds:cifar10",
        batch_size=64,
        steps=50000,
        steps_per_epoch=500,
        reference=SNGAN_REF,
        tiny={"latent_dim": 8, "width": 4},
        shared=("latent_dim",),
    )
)
