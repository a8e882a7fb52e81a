"""InfoGAN: the code likelihoods against NumPy, Q reading the generator's own codes, codes in and
out."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan import losses
from tests.harness import build_tiny, synthetic_dataset


def _log_softmax(a):
    a = a - a.max(-1, keepdims=True)
    return a - np.log(np.exp(a).sum(-1, keepdims=True))


def test_code_likelihoods_match_numpy():
    rng = np.random.default_rng(0)
    logits, codes = rng.normal(size=(6, 4)).astype(np.float32), rng.integers(0, 4, 6)
    expected = -np.mean(_log_softmax(logits)[np.arange(6), codes])
    assert float(losses.categorical_code_nll(logits, codes)) == pytest.approx(expected, rel=1e-5)
    means, values, log_stds = (rng.normal(size=(6, 2)).astype(np.float32) for _ in range(3))
    nll = 0.5 * ((values - means) / np.exp(log_stds)) ** 2 + log_stds + 0.5 * np.log(2 * np.pi)
    assert float(losses.gaussian_code_nll(means, values, log_stds)) == pytest.approx(
        nll.sum(1).mean(), rel=1e-5
    )
    unit = 0.5 * (values - means) ** 2 + 0.5 * np.log(2 * np.pi)
    assert float(losses.gaussian_code_nll(means, values)) == pytest.approx(
        unit.sum(1).mean(), rel=1e-5
    )


def test_latents_compose_and_split():
    model = build_tiny("infogan-mnist")  # noise 4, one 3-way code, one continuous code
    z = model.sample_latents(50, seed=2).numpy()
    assert z.shape == (50, 8)
    np.testing.assert_array_equal(z[:, 4:7].sum(1), 1.0)  # one-hot categorical code
    assert np.abs(z[:, :4]).max() <= 1 and np.abs(z[:, 7]).max() <= 1  # U[-1, 1] noise and code
    noise, categorical, continuous = model.split(tf.constant(z))
    np.testing.assert_array_equal(model.compose(noise, categorical, continuous).numpy(), z)
    assert set(categorical.numpy().ravel()) == {0, 1, 2}


def test_information_loss_reads_the_codes_the_generator_was_given():
    model = build_tiny("infogan-mnist", info_weight=1.0)
    seen = []
    original = model.generator_loss

    def spy(batch):  # G's output for the batch's latents, before this update changes G
        seen.append(
            (
                batch.latents,
                batch.fake,
                batch.fake_output,
                model.trained_generator(batch.latents, training=True),
            )
        )
        return original(batch)

    model.generator_loss = spy
    model.compile(run_eagerly=True)
    model.fit(synthetic_dataset(model, 4, 1), epochs=1, verbose=0)
    latents, fake, (_, q), regenerated = seen[-1]
    # The generator was given exactly these latents ...
    np.testing.assert_allclose(regenerated.numpy(), fake.numpy(), atol=1e-5)
    # ... and the information term is Q's cross-entropy of their codes.
    _, categorical, continuous = model.split(latents)
    q = q.numpy()
    expected = -np.mean(
        _log_softmax(q[:, :3])[np.arange(len(q)), categorical.numpy()[:, 0]]
    ) + np.mean(0.5 * (continuous.numpy()[:, 0] - q[:, 3]) ** 2 + 0.5 * np.log(2 * np.pi))
    assert float(model.information_loss(tf.constant(q), latents)) == pytest.approx(
        expected, rel=1e-4
    )


def test_fixed_codes_and_the_codes_signature_agree():
    model = build_tiny("infogan-mnist")
    images = model.generate(
        3, seed=5, codes={"categorical": [[0], [1], [2]], "continuous": [[-1.0], [0.0], [1.0]]}
    )
    noise, _, _ = model.split(model.sample_latents(3, seed=5))
    out = model.serving_signatures()["codes"].function(
        z=noise,
        categorical=tf.constant([[0], [1], [2]]),
        continuous=tf.constant([[-1.0], [0.0], [1.0]]),
    )
    expected = np.round((images + 1) * 127.5).clip(0, 255).astype(np.uint8)
    np.testing.assert_array_equal(out["images"].numpy(), expected)
    with pytest.raises(tf.errors.InvalidArgumentError, match="categorical: must be below"):
        model.serving_signatures()["codes"].function(
            z=noise[:1], categorical=tf.constant([[3]]), continuous=tf.constant([[0.0]])
        )
    with pytest.raises(
        ValueError, match=r"codes\['categorical'\] must be \[n, 1\] ints below \[3\]"
    ):
        model.generate(1, seed=0, codes={"categorical": [[5]]})


def test_code_grid_varies_one_code_only():
    model = build_tiny("infogan-mnist")
    grid, columns = model.code_grid(("categorical", 0), n_noise=4)
    assert grid.shape == (12, 28, 28, 1) and columns == 4
    assert not np.allclose(grid[0], grid[4])  # another code value, same noise
    with pytest.raises(ValueError, match="code must be"):
        model.code_grid(("style", 0))


def test_a_discriminator_without_q_is_refused():
    model = build_tiny("infogan-mnist")
    plain = keras.Sequential(
        [keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(1)]
    )
    with pytest.raises(ValueError, match=r"must return \[logit, q\] with q of size"):
        type(model)(
            model.trained_generator, plain, noise_dim=4, categorical_codes=(3,), continuous_codes=1
        )
