"""Presets of the GAN family: GAN on the 2-D mixtures, DCGAN, LSGAN, cGAN."""

from keras_gan.models import GAN
from keras_gan.zoo.gan.networks import dcgan_networks, mlp_networks
from keras_gan.zoo.registry import Preset, adam, register

GOODFELLOW = "Goodfellow et al., Generative Adversarial Nets, NeurIPS 2014"
DCGAN = (
    "Radford et al., Unsupervised Representation Learning with Deep Convolutional GANs, ICLR 2016"
)
PACGAN = "Lin et al., PacGAN, NeurIPS 2018 (mixture geometry and mode protocol)"


PACGAN_REF = (
    "Lin et al., PacGAN: The power of two samples in generative adversarial networks, "
    f"NeurIPS 2018; {PACGAN}"
)


def _register_2d(name, data, steps, lr, pack=1, lr_decay=None, reference=f"{GOODFELLOW}; {PACGAN}"):
    """A GAN of MLPs (width 256, depth 3, z in 2-D) on a 2-D mixture, Adam (lr, 0.5), batch 256."""
    register(
        Preset(
            name=name,
            model=GAN,
            networks=mlp_networks,
            arch={"latent_dim": 2, "width": 256, "depth": 3, "pack": pack},
            model_args={},
            g_optimizer=adam(lr, 0.5),
            d_optimizer=adam(lr, 0.5),
            dataset=data,
            batch_size=256,
            steps=steps,
            steps_per_epoch=500,
            lr_decay=lr_decay,
            reference=reference,
            tiny={"width": 8, "depth": 1},
            shared=("latent_dim", "pack"),
        )
    )


# Rates and lengths tuned for PacGAN's mode metrics (BENCHMARKS.md, tuning).
_register_2d("gan-ring8", "ring8", 6000, 2e-4)
_register_2d("gan-grid25", "grid25", 12000, 1e-3)
# PacGAN (Lin et al. 2018): packing 2 with both rates decaying to 0 over the second half; the ring
# 12,000 steps, the grid 48,000 at 2e-4 (benchmarks/results/pacgan/README.md: the means over 5 seeds
# against PacGAN's Table 1).
_register_2d("pacgan-ring8", "ring8", 12000, 2e-4, pack=2, lr_decay=0.5, reference=PACGAN_REF)
_register_2d("pacgan-grid25", "grid25", 48000, 2e-4, pack=2, lr_decay=0.5, reference=PACGAN_REF)

_DCGAN_OPT = adam(2e-4, 0.5)
# minibatch_kernels > 0 switches minibatch discrimination on (an override: `minibatch_kernels=100`);
# pack > 1 packing (PacGAN: `pack=2`); vbn_reference > 0 virtual batch normalization in G
# (`vbn_reference=64`).
_MNIST = {
    "latent_dim": 100,
    "image_shape": (28, 28, 1),
    "width": 64,
    "minibatch_kernels": 0,
    "pack": 1,
    "vbn_reference": 0,
}
_TINY_MNIST = {"latent_dim": 8, "width": 4}

# Width 32 and one-sided label smoothing 0.9 drew the most recognizable digits (BENCHMARKS.md,
# tuning).
register(
    Preset(
        name="dcgan-digits",
        model=GAN,
        networks=dcgan_networks,
        arch={"latent_dim": 32, "image_shape": (8, 8, 1), "width": 32},
        model_args={"real_label": 0.9},
        g_optimizer=_DCGAN_OPT,
        d_optimizer=_DCGAN_OPT,
        dataset="digits",
        batch_size=64,
        steps=6000,
        steps_per_epoch=500,
        reference=DCGAN,
        tiny={"latent_dim": 8, "width": 4},
        shared=("latent_dim",),
    )
)
# The TensorFlow tutorial's extra 7x7 block, an EMA generator and 72,000 steps with the rates
# decaying over the second half: classifier FID 1.85, confident 83.9% (BENCHMARKS.md, tuning). The
# EMA's half-life is capped at 5% of the steps done (ema_rampup) so that early previews and scores
# are not the first steps' blobs.
register(
    Preset(
        name="dcgan-mnist",
        model=GAN,
        networks=dcgan_networks,
        arch={**_MNIST, "base_blocks": 1},
        model_args={"ema_decay": 0.999, "ema_rampup": 0.05},
        g_optimizer=_DCGAN_OPT,
        d_optimizer=_DCGAN_OPT,
        dataset="mnist",
        batch_size=64,
        steps=72000,
        steps_per_epoch=250,
        lr_decay=0.5,
        reference=DCGAN,
        tiny=dict(_TINY_MNIST),
        shared=("latent_dim", "pack"),
    )
)
register(
    Preset(
        name="lsgan-mnist",
        model=GAN,
        networks=dcgan_networks,
        arch=dict(_MNIST),
        model_args={"generator_loss": "least_squares", "discriminator_loss": "least_squares"},
        g_optimizer=_DCGAN_OPT,
        d_optimizer=_DCGAN_OPT,
        dataset="mnist",
        batch_size=64,
        steps=3000,
        steps_per_epoch=250,
        reference="Mao et al., Least Squares Generative Adversarial Networks, ICCV 2017; " + DCGAN,
        tiny=dict(_TINY_MNIST),
        shared=("latent_dim", "pack"),
    )
)
register(
    Preset(
        name="cgan-mnist",
        model=GAN,
        networks=dcgan_networks,
        arch={**_MNIST, "num_classes": 10},
        model_args={},
        g_optimizer=_DCGAN_OPT,
        d_optimizer=_DCGAN_OPT,
        dataset="mnist",
        batch_size=64,
        steps=3000,
        steps_per_epoch=250,
        reference="Mirza & Osindero, Conditional Generative Adversarial Nets, 2014; " + DCGAN,
        tiny=dict(_TINY_MNIST),
        shared=("latent_dim", "pack", "num_classes"),
    )
)
