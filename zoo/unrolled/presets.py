"""Unrolled GAN presets: the 2-D ring of the paper's Figure 1 (with the GAN it is compared with)
and Stacked MNIST."""

import dataclasses

from keras_gan.models import GAN, UnrolledGAN
from keras_gan.zoo.gan import presets as _gan_presets  # noqa: F401  (registers gan-ring8)
from keras_gan.zoo.gan.networks import dcgan_networks
from keras_gan.zoo.registry import Preset, adam, register, spec
from keras_gan.zoo.unrolled.networks import metz_networks

UNROLLED_REF = (
    "Metz, Poole, Pfau & Sohl-Dickstein, Unrolled Generative Adversarial Networks, ICLR 2017"
)

# The authors' ring demo (poolio/unrolled_gan, Figure 1): their tanh MLPs and z of 256 dimensions,
# batch 512, Adam (beta_1 0.5, epsilon 1e-8) at 1e-3 for G and 1e-4 for D, the saddle objective
# (G minimizes log(1 - D(G(z)))), 5 unrolled steps of D's own Adam, 25,000 steps. The demo draws
# its ring with np.linspace(0, 2 pi, 8), whose first and last means coincide (7 modes); ring8 has
# the 8 of the paper's text.
unrolled_ring8 = register(
    Preset(
        name="unrolled-ring8",
        model=UnrolledGAN,
        networks=metz_networks,
        arch={"latent_dim": 256, "width": 128, "depth": 2, "pack": 1},
        model_args={
            "unroll_steps": 5,
            "unroll_learning_rate": None,
            "unroll_optimizer": "adam",
            "second_order": True,
            "generator_loss": "minimax",
        },
        g_optimizer=adam(1e-3, 0.5, epsilon=1e-8),
        d_optimizer=adam(1e-4, 0.5, epsilon=1e-8),
        dataset="ring8",
        batch_size=512,
        steps=25000,
        steps_per_epoch=500,
        reference=UNROLLED_REF,
        tiny={"latent_dim": 8, "width": 8, "depth": 1, "unroll_steps": 2},
        shared=("latent_dim", "pack"),
    )
)
# The same setting with no unrolling: the GAN of the paper's Figure 1, top row.
register(
    dataclasses.replace(
        unrolled_ring8,
        name="gan-ring8-metz",
        model=GAN,
        model_args={"generator_loss": "minimax"},
        tiny={"latent_dim": 8, "width": 8, "depth": 1},
    )
)
# gan-ring8 (its networks, prior, rates, batch and length, the non-saturating loss) with 5 unrolled
# steps of D's Adam: the unrolling where the GAN alone already draws sharp modes.
register(
    dataclasses.replace(
        spec("gan-ring8"),
        name="unrolled-gan-ring8",
        model=UnrolledGAN,
        model_args={**unrolled_ring8.model_args, "generator_loss": "non_saturating"},
        reference=UNROLLED_REF + "; gan-ring8's setting",
        tiny={"width": 8, "depth": 1, "unroll_steps": 2},
    )
)
# PacGAN's Stacked MNIST test (Table 3): DCGAN networks on three stacked digits, 10 unrolled steps
# of D's own Adam (as the authors' code unrolls).
register(
    Preset(
        name="unrolled-stacked-mnist",
        model=UnrolledGAN,
        networks=dcgan_networks,
        arch={"latent_dim": 100, "image_shape": (28, 28, 3), "width": 64, "pack": 1},
        model_args={
            "unroll_steps": 10,
            "unroll_learning_rate": None,
            "unroll_optimizer": "adam",
            "second_order": True,
        },
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
