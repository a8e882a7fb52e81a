"""Presets of StyleGAN at a fixed resolution (no progressive growing; see `networks.stylegan`)."""

from keras_gan.models import StyleGAN
from keras_gan.zoo.networks.stylegan import stylegan_networks
from keras_gan.zoo.registry import Preset, adam, register

STYLEGAN_REF = ("Karras et al., A Style-Based Generator Architecture for GANs, CVPR 2019 (NVlabs/stylegan); "
                "lazy R1 of Karras et al. 2020 (NVlabs/stylegan2-ada)")
_ADAM = adam(1e-3, 0.0, 0.99)

# 32x32 (MNIST padded with background): 8 layers of styles; widths 128 at 4-8, 64 at 16, 32 at 32 (channel_base
# 1024) to fit 2 CPU cores; the paper's gamma of 10 (a run with StyleGAN2-ADA's 'auto' 0.0002 * res^2 / batch
# = 0.0064 drew one shape for every z up to step 1,750 and was stopped: benchmarks/results/stylegan/README.md).
register(Preset(
    name="stylegan-mnist", model=StyleGAN, networks=stylegan_networks,
    arch={"z_dim": 128, "w_dim": 128, "image_shape": (32, 32, 1), "channel_base": 1024, "channel_max": 128,
          "mapping_depth": 8, "group_size": 4},
    model_args={"r1_gamma": 10.0, "r1_interval": 16, "mixing_prob": 0.9, "ema_decay": 0.999},
    g_optimizer=dict(_ADAM), d_optimizer=dict(_ADAM),
    dataset="mnist32", batch_size=32, steps=6000, steps_per_epoch=250, reference=STYLEGAN_REF,
    tiny={"z_dim": 8, "w_dim": 8, "image_shape": (8, 8, 1), "channel_base": 64, "channel_max": 8,
          "mapping_depth": 2, "group_size": 2},
))
# 64x64 faces (TFDS celeb_a, centre crop 178, as `data.load("celeba64")`): 10 layers of styles, z = w = 256.
register(Preset(
    name="stylegan-celeba64", model=StyleGAN, networks=stylegan_networks,
    arch={"z_dim": 256, "w_dim": 256, "image_shape": (64, 64, 3), "channel_base": 8192, "channel_max": 256,
          "mapping_depth": 8, "group_size": 4},
    model_args={"r1_gamma": 10.0, "r1_interval": 16, "mixing_prob": 0.9, "ema_decay": 0.999},
    g_optimizer=dict(_ADAM), d_optimizer=dict(_ADAM),
    dataset="celeba64", batch_size=32, steps=100000, steps_per_epoch=1000, reference=STYLEGAN_REF,
    tiny={"z_dim": 8, "w_dim": 8, "image_shape": (8, 8, 3), "channel_base": 64, "channel_max": 8,
          "mapping_depth": 2, "group_size": 2},
))
