"""The benchmark suites' own arithmetic (the suites themselves are run by hand: BENCHMARKS.md)."""

import json

import keras
import numpy as np
import pytest

from benchmarks import quality, speed


def test_forward_flops_counts_two_per_multiply_add():
    x = keras.Input((6, 6, 2))
    h = keras.layers.Conv2D(4, 3, strides=2, padding="same")(x)  # 3x3 output
    h = keras.layers.Conv2DTranspose(3, 4, strides=2, padding="same")(h)  # from 3x3 input
    h = keras.layers.Flatten()(h)
    out = keras.layers.Dense(5)(h)
    model = keras.Model(x, out)
    expected = 2 * (3 * 3 * 3 * 3 * 2 * 4) + 2 * (3 * 3 * 4 * 4 * 4 * 3) + 2 * (6 * 6 * 3 * 5)
    assert speed.forward_flops(model) == expected


def test_quality_tables_quote_mean_and_standard_error():
    rows = [
        {"modes": 8, "high_quality_percent": 98.0, "reverse_kl": 0.01},
        {"modes": 8, "high_quality_percent": 96.0, "reverse_kl": 0.03},
    ]
    from benchmarks.mixture_seeds import summary

    result = {
        "preset": "gan-ring8",
        "steps": 10,
        "seeds": [0, 1],
        "summary": {k: summary(rows, k) for k in ("modes", "high_quality_percent", "reverse_kl")},
    }
    text = quality.tables({"mixtures": [result], "stacked_mnist": [], "time_to_quality": []})
    se_hq, se_kl = (
        np.std([98.0, 96.0], ddof=1) / np.sqrt(2),
        np.std([0.01, 0.03], ddof=1) / np.sqrt(2),
    )
    assert (
        f"| gan-ring8 | 10 | 2 | 8.00 ± 0.00 | 97.0 ± {se_hq:.1f} | 0.0200 ± {se_kl:.4f} |" in text
    )
    assert "| PacGAN4 (PacGAN Table 1, ring8) | | | 7.8 | 95.9 | 0.07 |" in text
    # VEEGAN's figures are its own paper's (Srivastava et al. 2017, Table 1), not PacGAN's.
    assert "| VEEGAN (VEEGAN Table 1, grid25) | | | 24.6 | 40.0 |  |" in text
    assert "VEEGAN (PacGAN" not in text


def test_plain_step_is_compared_only_in_float32():
    from tests.harness import build_tiny

    assert speed.plain_gan(build_tiny("gan-ring8")) is not None
    try:
        keras.mixed_precision.set_global_policy("mixed_bfloat16")
        assert speed.plain_gan(build_tiny("gan-ring8")) is None
    finally:
        keras.mixed_precision.set_global_policy("float32")


def test_quality_refuses_presets_outside_its_plan_before_writing(tmp_path, capsys):
    import pytest

    with pytest.raises(SystemExit) as stop:
        quality.main(["--quick", "--presets", "sngan-mnist", "--out", str(tmp_path / "out")])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "sngan-mnist not in the quick plan" in err and "dcgan-mnist" in err
    assert not (tmp_path / "out").exists()


def test_time_to_quality_plot_stacks_panels_of_distinct_colours(tmp_path):
    from PIL import Image

    runs = [
        {
            "preset": f"p{i}",
            "rows": [{"train_cpu_s": 10.0 * k, "fid": 300.0 / k} for k in (1, 2, 3)],
        }
        for i in range(7)
    ]
    path = quality.plot({"time_to_quality": runs}, str(tmp_path / "ttq.png"), per_panel=5)
    one = quality.plot({"time_to_quality": runs[:5]}, str(tmp_path / "one.png"), per_panel=5)
    two, single = Image.open(path), Image.open(one)
    assert two.width == single.width and two.height == 2 * single.height


