"""StyleGAN: truncation in W, style mixing, the w average, noise modes, lazy R1."""

import numpy as np
import pytest
import tensorflow as tf

from keras_gan import regularizers
from tests.harness import build_tiny, synthetic_dataset


def _model(**overrides):
    return build_tiny("stylegan-mnist", **overrides)


def test_noise_off_makes_the_generator_a_function_of_w():
    model = _model()
    # noise matters now
    model.synthesis.get_layer("noise_strength0").strength.assign(np.ones(8, np.float32))
    w = tf.random.stateless_normal([3, model.w_dim], [1, 2])
    a = model.synthesize(None, tf.constant(1), noise="none", w=w).numpy()
    b = model.synthesize(None, tf.constant(2), noise="none", w=w).numpy()
    np.testing.assert_array_equal(a, b)
    c = model.synthesize(None, tf.constant(1), noise="random", w=w).numpy()
    d = model.synthesize(None, tf.constant(2), noise="random", w=w).numpy()
    assert not np.allclose(c, d)


def test_psi_zero_gives_the_average_w_and_psi_one_changes_nothing():
    model = _model()
    model.w_avg.assign(np.linspace(-1, 1, model.w_dim).astype(np.float32))
    w = model.mapping(model.sample_latents(4, 0)).numpy()
    ws0 = model.truncate(tf.constant(w), psi=0.0).numpy()
    np.testing.assert_allclose(ws0, np.broadcast_to(model.w_avg.numpy(), ws0.shape), atol=1e-6)
    ws1 = model.truncate(tf.constant(w), psi=1.0).numpy()
    np.testing.assert_allclose(ws1, np.broadcast_to(w[:, None], ws1.shape), atol=1e-6)
    images = model.generate(4, seed=0, psi=0.0, noise="none")
    np.testing.assert_allclose(images, np.broadcast_to(images[:1], images.shape), atol=1e-5)
    cut = model.truncate(tf.constant(w), psi=0.0, truncation_cutoff=2).numpy()
    np.testing.assert_allclose(
        cut[:, :2], np.broadcast_to(model.w_avg.numpy(), cut[:, :2].shape), atol=1e-6
    )
    np.testing.assert_allclose(cut[:, 2:], np.broadcast_to(w[:, None], cut[:, 2:].shape), atol=1e-6)


def test_crossover_takes_the_first_styles_before_and_the_second_after():
    model = _model()
    w1, w2 = tf.ones([3, model.w_dim]), 2 * tf.ones([3, model.w_dim])
    ws = model.mix_styles(w1, w2, tf.constant([1, 3, model.num_ws])).numpy()
    assert (ws[0, :1] == 1).all() and (ws[0, 1:] == 2).all()
    assert (ws[1, :3] == 1).all() and (ws[1, 3:] == 2).all()
    assert (ws[2] == 1).all()  # cutoff num_ws: no mixing


def test_w_average_follows_its_rule_in_training_only():
    model = _model(w_avg_beta=0.9)
    model.compile(run_eagerly=True)
    seen = []
    original = model.draw_ws

    def spy(local_size, stream):
        out = original(local_size, stream)
        seen.append(out[2].numpy())
        return out

    model.draw_ws = spy
    model.fit(synthetic_dataset(model, 4, 1), epochs=1, verbose=0)
    generator_w = seen[-1]  # the generator update's w (the last draw of the step)
    np.testing.assert_allclose(model.w_avg.numpy(), 0.1 * generator_w.mean(0), rtol=1e-5, atol=1e-7)
    before = model.w_avg.numpy().copy()
    model.generate(8, seed=3)
    model(model.sample_latents(2, 1))
    np.testing.assert_array_equal(model.w_avg.numpy(), before)


