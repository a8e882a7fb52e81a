"""Presets of the self-attention family: SAGAN and BigGAN (ResNet networks of `networks.biggan`)."""

from keras_gan.models import SAGAN, BigGAN
from keras_gan.zoo.biggan.networks import biggan_networks
from keras_gan.zoo.registry import Preset, adam, register

SAGAN_REF = "Zhang et al., Self-Attention Generative Adversarial Networks, ICML 2019"
BIGGAN_REF = (
    "Brock et al., Large Scale GAN Training for High Fidelity Natural Image Synthesis, ICLR 2019"
)
STUDIOGAN = "PyTorch-StudioGAN src/configs/CIFAR10/{}.yaml and src/config.py defaults"
BIGGAN_PYTORCH_CIFAR = "BigGAN-PyTorch scripts/launch_cifar_ema.sh"
BIGGAN_PYTORCH_128 = "BigGAN-PyTorch scripts/launch_BigGAN_bs256x8.sh"

# MNIST at 28x28: a 7x7 linear map and two upsampling blocks (7 -> 14 -> 28), self-attention at the
# middle resolution (14x14) of both networks; D: two downsampling blocks and one at 7x7.
_MNIST = {
    "image_shape": (28, 28, 1),
    "ch": 32,
    "g_multipliers": (4, 2, 1),
    "d_multipliers": (1, 2, 4),
    "d_downsample": (True, True, False),
    "bottom": 7,
    "attention": 14,
}
# Test size: 8x8 images, two blocks each way, attention at 4x4.
_TINY = {
    "ch": 8,
    "image_shape": (8, 8, 1),
    "bottom": 2,
    "g_multipliers": (2, 2, 1),
    "d_multipliers": (1, 2, 2),
    "d_downsample": (True, True, False),
    "attention": 4,
}
_TINY_RGB = {**_TINY, "image_shape": (8, 8, 3), "d_downsample": (True, True, False)}