def test_time_to_quality_summary_ranks_by_last_fid_and_times_the_target():
    def row(step, cpu, fid):
        return {
            "step": step,
            "train_cpu_s": cpu,
            "train_wall_s": cpu,
            "fid": fid,
            "kid": 1.0,
            "inception_score": 5.0,
            "precision": 0.5,
            "recall": 0.5,
            "confident_fraction": 0.5,
        }

    real = {
        "fid": 1.6,
        "kid": 0.08,
        "inception_score": 9.5,
        "precision": 0.9,
        "recall": 0.9,
        "confident_fraction": 0.98,
    }
    runs = [
        {
            "preset": "slow",
            "dataset": "mnist",
            "real": real,
            "rows": [row(10, 5.0, 80.0), row(20, 10.0, 40.0)],
        },
        {
            "preset": "fast",
            "dataset": "mnist",
            "real": real,
            "rows": [row(10, 4.0, 50.0), row(20, 8.0, 29.0)],
        },
    ]
    text = "\n".join(quality.time_to_quality_tables(runs))
    assert text.index("| fast | 20 | 8.0 | 29.00") < text.index("| slow | 20 | 10.0 | 40.00")
    assert "| 0.500 | 8.0 |" in text and "| 0.500 | not reached |" in text
    assert text.count("held-out real (mnist)") == 1


def test_quality_report_runs_nothing_and_lists_what_is_missing(tmp_path, capsys):
    from keras_gan.files import write_json

    out = tmp_path / "quick"
    out.mkdir()
    write_json(
        str(out / "stacked_mnist-dcgan-mnist.json"),
        {
            "preset": "dcgan-mnist",
            "steps": 500,
            "modes": 510,
            "reverse_kl": 1.967,
            "train_cpu_s": 91.7,
        },
    )
    quality.main(["--quick", "--report", "--out", str(tmp_path)])
    text = (out / "tables.md").read_text()
    assert "| dcgan-mnist | 500 | 510 | 1.967 | 91.7 |" in text
    assert (
        "Not run yet: mixtures-gan-ring8, time_to_quality-dcgan-mnist, time_to_quality-lsgan-mnist."
        in text
    )
    assert sorted(p.name for p in out.iterdir()) == ["stacked_mnist-dcgan-mnist.json", "tables.md"]


def test_digits_kept_compares_each_translation_with_its_own_label():
    from benchmarks.experiments.cyclegan_pairs import digits_kept
    from keras_gan import data

    pair = "digits_pair"
    truth = (lambda x: data.pair_transform(x, pair), lambda x: data.pair_inverse(x, pair))
    # The true translation of the *next* image: right style and geometry, another image's digit.
    shifted = tuple((lambda x, t=t: np.roll(t(x), 1, axis=0)) for t in truth)
    kept = digits_kept({"truth": truth, "shifted": shifted}, pair, None)
    assert kept["held-out images"] > 0.9
    assert kept["truth"] == {"a_to_b": kept["held-out images"], "b_to_a": kept["held-out images"]}
    assert kept["shifted"]["a_to_b"] < 0.3 and kept["shifted"]["b_to_a"] < 0.3


def test_quality_scores_an_ema_generator_with_batch_norm_after_its_standing_statistics():
    # `keras-gan evaluate` recomputes such a generator's statistics before it samples; the suite
    # must too.
    from keras_gan.layers import SyncBatchNormalization
    from keras_gan.models import GAN
    from keras_gan.zoo.networks.mlp import mlp_discriminator, mlp_generator

    z = keras.Input((2,))
    h = SyncBatchNormalization(name="bn")(keras.layers.Dense(3)(z))
    model = GAN(
        keras.Model(z, keras.layers.Dense(2)(h)), mlp_discriminator(width=4, depth=1), ema_decay=0.9
    )
    bn = model.generator.get_layer("bn")
    result, applied = quality._score(model, "ring8", 8, n=64)
    assert applied is True and np.abs(bn.moving_mean.numpy()).max() > 0
    from keras_gan.metrics import evaluate_model

    # the statistics it left
    assert result["generated"] == evaluate_model(model, "ring8", n=64)["generated"]
    plain = GAN(mlp_generator(latent_dim=2, width=4, depth=1), mlp_discriminator(width=4, depth=1))
    assert quality._score(plain, "ring8", 8, n=64)[1] is False


