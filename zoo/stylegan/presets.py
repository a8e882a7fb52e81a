"""StyleGAN presets at a fixed resolution (no progressive growing; see `networks`)."""

from keras_gan.models import StyleGAN
from keras_gan.zoo.registry import Preset, adam, register
from keras_gan.zoo.stylegan.networks import stylegan_networks

STYLEGAN_REF = (
    "Karras et al., A Style-Based Generator Architecture for GANs, CVPR 2019 (NVlabs/stylegan); "
    "lazy R1 of Karras et al. 2020 (NVlabs/stylegan2-ada)"
)
_ADAM = adam(1e-3, 0.0, 0.99)

_MODEL = {"r1_gamma": 10.0, "r1_interval": 16, "mixing_prob": 0.9}
# The served average has a half-life of 10,000 images (StyleGAN's G_smoothing_kimg = 10), capped at
# 5% of the images seen (stylegan2-ada's ema_rampup = 0.05).
_EMA_IMAGES, _EMA_RAMPUP = 10_000, 0.05
_TINY = {
    "z_dim": 8,
    "w_dim": 8,
    "channel_base": 64,
    "channel_max": 8,
    "mapping_depth": 2,
    "group_size": 2,
}


def _register(
    name,
    side,
    channels,
    dim,
    channel_base,
    channel_max,
    dataset,
    batch_size,
    steps,
    steps_per_epoch,
):
    register(
        Preset(
            name=name,
            model=StyleGAN,
            networks=stylegan_networks,
            arch={
                "z_dim": dim,
                "w_dim": dim,
                "image_shape": (side, side, channels),
                "channel_base": channel_base,
                "channel_max": channel_max,
                "mapping_depth": 8,
                "group_size": 4,
            },
            model_args={
                **_MODEL,
                "ema_decay": 0.5 ** (batch_size / _EMA_IMAGES),
                "ema_rampup": _EMA_RAMPUP,
            },
            g_optimizer=dict(_ADAM),
            d_optimizer=dict(_ADAM),
            dataset=dataset,
            batch_size=batch_size,
            steps=steps,
            steps_per_epoch=steps_per_epoch,
            reference=STYLEGAN_REF,
            tiny={**_TINY, "image_shape": (8, 8, channels)},
        )
    )


# MNIST padded to 32x32, channel_base 1024 (widths 128/64/32) for two CPU cores, the paper's R1
# gamma of 10 (why not StyleGAN2-ADA's 'auto' gamma: benchmarks/results/stylegan/README.md).
_register("stylegan-mnist", 32, 1, 128, 1024, 128, "mnist32", 32, 6000, 250)
# 64x64 faces (TFDS celeb_a, centre crop 178: data.load("celeba64")), 10 style layers, z = w = 256.
_register("stylegan-celeba64", 64, 3, 256, 8192, 256, "celeba64", 32, 100000, 1000)
