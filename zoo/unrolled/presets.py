"""Unrolled GAN presets: the 2-D ring of the paper's Figure 1 and Stacked MNIST."""

from keras_gan.models import UnrolledGAN
from keras_gan.zoo.gan.networks import dcgan_networks, mlp_networks
from keras_gan.zoo.registry import Preset, adam, register

UNROLLED_REF = (
    "Metz, Poole, Pfau & Sohl-Dickstein, Unrolled Generative Adversarial Networks, ICLR 2017"
)

# gan-ring8's networks, rates and batch, so the two compare on the ring; 10 unrolled steps of
# the discriminator's learning rate, second order.
register(
    Preset(
        name="unrolled-ring8",
        model=UnrolledGAN,
        networks=mlp_networks,
        arch={"latent_dim": 2, "width": 256, "depth": 3, "pack": 1},
        model_args={"unroll_steps": 10, "unroll_learning_rate": 2e-4, "second_order": True},
        g_optimizer=adam(2e-4, 0.5),
        d_optimizer=adam(2e-4, 0.5),
        dataset="ring8",
        batch_size=256,
        steps=6000,
        steps_per_epoch=500,
        reference=UNROLLED_REF,
        tiny={"width": 8, "depth": 1, "unroll_steps": 2},
        shared=("latent_dim", "pack"),
    )
)
# PacGAN's Stacked MNIST test (Table 3): DCGAN networks on three stacked digits, 10 unrolled steps.
register(
    Preset(
        name="unrolled-stacked-mnist",
        model=UnrolledGAN,
        networks=dcgan_networks,
        arch={"latent_dim": 100, "image_shape": (28, 28, 3), "width": 64, "pack": 1},
        model_args={"unroll_steps": 10, "unroll_learning_rate": 2e-4, "second_order": True},
        g_optimizer=adam(2e-4, 0.5),
        d_optimizer=adam(2e-4, 0.5),
        dataset="stacked_mnist",
        batch_size=64,
        steps=3000,
        steps_per_epoch=250,
        reference=UNROLLED_REF + "; Lin et al., PacGAN, NeurIPS 2018 (Stacked MNIST, Table 3)",
        tiny={"latent_dim": 8, "width": 4, "unroll_steps": 2},
        shared=("latent_dim", "pack"),
    )
)
