"""Presets of the Wasserstein and Lipschitz family: WGAN, WGAN-GP, SNGAN."""

from keras_gan.models import SNGAN, WGAN, WGANGP
from keras_gan.zoo.gan import mlp_networks
from keras_gan.zoo.networks.dcgan import dcgan_discriminator, dcgan_generator
from keras_gan.zoo.networks.sngan import mnist_cnn, standard_cnn
from keras_gan.zoo.registry import Preset, adam, register

WGAN_REF = "Arjovsky et al., Wasserstein GAN, ICML 2017"
WGAN_GP_REF = "Gulrajani et al., Improved Training of Wasserstein GANs, NeurIPS 2017"
SNGAN_REF = "Miyato et al., Spectral Normalization for GANs, ICLR 2018"

_RMSPROP = {"class_name": "RMSprop", "config": {"learning_rate": 5e-5}}
_GP_ADAM = adam(1e-4, 0.0, 0.9)
_SN_ADAM = adam(2e-4, 0.5, 0.999)
_MLP = {"latent_dim": 2, "width": 256, "depth": 3, "pack": 1}
_TINY_MLP = {"width": 8, "depth": 1}


def critic_dcgan_networks(latent_dim, image_shape, width):
    """DCGAN generator and a DCGAN critic without BatchNorm (for the gradient penalty)."""
    return (
        dcgan_generator(latent_dim, image_shape, width),
        dcgan_discriminator(image_shape, width, batch_norm=False),
    )


# c = 0.05: the paper's 0.01 (chosen for image critics) keeps this 2-D critic too weak
# (BENCHMARKS.md, tuning).
register(
    Preset(
        name="wgan-ring8",
        model=WGAN,
        networks=mlp_networks,
        arch=dict(_MLP),
        model_args={"clip_value": 0.05},
        g_optimizer=_RMSPROP,
        d_optimizer=_RMSPROP,
        n_critic=5,
        dataset="ring8",
        batch_size=64,
        steps=10000,
        steps_per_epoch=500,
        reference=WGAN_REF,
        tiny=dict(_TINY_MLP),
    )
)
# The authors' toy settings (gan_toy.py: lambda 0.1, Adam(1e-4, 0.5, 0.9)); grid25 at 1e-3 decaying
# to 0 (BENCHMARKS.md, tuning).
for _name, _data, _steps, _lr, _decay in (
    ("wgan-gp-ring8", "ring8", 2000, 1e-4, None),
    ("wgan-gp-grid25", "grid25", 8000, 1e-3, 1.0),
):
    register(
        Preset(
            name=_name,
            model=WGANGP,
            networks=mlp_networks,
            arch=dict(_MLP),
            model_args={"gp_weight": 0.1},
            g_optimizer=adam(_lr, 0.5, 0.9),
            d_optimizer=adam(_lr, 0.5, 0.9),
            n_critic=5,
            dataset=_data,
            batch_size=256,
            steps=_steps,
            steps_per_epoch=500,
            reference=WGAN_GP_REF,
            tiny=dict(_TINY_MLP),
            lr_decay=_decay,
        )
    )
register(
    Preset(
        name="wgan-gp-mnist",
        model=WGANGP,
        networks=critic_dcgan_networks,
        arch={"latent_dim": 100, "image_shape": (28, 28, 1), "width": 64},
        model_args={"gp_weight": 10.0},
        g_optimizer=_GP_ADAM,
        d_optimizer=_GP_ADAM,
        n_critic=5,
        dataset="mnist",
        batch_size=64,
        steps=3000,
        steps_per_epoch=250,
        reference=WGAN_GP_REF,
        tiny={"latent_dim": 8, "width": 4},
    )
)
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
    )
)