register(
    Preset(
        name="sagan-mnist",
        model=SAGAN,
        networks=biggan_networks,
        arch={**_MNIST, "latent_dim": 128},
        model_args={},
        g_optimizer=adam(1e-4, 0.0, 0.9),
        d_optimizer=adam(4e-4, 0.0, 0.9),
        dataset="mnist",
        batch_size=64,
        steps=6000,
        steps_per_epoch=250,
        reference=SAGAN_REF,
        tiny={**_TINY, "latent_dim": 8},
        shared=("latent_dim",),
    )
)
# Class-conditional: a shared 32-d class embedding and z of 96 in three chunks (one for the linear
# map, one per block). Optimization as BigGAN-PyTorch's CIFAR script (2e-4 for both, Adam (0,
# 0.999)) with the paper's two D steps per G step; the EMA (0.999, from step 0) suits a run of a few
# thousand steps.
register(
    Preset(
        name="biggan-mnist",
        model=BigGAN,
        networks=biggan_networks,
        arch={
            **_MNIST,
            "latent_dim": 96,
            "num_classes": 10,
            "shared_dim": 32,
            "hierarchical": True,
        },
        model_args={"ortho_weight": 1e-4, "ema_decay": 0.999, "ema_start": 0},
        g_optimizer=adam(2e-4, 0.0, 0.999),
        d_optimizer=adam(2e-4, 0.0, 0.999),
        n_critic=2,
        dataset="mnist",
        batch_size=64,
        steps=6000,
        steps_per_epoch=250,
        reference=f"{BIGGAN_REF}; {BIGGAN_PYTORCH_CIFAR}",
        tiny={**_TINY, "latent_dim": 6, "shared_dim": 4, "n_critic": 1},
        shared=("latent_dim", "num_classes"),
    )
)
# CIFAR-10 (32x32, TFDS 'cifar10'): StudioGAN's configs. SAGAN: its resnet.py (held to StudioGAN's
# outputs by tests/test_parity.py): ResNet G (4x4 -> 32x32, 4ch wide) and D (2ch wide, shortcuts
# on the ReLU'd input as its in-place ReLU makes them), cBN on the one-hot label and projection,
# attention after G's second and D's first block (16x16), z 128, ch 64, batch 64, 2e-4 for both
# with Adam (0.5, 0.999), five D steps per G step, 100k steps.
_CIFAR = {
    "image_shape": (32, 32, 3),
    "g_multipliers": (4, 4, 4, 4),
    "d_downsample": (True, True, False, False),
    "bottom": 4,
    "attention": 16,
    "num_classes": 10,
    "bn_epsilon": 1e-4,
    "bn_momentum": 0.9,
}
register(
    Preset(
        name="sagan-cifar10",
        model=SAGAN,
        networks=biggan_networks,
        arch={
            **_CIFAR,
            "latent_dim": 128,
            "ch": 64,
            "d_multipliers": (2, 2, 2, 2),
            "d_activated_shortcut": True,
        },
        model_args={},
        g_optimizer=adam(2e-4, 0.5, 0.999),
        d_optimizer=adam(2e-4, 0.5, 0.999),
        n_critic=5,
        dataset="tfds:cifar10",
        batch_size=64,
        steps=100000,
        steps_per_epoch=1000,
        reference=f"{SAGAN_REF}; {STUDIOGAN.format('SAGAN')}",
        tiny={**_TINY_RGB, "latent_dim": 8, "n_critic": 1},
        shared=("latent_dim", "num_classes"),
    )
)
# BigGAN: StudioGAN's BigGAN.yaml architecture (big_resnet.py: z 80 in four chunks, shared
# embedding 128, ch 96, G 4ch and D 2ch wide, attention at 16x16; tests/test_parity.py holds it to
# StudioGAN's outputs, so D's shortcuts take the ReLU'd input as StudioGAN's in-place ReLU makes
# them) with BigGAN-PyTorch's CIFAR optimization (launch_cifar_ema.sh: batch 50,
# four D steps, 2e-4 for both, Adam (0, 0.999), EMA 0.9999 from step 1000, G_ortho 0.0: the
# script turns the orthogonal regularization off at 32x32).
register(
    Preset(
        name="biggan-cifar10",
        model=BigGAN,
        networks=biggan_networks,
        arch={
            **_CIFAR,
            "latent_dim": 80,
            "ch": 96,
            "d_multipliers": (2, 2, 2, 2),
            "d_activated_shortcut": True,
            "shared_dim": 128,
            "hierarchical": True,
        },
        model_args={"ortho_weight": 0.0, "ema_decay": 0.9999, "ema_start": 1000},
        g_optimizer=adam(2e-4, 0.0, 0.999),
        d_optimizer=adam(2e-4, 0.0, 0.999),
        n_critic=4,
        dataset="tfds:cifar10",
        batch_size=50,
        steps=100000,
        steps_per_epoch=1000,
        reference=f"{BIGGAN_REF}; {STUDIOGAN.format('BigGAN')}; {BIGGAN_PYTORCH_CIFAR}",
        tiny={**_TINY_RGB, "latent_dim": 6, "shared_dim": 4, "n_critic": 1},
        shared=("latent_dim", "num_classes"),
    )
)
# ImageNet at 128x128 (TFDS imagenet2012, streamed: data.load("imagenet128")): BigGAN-PyTorch's
# launch_BigGAN_bs256x8.sh, the script of its released model, whose networks tests/test_parity.py
# holds to BigGAN-PyTorch's outputs: G 4x4 -> 128x128 with widths 16, 16, 8, 4, 2, 1 x 96, z 120
# in six chunks, shared embedding 128; D widths 1, 2, 4, 8, 16, 16 x 96, the last block at 4x4,
# shortcuts on the raw input; attention at 64x64 in both; BatchNorm eps 1e-5 and PyTorch's
# momentum 0.1. Optimization as the script: G 1e-4, D 4e-4, Adam (0, 0.999, eps 1e-6), one D step,
# no orthogonal regularization (G_ortho 0.0), EMA 0.9999 from step 20,000, a global batch of 2,048
# (256 x 8 accumulations there; lower --batch-size on less hardware).
register(
    Preset(
        name="biggan-imagenet128",
        model=BigGAN,
        networks=biggan_networks,
        arch={
            "image_shape": (128, 128, 3),
            "latent_dim": 120,
            "ch": 96,
            "g_multipliers": (16, 16, 8, 4, 2, 1),
            "d_multipliers": (1, 2, 4, 8, 16, 16),
            "d_downsample": (True, True, True, True, True, False),
            "bottom": 4,
            "attention": 64,
            "num_classes": 1000,
            "shared_dim": 128,
            "hierarchical": True,
            "bn_epsilon": 1e-5,
            "bn_momentum": 0.9,
        },
        model_args={"ortho_weight": 0.0, "ema_decay": 0.9999, "ema_start": 20000},
        g_optimizer=adam(1e-4, 0.0, 0.999, epsilon=1e-6),
        d_optimizer=adam(4e-4, 0.0, 0.999, epsilon=1e-6),
        dataset="imagenet128",
        batch_size=2048,
        steps=150000,
        steps_per_epoch=1000,
        reference=f"{BIGGAN_REF}; {BIGGAN_PYTORCH_128}",
        tiny={**_TINY_RGB, "latent_dim": 6, "shared_dim": 4, "num_classes": 10},
        shared=("latent_dim", "num_classes"),
    )
)
