"""Presets of f-GAN: the 1-D toy for every divergence, and three on MNIST."""

from keras_gan import divergences
from keras_gan.models import FGAN
from keras_gan.zoo.gan.networks import dcgan_networks
from keras_gan.zoo.networks.toy import toy_networks
from keras_gan.zoo.registry import Preset, adam, register

FGAN_REF = "Nowozin et al., f-GAN, NeurIPS 2016"
_PARAMS = {"jensen_shannon_weighted": {"pi": 0.3}, "alpha": {"alpha": 2.0}}

for _div in divergences.names():
    register(
        Preset(
            name=f"fgan-{_div}-mixture1d",
            model=FGAN,
            networks=toy_networks,
            arch={"width": 64, "depth": 2},
            model_args={"divergence": _div, "divergence_params": _PARAMS.get(_div, {})},
            g_optimizer=adam(1e-2, 0.5),
            d_optimizer=adam(1e-3, 0.5),
            dataset="mixture1d",
            batch_size=512,
            steps=3000,
            steps_per_epoch=500,
            reference=FGAN_REF,
            tiny={"width": 8, "depth": 1},
        )
    )

for _div in ("kl", "reverse_kl", "jensen_shannon"):
    register(
        Preset(
            name=f"fgan-{_div}-mnist",
            model=FGAN,
            networks=dcgan_networks,
            arch={"latent_dim": 100, "image_shape": (28, 28, 1), "width": 64},
            model_args={"divergence": _div},
            g_optimizer=adam(2e-4, 0.5),
            d_optimizer=adam(2e-4, 0.5),
            dataset="mnist",
            batch_size=64,
            steps=3000,
            steps_per_epoch=250,
            reference=FGAN_REF,
            tiny={"latent_dim": 8, "width": 4},
            shared=("latent_dim",),
        )
    )
