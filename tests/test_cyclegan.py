"""CycleGAN: its losses against NumPy, the pools under replicas and checkpoints, the unpaired
loader, and both translation signatures in a fresh process."""

import os
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf

from keras_gan import checkpoints, data, export
from keras_gan.metrics.translation import pair_translation_errors
from tests.harness import build_tiny, fit_single_and_mirrored, synthetic_dataset

NAME = "cyclegan-digits"
SGD0 = {"class_name": "SGD", "config": {"learning_rate": 0.0}}


def _l1(x, y):
    return float(np.mean(np.abs(x - y)))


def test_losses_equal_numpy():
    # rate 0: the weights stay
    model = build_tiny(NAME, g_optimizer=SGD0, d_optimizer=SGD0, lr_decay=None)
    rng = np.random.default_rng(0)
    a = rng.uniform(-1, 1, (8, 8, 8, 1)).astype(np.float32)
    b = rng.uniform(-1, 1, (8, 8, 8, 1)).astype(np.float32)
    run = lambda net, x: np.asarray(net(x, training=True))  # noqa: E731
    g, f = model.generator_ab, model.generator_ba
    fake_b, fake_a = run(g, a), run(f, b)
    cycle = _l1(a, run(f, fake_b)) + _l1(b, run(g, fake_a))
    identity = _l1(b, run(g, b)) + _l1(a, run(f, a))
    adversarial = np.mean((run(model.discriminator_b, fake_b) - 1) ** 2) + np.mean(
        (run(model.discriminator_a, fake_a) - 1) ** 2
    )
    # The empty pool returns the new images: the discriminators see this step's fakes.
    d_loss = sum(
        0.5 * np.mean((run(d, real) - 1) ** 2) + 0.5 * np.mean(run(d, fake) ** 2)
        for d, real, fake in (
            (model.discriminator_a, a, fake_a),
            (model.discriminator_b, b, fake_b),
        )
    )
    logs = model.fit(tf.data.Dataset.from_tensors((a, b)), epochs=1, verbose=0).history
    np.testing.assert_allclose(logs["cycle_loss"][0], cycle, rtol=1e-5)
    np.testing.assert_allclose(logs["identity_loss"][0], identity, rtol=1e-5)
    np.testing.assert_allclose(
        logs["g_loss"][0], adversarial + 10 * cycle + 5 * identity, rtol=1e-5
    )
    np.testing.assert_allclose(logs["d_loss"][0], d_loss, rtol=1e-5)
    np.testing.assert_array_equal(model.pool_b.numpy()[:8], fake_b)
    assert int(model.pool_a_count.numpy()) == 8


def test_instance_normalization_normalizes_each_example_and_channel():
    model = build_tiny(NAME)
    layer = model.generator_ab.get_layer("norm_in")
    x = np.random.default_rng(0).normal(3.0, 2.0, (3, 8, 8, 4)).astype(np.float32) * np.arange(1, 5)
    out = np.asarray(layer(x))
    np.testing.assert_allclose(out.mean(axis=(1, 2)), 0.0, atol=1e-5)
    np.testing.assert_allclose(out.std(axis=(1, 2)), 1.0, atol=1e-3)
    assert not layer.weights  # no affine parameters, as the authors' InstanceNorm2d


def _pools(model):
    return [
        np.asarray(v) for v in (model.pool_a, model.pool_b, model.pool_a_count, model.pool_b_count)
    ]


def test_pools_agree_under_two_replicas(mirrored, float64_policy):
    single, multi, _, _ = fit_single_and_mirrored(
        NAME, mirrored, 8, 9, pool_size=20, lr_decay=None, g_optimizer=SGD0, d_optimizer=SGD0
    )
    assert int(single.pool_a_count.numpy()) == 20  # full after 3 steps of 8: later steps swap
    for one, two in zip(_pools(single), _pools(multi)):
        np.testing.assert_allclose(one, two, atol=1e-6)


