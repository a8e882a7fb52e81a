"""The parity table of tests/test_parity.py with its figures: per fixture of the authors' code,
the max relative difference of keras-gan's outputs (max |ours - theirs| / max |theirs|) and the
full-size parameter counts.

    python -m benchmarks.experiments.parity_table

The tests assert < 1e-5; this prints the values they hold to.
"""

import json

import numpy as np

from keras_gan import zoo
from keras_gan.convert import biggan_pytorch, cyclegan
from tests.test_parity import CASES, FIXTURES, _relative, _state


def _row(name, network, ours, theirs, params):
    print(f"| {name} | {network} | {params:,} | {_relative(ours, theirs):.1e} |")


def main():
    print("| fixture | network | parameters (full size, = the reference's) | max rel. diff |")
    print("| --- | --- | --- | --- |")
    for name, (preset, overrides, (load_g, load_d), counts) in sorted(CASES.items()):
        arrays = np.load(FIXTURES / f"{name}.npz")
        info = json.loads((FIXTURES / f"{name}.json").read_text())
        model = zoo.build(preset, **overrides(*info["small_args"]))
        generator = model.network_to_save("generator")
        load_g(_state(arrays, "g/"), generator)
        load_d(_state(arrays, "d/"), model.discriminator)
        images = generator([arrays["z"], arrays["labels"]], training=False).numpy()
        _row(name, "G", images, arrays["images"].transpose(0, 2, 3, 1), counts[0])
        for key, x in (("scores", arrays["x"]), ("fake_scores", arrays["images"])):
            inputs = [x.transpose(0, 2, 3, 1), arrays["labels"]]
            scores = model.discriminator(inputs, training=False).numpy()[:, 0]
            _row(name, f"D ({key})", scores, arrays[key], counts[1])
    arrays = np.load(FIXTURES / "biggan_pytorch_128.npz")
    info = json.loads((FIXTURES / "biggan_pytorch_128.json").read_text())
    small = info["small_args"]
    model = zoo.build("biggan-imagenet128", ch=small["G_ch"], shared_dim=small["shared_dim"])
    generator = model.network_to_save("generator")
    biggan_pytorch.load_generator(_state(arrays, "g/"), generator)
    images = generator([arrays["z"], arrays["labels"]], training=False).numpy()
    theirs = arrays["images"].transpose(0, 2, 3, 1)
    _row("biggan_pytorch_128", "G", images, theirs, info["generator_parameters"])
    arrays = np.load(FIXTURES / "biggan_pytorch_128_d.npz")
    info = json.loads((FIXTURES / "biggan_pytorch_128_d.json").read_text())
    biggan_pytorch.load_discriminator(_state(arrays, "d/"), model.discriminator)
    inputs = [arrays["x"].transpose(0, 2, 3, 1), arrays["labels"]]
    scores = model.discriminator(inputs, training=False).numpy()
    _row("biggan_pytorch_128_d", "D", scores, arrays["scores"], info["discriminator_parameters"])
    arrays = np.load(FIXTURES / "cyclegan_resnet9_patchgan.npz")
    info = json.loads((FIXTURES / "cyclegan_resnet9_patchgan.json").read_text())
    small = info["small_args"]
    model = zoo.build(
        "cyclegan-horse2zebra", image_shape=(32, 32, 3), width=small["ngf"], d_width=small["ndf"]
    )
    x = arrays["x"].transpose(0, 2, 3, 1)
    for prefix, load, network, key, count in (
        ("g/", cyclegan.load_generator, model.generator_ab, "images", "generator_parameters"),
        (
            "d/",
            cyclegan.load_discriminator,
            model.discriminator_b,
            "scores",
            "discriminator_parameters",
        ),
    ):
        load(_state(arrays, prefix), network)
        ours = network(x, training=False).numpy()
        theirs = arrays[key].transpose(0, 2, 3, 1)
        _row("cyclegan_resnet9_patchgan", key, ours, theirs, info[count])


if __name__ == "__main__":
    main()
