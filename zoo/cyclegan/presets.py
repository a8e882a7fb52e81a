"""CycleGAN presets: the built-in digit pairs with a known ground truth, and horse2zebra."""

from keras_gan.models import CycleGAN
from keras_gan.zoo.cyclegan.networks import cyclegan_networks
from keras_gan.zoo.registry import Preset, adam, register

CYCLEGAN = (
    "Zhu et al., Unpaired Image-to-Image Translation using Cycle-Consistent Adversarial Networks, "
    "ICCV 2017 (junyanz/pytorch-CycleGAN-and-pix2pix)"
)
_OPT = adam(2e-4, 0.5)
_MODEL = {"cycle_weight": 10.0, "identity_weight": 0.5, "pool_size": 50}
_TINY = {"width": 4, "blocks": 1, "d_width": 4, "d_layers": 1}


def _register(
    name,
    image_shape,
    blocks,
    d_layers,
    dataset,
    batch_size,
    steps,
    steps_per_epoch,
    width=32,
    tiny=None,
):
    register(
        Preset(
            name=name,
            model=CycleGAN,
            networks=cyclegan_networks,
            arch={
                "image_shape": image_shape,
                "width": width,
                "blocks": blocks,
                "downsamplings": 2,
                "d_width": width,
                "d_layers": d_layers,
            },
            model_args=dict(_MODEL),
            g_optimizer=_OPT,
            d_optimizer=_OPT,
            dataset=dataset,
            batch_size=batch_size,
            steps=steps,
            steps_per_epoch=steps_per_epoch,
            lr_decay=0.5,
            reference=CYCLEGAN,
            tiny=dict(tiny or _TINY),
        )
    )


# The built-in pairs (`keras_gan.data.PAIRS`): domain B is domain A's digits
# inverted and rotated by 90 degrees (or, with `--data digits_tone_pair` /
# `mnist_tone_pair`, inverted through a tone curve), drawn from a disjoint part
# of the images, so the ground truth of every translation is known. Small images, so fewer
# residual blocks and a smaller PatchGAN than at 256x256; a batch of 16
# instead of the authors' 1 keeps two CPU cores busy.
_register(
    "cyclegan-digits",
    (8, 8, 1),
    blocks=3,
    d_layers=1,
    dataset="digits_pair",
    batch_size=16,
    steps=6000,
    steps_per_epoch=250,
)
_register(
    "cyclegan-mnist",
    (28, 28, 1),
    blocks=6,
    d_layers=2,
    dataset="mnist_pair",
    batch_size=16,
    steps=4000,
    steps_per_epoch=250,
)
# The authors' horse2zebra settings: 256x256, batch 1, 9 blocks, 70x70 PatchGAN,
# 100 epochs at 2e-4 and 100 decaying to 0 (an epoch: the 1,334 zebras).
_register(
    "cyclegan-horse2zebra",
    (256, 256, 3),
    blocks=9,
    d_layers=3,
    dataset="tfds:cycle_gan/horse2zebra",
    batch_size=1,
    steps=266800,
    steps_per_epoch=1334,
    width=64,
    tiny={**_TINY, "image_shape": (8, 8, 3)},
)
