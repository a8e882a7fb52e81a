"""`keras-gan evaluate`, MetricsMonitor and the feature extractors, on tiny models."""

import json
import os

import numpy as np
import pytest

from keras_gan import cli, data, metrics
from keras_gan.callbacks import MetricsMonitor
from keras_gan.metrics.classifier import (
    classifier_splits,
    noise_confident_fraction,
    train_domain_classifier,
)
from tests.harness import build_tiny, synthetic_dataset


def test_inception_features_offline():
    net = metrics.InceptionFeatures(weights=None, batch_size=4)
    images = np.random.default_rng(0).uniform(-1, 1, size=(3, 28, 28, 1)).astype(np.float32)
    feats, probs = net(images)
    assert feats.shape == (3, 2048) and probs.shape == (3, 1000)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-4)


def test_domain_classifier_is_cached(tmp_path):
    x, y = data.load_arrays("digits")
    first = metrics.DomainClassifier(x, y, key="digits", epochs=1, directory=str(tmp_path))
    assert os.path.exists(first.path)
    second = metrics.DomainClassifier(x, y, key="digits", epochs=1, directory=str(tmp_path))
    assert second.validation_accuracy == first.validation_accuracy
    assert second.noise_confident_fraction == first.noise_confident_fraction
    np.testing.assert_allclose(first(x[:5])[1], second(x[:5])[1], atol=1e-6)
    # Another training rule is another cache entry, not the one-epoch classifier.
    assert (
        metrics.DomainClassifier(x, y, key="digits", epochs=2, directory=str(tmp_path)).path
        != first.path
    )


def test_domain_classifier_stops_early_and_beats_a_fixed_short_run():
    x, y = data.load_arrays("digits")
    model, accuracy = train_domain_classifier(x, y, max_epochs=40, patience=3)
    _, short_accuracy = train_domain_classifier(x, y, epochs=2)
    _, _, train = classifier_splits(len(x))
    steps_per_epoch = -(-len(train) // 128)
    epochs_run = int(model.optimizer.iterations) // steps_per_epoch
    assert 3 < epochs_run < 40
    assert accuracy > 0.95 and accuracy > short_accuracy


def test_noise_confident_fraction_counts_confident_noise_images():
    class Fixed:
        def __init__(self, top):
            self.top = top

        def predict(self, images, **kwargs):
            rest = (1.0 - self.top) / 9.0
            probs = np.full((len(images), 10), rest, np.float32)
            probs[:, 0] = self.top
            return probs, None

    assert noise_confident_fraction(Fixed(0.95), (8, 8, 1), n=50) == 1.0
    assert noise_confident_fraction(Fixed(0.5), (8, 8, 1), n=50) == 0.0


def test_evaluate_command_on_mixture_and_images(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KERAS_GAN_CACHE", str(tmp_path / "cache"))
    run_dir = tmp_path / "ring"
    assert (
        cli.main(
            ["train", "gan-ring8", "--steps", "2", "--batch-size", "16", "--out", str(run_dir)]
        )
        == 0
    )
    assert cli.main(["evaluate", str(run_dir), "--n", "300"]) == 0
    result = json.loads((run_dir / "metrics.json").read_text())
    assert set(result["generated"]) == {
        "modes",
        "high_quality_fraction",
        "reverse_kl",
        "parzen_nll",
        "parzen_bandwidth",
    }
    assert os.listdir(run_dir / "tensorboard" / "eval")

    digits_dir = tmp_path / "digits"
    assert cli.main(["train", "dcgan-digits", "--steps", "2", "--out", str(digits_dir)]) == 0
    capsys.readouterr()
    assert cli.main(["evaluate", str(digits_dir), "--n", "200"]) == 0
    out = capsys.readouterr().out
    result = json.loads((digits_dir / "metrics.json").read_text())
    for key in (
        "fid",
        "kid",
        "inception_score",
        "precision",
        "recall",
        "density",
        "coverage",
        "confident_fraction",
    ):
        assert np.isfinite(result["generated"][key]) and np.isfinite(result["real"][key]), key
    # Held-out real data is much closer to the reference than an untrained generator.
    assert result["real"]["fid"] < result["generated"]["fid"]
    assert "fid" in out and "real" in out and "uniform noise" in out
    assert 0.0 <= result["classifier"]["noise_confident_fraction"] <= 1.0


def test_metrics_monitor_logs(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_GAN_CACHE", str(tmp_path / "cache"))
    model = build_tiny("gan-ring8")
    history = model.fit(
        synthetic_dataset(model, 8, 2),
        epochs=1,
        verbose=0,
        callbacks=[MetricsMonitor("ring8", n=200, log_dir=str(tmp_path))],
    )
    assert "eval_modes" in history.history
    assert os.listdir(tmp_path / "eval")


def test_evaluate_without_a_config(tmp_path, capsys):
    model = build_tiny("gan-ring8")
    model.save(tmp_path / "model.keras")
    assert cli.main(["evaluate", str(tmp_path)]) == 2
    assert "no config.json" in capsys.readouterr().err


def test_evaluate_mixture1d():
    model = build_tiny("fgan-kl-mixture1d")
    result = metrics.evaluate_model(model, "mixture1d", n=2000)["generated"]
    # The untrained generator is N(0, 1): mean 0, std 1, far from the mixture in KS.
    assert result["mean"] == pytest.approx(0.0, abs=0.1) and result["std"] == pytest.approx(
        1.0, abs=0.1
    )
    assert 0.05 < result["ks_statistic"] < 1 and result["wasserstein_1"] > 0
