"""Unrolled GAN presets: the 2-D ring of the paper's Figure 1 and Stacked MNIST with a shrunk
discriminator (Table 2), each with the GAN (and PacGAN) it is compared with."""

import dataclasses

from keras_gan.models import GAN, UnrolledGAN
from keras_gan.zoo.gan import presets as _gan_presets  # noqa: F401  (registers gan-ring8)
from keras_gan.zoo.registry import Preset, adam, register, spec
from keras_gan.zoo.unrolled.networks import metz_networks, metz_stacked_networks

UNROLLED_REF = (
    "Metz, Poole, Pfau & Sohl-Dickstein, Unrolled Generative Adversarial Networks, ICLR 2017"
)
PACGAN_TABLE3 = "Lin et al., PacGAN, NeurIPS 2018 (Stacked MNIST, Table 3)"

# The authors' ring demo (poolio/unrolled_gan, Figure 1): their tanh MLPs and z of 256 dimensions,
# batch 512, Adam (beta_1 0.5, epsilon 1e-8) at 1e-3 for G and 1e-4 for D, the saddle objective
# (G minimizes log(1 - D(G(z)))), 5 unrolled steps of D's own Adam, 25,000 steps, G's and D's
# updates taken from the same weights (one grouped op; the demo also feeds both the same latents,
# keras-gan draws G's apart). The demo draws its ring with
# np.linspace(0, 2 pi, 8), whose first and last means coincide (7 modes); ring8 has the 8 of the
# paper's text. The notebook says its networks and settings are not the paper's.
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
            "simultaneous": True,
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
        model_args={"generator_loss": "minimax", "simultaneous": True},
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
        model_args={
            **unrolled_ring8.model_args,
            "generator_loss": "non_saturating",
            "simultaneous": False,
        },
        reference=UNROLLED_REF + "; gan-ring8's setting",
        tiny={"width": 8, "depth": 1, "unroll_steps": 2},
    )
)
# Stacked MNIST with a shrunk discriminator (Metz et al., Table 2; PacGAN, Table 3) as PacGAN's
# code runs it (fjxmlzn/PacGAN, stacked_MNIST_experiments/unrolled_GAN_experiment): the paper's
# small networks, D 1/4 of G's size (d_width 2; 4 for 1/2), z of 256, batch 128, Adam (beta_1 0.5,
# beta_2 0.99, epsilon 1e-8) at 1e-4 for G and 2e-4 for D, 500,000 updates.
_STACKED = Preset(
    name="gan-stacked-mnist-metz",
    model=GAN,
    networks=metz_stacked_networks,
    arch={"latent_dim": 256, "image_shape": (28, 28, 3), "width": 64, "d_width": 2, "pack": 1},
    model_args={},
    g_optimizer=adam(1e-4, 0.5, 0.99, epsilon=1e-8),
    d_optimizer=adam(2e-4, 0.5, 0.99, epsilon=1e-8),
    dataset="stacked_mnist",
    batch_size=128,
    steps=500000,
    steps_per_epoch=1000,
    reference=UNROLLED_REF + " (Table 2); " + PACGAN_TABLE3,
    tiny={"latent_dim": 8, "width": 8, "d_width": 1},
    shared=("latent_dim", "pack"),
)
register(_STACKED)
# PacDCGAN4 of PacGAN's Table 3: D judges 4 samples at once; a batch of 512 gives it 128 packs, as
# PacGAN's code (128 packs of 4 per update).
register(
    dataclasses.replace(
        _STACKED,
        name="pacgan4-stacked-mnist-metz",
        arch={**_STACKED.arch, "pack": 4},
        batch_size=512,
        reference=PACGAN_TABLE3,
    )
)
# The unrolled GAN of Metz et al.'s Table 2: the same setting, 10 unrolled steps of D's own Adam
# (as the authors' code unrolls).
register(
    dataclasses.replace(
        _STACKED,
        name="unrolled-stacked-mnist",
        model=UnrolledGAN,
        model_args={
            "unroll_steps": 10,
            "unroll_learning_rate": None,
            "unroll_optimizer": "adam",
            "second_order": True,
        },
        tiny={**_STACKED.tiny, "unroll_steps": 2},
    )
)
