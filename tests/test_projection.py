"""Projection (GAN inversion, #35 item 2): Adam on one latent per image, checked against Keras's
Adam, recovering latents the generator itself used, equal on 1 and 2 replicas."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan import projection
from keras_gan.cli import main
from tests.harness import build_tiny


def test_the_written_out_adam_is_kerass_adam():
    c = np.array([[1.0, -2.0, 0.5], [3.0, 0.0, -1.0]], np.float32)
    z0 = np.zeros_like(c)

    def per_row(z):
        return tf.reduce_sum(tf.square(z - c) * [1.0, 4.0, 0.25], axis=-1)

    ours, best, best_loss = projection.adam_steps(per_row, tf.constant(z0), 25, 0.1)
    variable = keras.Variable(z0)
    adam = keras.optimizers.Adam(0.1, epsilon=1e-8)
    for _ in range(25):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(per_row(variable.value))
        adam.apply_gradients([(tape.gradient(loss, variable.value), variable)])
    np.testing.assert_allclose(ours.numpy(), variable.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(best_loss, per_row(best), rtol=1e-6)
    assert (best_loss.numpy() <= per_row(ours).numpy()).all()


def test_the_best_latent_seen_is_kept_not_the_last():
    # Next to the optimum every Adam step still moves z by about the learning rate, away from
    # it: the last iterate is worse than the start, the returned latent is the start.
    c = np.array([[1.0, -2.0], [0.5, 0.0]], np.float32)
    start = c + 1e-3

    def per_row(z):
        return tf.reduce_sum(tf.square(z - c), axis=-1)

    last, best, best_loss = projection.adam_steps(per_row, tf.constant(start), 5, 0.5)
    assert (per_row(last).numpy() > 0.1).all()
    np.testing.assert_array_equal(best, start)
    np.testing.assert_allclose(best_loss, [2e-6, 2e-6], rtol=1e-3)


@pytest.fixture(scope="module")
def digits():
    keras.utils.set_random_seed(0)
    model = build_tiny("dcgan-digits")  # fixed random weights
    z_true = np.asarray(model.sample_latents(8, 1))
    return model, z_true, model.space_decoder("z")(z_true).numpy()


def test_projection_recovers_the_latent_of_a_generated_image(digits):
    model, z_true, x = digits
    out = projection.project(model, x, steps=300)
    assert out["latents"].shape == z_true.shape and out["reconstructions"].shape == x.shape
    # The objective falls by more than 5x (14x when written), and the latents found lie nearer
    # the true ones than fresh prior draws do.
    assert out["loss"].mean() < out["start_loss"].mean() / 5
    found = np.linalg.norm(out["latents"] - z_true, axis=1).mean()
    random = np.linalg.norm(np.asarray(model.sample_latents(8, 0)) - z_true, axis=1).mean()
    assert found < random / 2, (found, random)


def test_two_replicas_project_as_one_device(digits, mirrored):
    model, _, x = digits
    one = projection.project(model, x, steps=20)
    two = projection.project(model, x, steps=20, strategy=mirrored)
    np.testing.assert_allclose(two["latents"], one["latents"], atol=1e-5)
    np.testing.assert_allclose(two["loss"], one["loss"], rtol=1e-4, atol=1e-7)
    with pytest.raises(ValueError, match="multiple of 2. Received: 7"):
        projection.project(model, x[:7], steps=1, strategy=mirrored)


def test_bigan_starts_from_its_encoder_and_refines():
    model = build_tiny("bigan-mnist")
    x = model.space_decoder("z")(np.asarray(model.sample_latents(4, 3))).numpy()
    np.testing.assert_allclose(model.projection_start(x), model.encode(x))
    out = projection.project(model, x, steps=50)
    assert (out["loss"] <= out["start_loss"]).all()
    assert out["loss"].mean() < out["start_loss"].mean() / 2, (out["loss"], out["start_loss"])


def test_bad_requests(digits):
    model, _, x = digits
    with pytest.raises(ValueError, match="projects into z. Received: space='w'"):
        projection.project(model, x, space="w")
    with pytest.raises(ValueError, match="steps must be a positive integer. Received: steps=0"):
        projection.project(model, x, steps=0)


def test_cli_project(tmp_path, capsys):
    run = tmp_path / "run"
    assert (
        main(["train", "dcgan-digits", "--steps", "1", "--batch-size", "8", "--out", str(run)]) == 0
    )
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(3):
        tf.io.write_file(
            str(inputs / f"{i}.png"), tf.io.encode_png(np.full((8, 8, 1), 60 * i, np.uint8))
        )
    out = tmp_path / "out"
    assert (
        main(["project", str(run), "--input", str(inputs), "--steps", "20", "--out", str(out)]) == 0
    )
    assert np.load(out / "latents.npy").shape[0] == 3
    assert sorted(p.name for p in (out / "reconstructions").iterdir()) == [
        "0.png",
        "1.png",
        "2.png",
    ]
    assert (
        out / "comparison.png"
    ).exists() and "Projected 3 image(s) into z" in capsys.readouterr().out
    tf.io.write_file(str(tmp_path / "big.png"), tf.io.encode_png(np.zeros((16, 16, 3), np.uint8)))
    assert main(["project", str(run), "--input", str(tmp_path / "big.png")]) == 2
    assert "is 16x16 with 3 channel(s); the model generates 8x8 with 1" in capsys.readouterr().err


def test_the_project_signature_is_projection_from_zero_without_features(digits):
    model, _, x = digits
    sig = model.serving_signatures()["project"]
    out = sig.function(images=tf.constant(x), steps=tf.constant(20))
    want = projection.project(
        model, x, steps=20, init=np.zeros((8, model.latent_dim)), feature_weight=0.0
    )
    np.testing.assert_allclose(out["latents"].numpy(), want["latents"], atol=1e-5)
    np.testing.assert_allclose(out["loss"].numpy(), want["loss"], rtol=1e-4, atol=1e-7)
    assert (out["loss"].numpy() <= out["start_loss"].numpy()).all()
    with pytest.raises(tf.errors.InvalidArgumentError, match="steps: must be at most 1000"):
        sig.function(images=tf.constant(x), steps=tf.constant(1001))


def test_bigans_project_signature_starts_from_its_encoder():
    model = build_tiny("bigan-mnist")
    x = model.space_decoder("z")(np.asarray(model.sample_latents(2, 3))).numpy()
    out = model.serving_signatures()["project"].function(
        images=tf.constant(x), steps=tf.constant(1)
    )
    start = projection.projector(model, feature_weight=0.0)
    ours = start(tf.constant(x), tf.constant(model.encode(x)), None, 1)
    np.testing.assert_allclose(out["start_loss"].numpy(), ours["start_loss"].numpy(), rtol=1e-5)


def test_the_project_signature_in_a_fresh_process(digits, tmp_path):
    import json
    import subprocess
    import sys

    from keras_gan import export

    model, _, x = digits
    path = export.export_generator(model, str(tmp_path), "dcgan-digits")
    np.save(tmp_path / "x.npy", x)
    code = (
        "import json, sys, numpy as np, tensorflow as tf\n"
        "fn = tf.saved_model.load(sys.argv[1]).signatures['project']\n"
        "out = fn(images=tf.constant(np.load(sys.argv[2])), steps=tf.constant(5))\n"
        "print(json.dumps(out['latents'].numpy().tolist()))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, path, str(tmp_path / "x.npy")],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    served = np.array(json.loads(result.stdout.strip().splitlines()[-1]))
    here = model.serving_signatures()["project"].function(
        images=tf.constant(x), steps=tf.constant(5)
    )
    np.testing.assert_allclose(served, here["latents"].numpy(), atol=1e-5)


def _noise_regularization_numpy(noise):
    reg = np.zeros(len(noise))
    while True:
        for axis in (1, 2):
            reg += np.mean(noise * np.roll(noise, 1, axis=axis), axis=(1, 2, 3)) ** 2
        if noise.shape[1] <= 8:
            return reg
        n, h, w, c = noise.shape
        noise = noise.reshape(n, h // 2, 2, w // 2, 2, c).mean(axis=(2, 4))


def test_noise_regularization_is_stylegan2_adas():
    rng = np.random.default_rng(0)
    white = rng.normal(size=(3, 32, 32, 1)).astype(np.float32)
    smooth = np.cumsum(white, axis=2) / 8  # correlated across
    for noise in (white, smooth):
        np.testing.assert_allclose(
            projection.noise_regularization(tf.constant(noise)).numpy(),
            _noise_regularization_numpy(noise.astype(np.float64)),
            rtol=1e-4,
            atol=1e-9,
        )
    assert (
        projection.noise_regularization(tf.constant(smooth)).numpy()
        > 10 * projection.noise_regularization(tf.constant(white)).numpy()
    ).all()


def test_stylegan_projects_into_w_with_its_noise_images():
    keras.utils.set_random_seed(0)
    model = build_tiny("stylegan-mnist")
    x = np.asarray(model.generate(4, seed=5))
    fixed = projection.project(model, x, steps=30, space="w", noise_weight=None)
    assert "noise" not in fixed and (fixed["loss"] <= fixed["start_loss"]).all()
    out = projection.project(model, x, steps=30, space="w")
    assert [tuple(n.shape[1:]) for n in out["noise"]] == model.noise_shapes
    assert all(len(n) == 4 for n in out["noise"])
    assert (out["loss"] <= out["start_loss"]).all()
    # The regularizer has taken the fixed buffers' autocorrelation (large on 4x4 and 8x8 maps)
    # away; the noise is renormalized (zero mean, unit variance per image); the reconstructions
    # are the generator's output with it.
    buffers = model.noise_images(4, tf.constant(0), "const")
    before = sum(projection.noise_regularization(b).numpy() for b in buffers)
    after = sum(projection.noise_regularization(tf.constant(n)).numpy() for n in out["noise"])
    assert (after < before / 100).all(), (before, after)
    for noise in out["noise"]:
        flat = noise.reshape(4, -1)
        np.testing.assert_allclose(flat.mean(1), 0.0, atol=1e-4)
        np.testing.assert_allclose(flat.var(1), 1.0, rtol=1e-3)
    _, decode = model.noise_decoder()
    again = decode(out["latents"], [tf.constant(n) for n in out["noise"]]).numpy()
    np.testing.assert_allclose(again, out["reconstructions"], atol=1e-5)


@pytest.mark.parametrize(
    "preset, overrides", [("stylegan-mnist", {}), ("dcgan-mnist", {"minibatch_kernels": 4})]
)
def test_features_of_a_discriminator_that_compares_examples_are_per_image(preset, overrides):
    # Minibatch stddev (StyleGAN) and minibatch discrimination compare the images of a batch:
    # projection reads the features before them, so an image's features are its own.
    keras.utils.set_random_seed(0)
    model = build_tiny(preset, **overrides)
    features = model.projection_features()
    x = np.asarray(model.generate(3, seed=1))
    together = features(x).numpy()
    alone = np.concatenate([features(x[i : i + 1]).numpy() for i in range(3)])
    np.testing.assert_allclose(together, alone, rtol=1e-5, atol=1e-6)
    assert projection.project(model, x, steps=2)["latents"].shape[0] == 3  # an odd batch