def test_r1_on_a_linear_discriminator_and_its_lazy_schedule():
    a = np.array([[0.5], [-2.0], [1.0]], np.float32)
    x = np.random.default_rng(0).normal(size=(4, 3)).astype(np.float32)
    assert float(regularizers.r1_penalty(lambda v: tf.matmul(v, a), x)) == pytest.approx(
        float(np.sum(a**2))
    )
    model = _model(r1_interval=2, r1_gamma=1.0)
    r1 = []
    data = synthetic_dataset(model, 4, 4)
    for element in data:
        r1.append(
            model.fit(tf.data.Dataset.from_tensors(element), epochs=1, verbose=0).history["r1"][-1]
        )
    assert r1[0] > 0 and r1[2] > 0 and r1[1] == 0 and r1[3] == 0  # steps 0 and 2 of every 2nd


@pytest.mark.slow  # ~40 s: two StyleGANs traced with double backpropagation
def test_lazy_r1_weight_is_interval_times_gamma_over_two():
    with_r1, without = _model(r1_interval=4, r1_gamma=3.0), _model(r1_interval=4, r1_gamma=0.0)
    without.set_weights(with_r1.get_weights())
    a = with_r1.fit(synthetic_dataset(with_r1, 4, 1), epochs=1, verbose=0).history
    b = without.fit(synthetic_dataset(without, 4, 1), epochs=1, verbose=0).history
    assert a["r1"][-1] > 0
    # Same weights, data and draws: the discriminator losses differ by the lazy penalty, 4 · 3 / 2 ·
    # R1.
    assert a["d_loss"][-1] - b["d_loss"][-1] == pytest.approx(6.0 * a["r1"][-1], rel=1e-4)


def test_generate_refuses_truncation_and_bad_noise():
    model = _model()
    with pytest.raises(ValueError, match="StyleGAN truncates in W"):
        model.generate(2, seed=0, truncation=1.0)
    with pytest.raises(ValueError, match="noise must be one of"):
        model.generate(2, seed=0, noise="loud")


def test_psi_signature_matches_generate():
    model = _model()
    out = model.serving_signatures()["psi"].function(
        n=tf.constant(3), seed=tf.constant(2), psi=tf.constant(0.5)
    )
    images = model.generate(3, seed=2, psi=0.5)
    np.testing.assert_array_equal(
        out["images"].numpy(), np.round((images + 1) * 127.5).astype(np.uint8)
    )


def test_style_mixing_grid_layout(tmp_path):
    from keras_gan import images

    model = _model()
    model.synthesis.get_layer("adain0").style.kernel.assign(  # make the coarse style visible
        5.0 * model.synthesis.get_layer("adain0").style.kernel.numpy()
    )
    picture = images.style_mixing_grid(
        model, [1, 2], [3, 4, 5], crossover=2, path=str(tmp_path / "mix.png"), scale=1
    )
    # (1 + rows) x (1 + columns) cells of 8x8, 1-px padding
    assert picture.shape[:2] == (3 * 8 + 4, 4 * 8 + 5)
    assert (tmp_path / "mix.png").exists()
    with pytest.raises(ValueError, match="crossover must be in"):
        images.style_mixing_grid(model, [1], [2], crossover=model.num_ws)


def test_interpolate_and_project_signatures():
    from keras_gan import latent, projection

    model = build_tiny("stylegan-mnist")
    sigs = model.serving_signatures()
    z = np.asarray(model.sample_latents(2, 0), np.float32)
    path = sigs["interpolate"].function(z0=z, z1=z[::-1], steps=tf.constant(3))["images"].numpy()
    assert path.shape == (2, 3, *model.data_spec().shape[1:])
    flat = latent.path(tf.constant(z), tf.constant(z[::-1]), 3, "slerp")
    np.testing.assert_allclose(
        path, model(tf.reshape(flat, [-1, model.z_dim])).numpy().reshape(path.shape), atol=1e-5
    )
    x = model(z).numpy()
    out = sigs["project"].function(images=tf.constant(x), steps=tf.constant(10))
    want = projection.project(model, x, steps=10, init=np.zeros_like(z), feature_weight=0.0)
    np.testing.assert_allclose(out["latents"].numpy(), want["latents"], atol=1e-5)
    assert (out["loss"].numpy() <= out["start_loss"].numpy()).all()