def test_pools_survive_a_checkpoint(tmp_path):
    model = build_tiny(NAME)
    model.fit(synthetic_dataset(model, 8, 2), epochs=1, verbose=0)
    ckpts = checkpoints.Checkpoints(str(tmp_path))
    ckpts.save(model, model.step)
    restored = build_tiny(NAME)
    assert ckpts.restore(restored) == 2
    for one, two in zip(_pools(model), _pools(restored)):
        np.testing.assert_array_equal(one, two)
    assert int(restored.pool_a_count.numpy()) == 16


def test_bad_networks_and_inputs_are_refused():
    model = build_tiny(NAME)
    with pytest.raises(ValueError, match="direction"):
        model.translate(np.zeros((1, 8, 8, 1)), "sideways")
    with pytest.raises(ValueError, match=r"shape \(8, 8, 1\)"):
        model.translate(np.zeros((1, 9, 8, 1)), "a2b")
    with pytest.raises(ValueError, match="pass inputs"):
        model.preview(12)
    pictures, columns = model.preview(12, inputs=(np.zeros((5, 8, 8, 1)), np.zeros((5, 8, 8, 1))))
    assert pictures.shape == (12, 8, 8, 1) and columns == 6
    with pytest.raises(ValueError, match="pool_size"):
        build_tiny(NAME, pool_size=-1)


def _pixels(x):
    """Images in [-1, 1] as their uint8 bytes (undoes a float inverse's rounding)."""
    return np.round((np.asarray(x) + 1) * 127.5).astype(np.uint8).tobytes()


# rotation: exact
@pytest.mark.parametrize("pair, atol", [("digits_pair", 0.0), ("digits_tone_pair", 1e-6)])
def test_built_in_pair_has_no_image_in_both_domains(pair, atol):
    a, b = data.unpaired_arrays(pair)
    originals_a = {_pixels(x) for x in a}
    originals_b = {_pixels(x) for x in data.pair_inverse(b, pair)}
    assert (len(a), len(b)) == (718, 719) and not originals_a & originals_b
    for xa, xb in data.load_unpaired(pair, batch_size=32, seed=3):
        for i in range(32):
            assert _pixels(xa[i].numpy()) in originals_a
            assert _pixels(data.pair_inverse(xb[i].numpy(), pair)) in originals_b
    held_a, held_b = data.unpaired_arrays(pair, split="test")
    # the ground truth
    np.testing.assert_allclose(data.pair_inverse(held_b, pair), held_a, rtol=0, atol=atol)
    assert not {_pixels(x) for x in held_a} & (originals_a | originals_b)


def test_pair_transform_is_inverted_and_rotated():
    x = np.linspace(-1, 1, 12, dtype=np.float32).reshape(1, 3, 4, 1)
    t = data.pair_transform(x, "mnist_pair")
    np.testing.assert_array_equal(t[0, :, :, 0], -np.rot90(x[0, :, :, 0]))
    np.testing.assert_array_equal(data.pair_inverse(t, "mnist_pair"), x)


def test_tone_pair_transform_is_inverted_through_the_curve():
    x = np.array([-1.0, -0.5, 0.0, 0.5, 1.0], np.float32).reshape(1, 5, 1, 1)
    t = data.pair_transform(x, "mnist_tone_pair")
    # ink u = (x + 1) / 2 = 0, 1/4, 1/2, 3/4, 1 -> 1 - 2u^2
    np.testing.assert_allclose(t.ravel(), [1.0, 0.875, 0.5, -0.125, -1.0], atol=1e-7)
    np.testing.assert_allclose(data.pair_inverse(t, "mnist_tone_pair"), x, atol=1e-6)
    assert t.shape == x.shape  # the geometry is kept
    with pytest.raises(data.DataError, match="'mnist_rot_pair'.*Choose one of: digits_pair"):
        data.pair_transform(x, "mnist_rot_pair")