def test_family_eval_restores_the_checkpoint_of_the_step_asked_for(tmp_path):
    import pytest

    from benchmarks.experiments.family_eval import restore_step
    from keras_gan.checkpoints import Checkpoints
    from keras_gan.runs import RunDir
    from tests.harness import build_tiny

    model = build_tiny("gan-ring8")
    checkpoints = Checkpoints(RunDir(str(tmp_path)).checkpoint_dir, keep=5)
    kernels = {}
    for step in (10, 20):
        model.step_counter.assign(step)
        for w in model.trained_generator.weights:
            w.assign(np.full(w.shape, step, w.dtype))
        kernels[step] = model.trained_generator.get_weights()
        checkpoints.save(model, step)
    restore_step(model, str(tmp_path), 10)
    assert model.step == 10
    for got, want in zip(model.trained_generator.get_weights(), kernels[10]):
        np.testing.assert_array_equal(got, want)
    with pytest.raises(ValueError, match=r"No checkpoint of step 15 .*\[10, 20\]"):
        restore_step(model, str(tmp_path), 15)


def test_unroll_reach_grows_with_the_unrolled_step_and_reports_adams(capsys):
    from benchmarks.experiments import unroll_reach

    unroll_reach.main(["unrolled-ring8", "--warmup", "0", "--rates", "1e-5", "1e-1"])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows[0]["mean_abs_logit"] > 0
    small, large, own_adam, fresh_adam = rows[1:]
    assert (small["unrolled_eta"], large["unrolled_eta"]) == (1e-5, 1e-1)
    assert 0 < small["mean_abs_delta_logit"] < large["mean_abs_delta_logit"]
    assert own_adam["unrolled_adam"] == 0 and fresh_adam["steps"] == own_adam["steps"] == 5
    assert fresh_adam["mean_abs_delta_logit"] > small["mean_abs_delta_logit"]
    # With no warmup D's Adam has zeroed moments: its simulated steps are a fresh Adam's.
    np.testing.assert_allclose(
        own_adam["mean_abs_delta_logit"], fresh_adam["mean_abs_delta_logit"], rtol=1e-4
    )


def test_mode_curve_draws_a_panel_per_evaluation_without_changing_the_run(tmp_path, capsys):
    from PIL import Image

    from benchmarks.experiments import mode_curve

    args = ["gan-ring8", "--steps", "4", "--every", "2", "--overrides", '{"width": 4, "depth": 1}']
    mode_curve.main([*args, "--figure", str(tmp_path / "curve.png")])
    with_figure = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    mode_curve.main(args)
    without = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    keys = ("step", "modes", "high_quality_fraction", "d_loss", "g_loss")
    assert [[r[k] for k in keys] for r in with_figure] == [[r[k] for k in keys] for r in without]
    width, height = Image.open(tmp_path / "curve.png").size
    one = mode_curve.images.scatter(
        np.zeros((1, 2)), np.ones((1, 2)), size=240, limits=(-1, 1), title="step 2"
    )
    assert (width, height) == (2 * one.shape[1], one.shape[0])


def test_mode_curve_scores_stacked_mnist_with_one_classifier(
    tmp_path, capsys, mnist_dir, monkeypatch
):
    """On Stacked MNIST each evaluation scores `--n` samples with the classifier built once (here
    a stub that reads a digit off each channel's mean ink)."""
    from benchmarks.experiments import mode_curve

    built = []

    class InkDigits:
        def __init__(self, x, y, key=None):
            built.append((len(x), key))

        def __call__(self, images):
            ink = np.clip(((images.mean(axis=(1, 2, 3)) + 1) * 5).astype(int), 0, 9)
            return None, np.eye(10)[ink]

    monkeypatch.setattr(mode_curve, "DomainClassifier", InkDigits)
    overrides = '{"latent_dim": 8, "width": 8, "d_width": 1}'
    args = ["gan-stacked-mnist-metz", "--steps", "4", "--every", "2", "--overrides", overrides]
    mode_curve.main([*args, "--data-dir", mnist_dir, "--n", "300", "--batch-size", "8"])
    out = capsys.readouterr().out.splitlines()
    rows = [json.loads(line) for line in out if line.startswith("{")]
    assert len(built) == 1 and built[0][1] == "mnist"
    assert [r["step"] for r in rows] == [2, 4]
    assert all(1 <= r["modes"] <= 1000 and r["reverse_kl"] >= 0 for r in rows)
    assert "high_quality_fraction" not in rows[0]
    with pytest.raises(SystemExit):
        mode_curve.main([*args, "--data-dir", mnist_dir, "--figure", str(tmp_path / "x.png")])
