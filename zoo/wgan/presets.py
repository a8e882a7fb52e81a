"""WGAN (weight clipping) and WGAN-GP (gradient penalty) presets."""

from keras_gan.models import WGAN, WGANGP
from keras_gan.zoo.gan.networks import mlp_networks
from keras_gan.zoo.registry import Preset, adam, register
from keras_gan.zoo.wgan.networks import critic_dcgan_networks

WGAN_REF = "Arjovsky et al., Wasserstein GAN, ICML 2017"
WGAN_GP_REF = "Gulrajani et al., Improved Training of Wasserstein GANs, NeurIPS 2017"

_RMSPROP = {"class_name": "RMSprop", "config": {"learning_rate": 5e-5}}
_GP_ADAM = adam(1e-4, 0.0, 0.9)
_MLP = {"latent_dim": 2, "width": 256, "depth": 3, "pack": 1}
_TINY_MLP = {"width": 8, "depth": 1}


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
        shared=("latent_dim", "pack"),
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
            shared=("latent_dim", "pack"),
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
        shared=("latent_dim",),
    )
)