@pytest.mark.parametrize("pair", ["digits_pair", "digits_tone_pair"])
def test_translation_errors_against_the_ground_truth(pair):
    truth = pair_translation_errors(
        lambda x: data.pair_transform(x, pair), lambda x: data.pair_inverse(x, pair), pair
    )
    assert truth["l1_a_to_b"] < 1e-6 and truth["l1_b_to_a"] < 1e-6 and truth["n"] == 360
    held_a, held_b = data.unpaired_arrays(pair, split="test")
    identity = pair_translation_errors(lambda x: x, lambda x: x, pair)
    np.testing.assert_allclose(identity["identity_l1"], np.mean(np.abs(held_a - held_b)), rtol=1e-6)
    np.testing.assert_allclose(
        [identity["a_to_b_vs_identity"], identity["b_to_a_vs_identity"]], 1.0, rtol=1e-6
    )
    naive = pair_translation_errors(np.negative, np.negative, pair)
    np.testing.assert_allclose(naive["l1_a_to_b"], np.mean(np.abs(-held_a - held_b)), rtol=1e-6)


def test_folder_and_tfds_domains(tmp_path):
    for name, value in (("a", 0), ("b", 255)):
        os.makedirs(tmp_path / name)
        for i in range(3):
            tf.io.write_file(
                str(tmp_path / name / f"{i}.png"),
                tf.io.encode_png(np.full((4, 4, 3), value, np.uint8)),
            )
    xa, xb = next(
        iter(
            data.load_unpaired(f"folder:{tmp_path / 'a'}", f"folder:{tmp_path / 'b'}", batch_size=2)
        )
    )
    assert xa.shape == (2, 4, 4, 3) and np.all(xa.numpy() == -1) and np.all(xb.numpy() == 1)
    import tensorflow_datasets as tfds

    with tfds.testing.mock_data(num_examples=4):
        xa, xb = next(
            iter(
                data.load_unpaired("tfds:cycle_gan/horse2zebra", batch_size=2, image_size=(16, 16))
            )
        )
    assert xa.shape == xb.shape == (2, 16, 16, 3)
    with pytest.raises(data.DataError, match="one domain"):
        data.load_unpaired("digits", batch_size=2)


_SERVE = r"""
import sys
import numpy as np
import tensorflow as tf
path = sys.argv[1]
loaded = tf.saved_model.load(path)
x = np.load(path + ".x.npy")
out = {name: loaded.signatures[name](images=tf.constant(x))["images"].numpy()
       for name in ("serving_default", "translate_a_to_b", "translate_b_to_a")}
png = tf.constant(np.load(path + ".png.npy"))
out["png"] = loaded.signatures["png_b_to_a"](images_bytes=png)["images_bytes"]
out["png"] = np.stack([tf.io.decode_png(p).numpy() for p in out["png"].numpy()])
np.savez(path + ".out.npz", **out)
"""


def test_translate_signatures_in_a_fresh_process(tmp_path):
    model = build_tiny(NAME)
    model.fit(synthetic_dataset(model, 4, 1), epochs=1, verbose=0)
    path = export.export_generator(model, str(tmp_path), "cyclegan")
    x = np.random.default_rng(0).uniform(-1, 1, (3, 8, 8, 1)).astype(np.float32)
    pngs = np.array(
        [tf.io.encode_png(np.round((im + 1) * 127.5).astype(np.uint8)).numpy() for im in x]
    )
    np.save(path + ".x.npy", x)
    np.save(path + ".png.npy", pngs)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    subprocess.run([sys.executable, "-c", _SERVE, path], check=True, env=env, timeout=300)
    out = np.load(path + ".out.npz")
    np.testing.assert_allclose(out["serving_default"], model.translate(x, "a2b"), atol=1e-5)
    np.testing.assert_allclose(out["translate_a_to_b"], model.translate(x, "a2b"), atol=1e-5)
    np.testing.assert_allclose(out["translate_b_to_a"], model.translate(x, "b2a"), atol=1e-5)
    quantized = np.round((x + 1) * 127.5) / 127.5 - 1
    expected = np.clip(np.round((model.translate(quantized, "b2a") + 1) * 127.5), 0, 255)
    assert np.max(np.abs(out["png"].astype(np.float32) - expected)) <= 1
    fn = tf.saved_model.load(path).signatures["translate_a_to_b"]
    with pytest.raises(tf.errors.InvalidArgumentError, match="must lie in"):
        fn(images=tf.constant(x * 3))
