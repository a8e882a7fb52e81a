"""CycleGAN presets: the built-in digit pairs with a known ground truth, and horse2zebra."""

from keras_gan.models import CycleGAN
from keras_gan.zoo.networks.cyclegan import cyclegan_networks
from keras_gan.zoo.registry import Preset, adam, register

CYCLEGAN = ("Zhu et al., Unpaired Image-to-Image Translation using Cycle-Consistent Adversarial Networks, "
            "ICCV 2017 (junyanz/pytorch-CycleGAN-and-pix2pix)")
_OPT = adam(2e-4, 0.5)
_MODEL = {"cycle_weight": 10.0, "identity_weight": 0.5, "pool_size": 50}
_TINY = {"width": 4, "blocks": 1, "d_width": 4, "d_layers": 1}

# The built-in pairs (`keras_gan.data.PAIRS`): domain B is domain A's digits
# inverted and rotated by 90 degrees, drawn from a disjoint half of the images,
# so the ground truth of every translation is known. Small images, so fewer
# residual blocks and a smaller PatchGAN than at 256x256; a batch of 16
# instead of the authors' 1 keeps two CPU cores busy.
register(Preset(
    name="cyclegan-digits", model=CycleGAN, networks=cyclegan_networks,
    arch={"image_shape": (8, 8, 1), "width": 32, "blocks": 3, "downsamplings": 2, "d_width": 32, "d_layers": 1},
    model_args=dict(_MODEL), g_optimizer=_OPT, d_optimizer=_OPT,
    dataset="digits_pair", batch_size=16, steps=6000, steps_per_epoch=250, lr_decay=0.5,
    reference=CYCLEGAN, tiny=dict(_TINY),
))
register(Preset(
    name="cyclegan-mnist", model=CycleGAN, networks=cyclegan_networks,
    arch={"image_shape": (28, 28, 1), "width": 32, "blocks": 6, "downsamplings": 2, "d_width": 32, "d_layers": 2},
    model_args=dict(_MODEL), g_optimizer=_OPT, d_optimizer=_OPT,
    dataset="mnist_pair", batch_size=16, steps=4000, steps_per_epoch=250, lr_decay=0.5,
    reference=CYCLEGAN, tiny=dict(_TINY),
))
# The authors' horse2zebra settings: 256x256, batch 1, 9 blocks, 70x70 PatchGAN,
# 100 epochs at 2e-4 and 100 decaying to 0 (an epoch: the 1,334 zebras).
register(Preset(
    name="cyclegan-horse2zebra", model=CycleGAN, networks=cyclegan_networks,
    arch={"image_shape": (256, 256, 3), "width": 64, "blocks": 9, "downsamplings": 2, "d_width": 64,
          "d_layers": 3},
    model_args=dict(_MODEL), g_optimizer=_OPT, d_optimizer=_OPT,
    dataset="tfds:cycle_gan/horse2zebra", batch_size=1, steps=266800, steps_per_epoch=1334, lr_decay=0.5,
    reference=CYCLEGAN, tiny={**_TINY, "image_shape": (8, 8, 3)},
))
