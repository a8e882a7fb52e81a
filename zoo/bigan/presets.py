"""BiGAN presets (Donahue et al. 2017): the authors' permutation-invariant MNIST run, and the 2-D
mixtures beside PacGAN's ALI row."""

import dataclasses

from keras_gan.models import BiGAN
from keras_gan.zoo.bigan.networks import bigan_2d_networks, bigan_mlp_networks
from keras_gan.zoo.gan import presets as _gan_presets  # noqa: F401  (registers gan-ring8, gan-grid25)
from keras_gan.zoo.registry import Preset, adam, register, spec

BIGAN_REF = (
    "Donahue et al., Adversarial Feature Learning, ICLR 2017; jeffdonahue/bigan train_mnist.sh"
)

# The authors' permutation-invariant MNIST BiGAN: z ~ U[-1, 1]^50, fully connected networks of 1024
# units, Adam 2e-4 with beta_1 0.5, batch 128 (their 400 epochs of 60,000 images are far beyond this
# CPU).
register(
    Preset(
        name="bigan-mnist",
        model=BiGAN,
        networks=bigan_mlp_networks,
        arch={"latent_dim": 50, "image_shape": (28, 28, 1), "width": 1024},
        model_args={"prior": "uniform"},
        g_optimizer=adam(2e-4, 0.5),
        d_optimizer=adam(2e-4, 0.5),
        dataset="mnist",
        batch_size=128,
        steps=5000,
        steps_per_epoch=100,
        reference=BIGAN_REF,
        tiny={"latent_dim": 4, "width": 8},
        jit_compile=True,  # 1.27x the images per CPU-second without XLA (BENCHMARKS.md, speed)
        shared=("latent_dim",),
    )
)

ALI_REF = (
    "Dumoulin et al., Adversarially Learned Inference, ICLR 2017; Lin et al., PacGAN, NeurIPS 2018 "
    "(Table 1: ALI on the 2-D mixtures)"
)
# BiGAN (= ALI) on the 2-D mixtures: gan-ring8 and gan-grid25 with the scheme changed (the same
# generator, width, depth, prior, rates, batch and lengths; an encoder, and the discriminator on
# [x, z]), so the scheme is the only difference from the GAN rows.
for _data in ("ring8", "grid25"):
    _gan = spec(f"gan-{_data}")
    register(
        dataclasses.replace(
            _gan,
            name=f"bigan-{_data}",
            model=BiGAN,
            networks=bigan_2d_networks,
            arch={k: v for k, v in _gan.arch.items() if k != "pack"},
            reference=f"{BIGAN_REF}; {ALI_REF}",
            shared=("latent_dim",),
        )
    )
