"""`keras_gan.latent`: interpolation and vector arithmetic against NumPy closed forms."""

import numpy as np
import pytest

from keras_gan import latent, zoo


def _slerp(z0, z1, t):
    """White (2016)'s slerp in float64, one t."""
    omega = np.arccos(np.clip(np.dot(z0 / np.linalg.norm(z0), z1 / np.linalg.norm(z1)), -1, 1))
    return (np.sin((1 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(omega)


def test_slerp_and_lerp_match_their_closed_forms_with_exact_ends():
    rng = np.random.default_rng(0)
    z0, z1 = rng.normal(size=(2, 64)).astype(np.float32)
    ts = np.linspace(0, 1, 7)
    path = np.asarray(latent.interpolate(z0, z1, 7))
    assert path.shape == (7, 64) and path.dtype == np.float32
    np.testing.assert_array_equal(path[0], z0)
    np.testing.assert_array_equal(path[-1], z1)
    want = np.stack([_slerp(z0.astype(np.float64), z1.astype(np.float64), t) for t in ts])
    np.testing.assert_allclose(path, want, rtol=1e-5, atol=1e-5)
    lerp = np.asarray(latent.interpolate(z0, z1, 7, method="lerp"))
    np.testing.assert_allclose(lerp, (1 - ts[:, None]) * z0 + ts[:, None] * z1, atol=1e-6)
    np.testing.assert_array_equal(lerp[[0, -1]], np.stack([z0, z1]))


def test_slerp_takes_equal_angles_and_keeps_the_norm_between_equal_norms():
    rng = np.random.default_rng(1)
    z0, z1 = rng.normal(size=(2, 128))
    z1 *= np.linalg.norm(z0) / np.linalg.norm(z1)
    path = np.asarray(latent.interpolate(z0, z1, 9), np.float64)
    unit = path / np.linalg.norm(path, axis=1, keepdims=True)
    angles = np.arccos(np.clip(np.sum(unit[1:] * unit[:-1], axis=1), -1, 1))
    np.testing.assert_allclose(angles, angles.mean(), rtol=1e-3)
    total = np.arccos(np.dot(unit[0], unit[-1]))
    np.testing.assert_allclose(angles.sum(), total, rtol=1e-4)
    np.testing.assert_allclose(np.linalg.norm(path, axis=1), np.linalg.norm(z0), rtol=1e-5)
    # A straight line between two Gaussian draws dips far inside the prior's shell.
    middle = np.asarray(latent.interpolate(z0, z1, 3, method="lerp"))[1]
    assert np.linalg.norm(middle) < 0.85 * np.linalg.norm(z0)


def test_batched_paths_equal_paths_one_at_a_time_and_parallel_latents_fall_back_to_lerp():
    rng = np.random.default_rng(2)
    z0, z1 = rng.normal(size=(2, 3, 16)).astype(np.float32)
    batched = np.asarray(latent.interpolate(z0, z1, 5))
    assert batched.shape == (3, 5, 16)
    for i in range(3):
        np.testing.assert_allclose(batched[i], latent.interpolate(z0[i], z1[i], 5), atol=1e-6)
    same = np.asarray(latent.interpolate(z0[0], 2 * z0[0], 3))
    np.testing.assert_allclose(same[1], 1.5 * z0[0], rtol=1e-6)
    assert np.isfinite(same).all()


def test_arithmetic_is_the_signed_sum_of_group_means():
    rng = np.random.default_rng(3)
    a, b, c = (rng.normal(size=(3, 10)) for _ in range(3))
    got = np.asarray(latent.arithmetic([a, b, c], [1, -1, 1]))
    np.testing.assert_allclose(got, a.mean(0) - b.mean(0) + c.mean(0), atol=1e-6)
    single = np.asarray(latent.arithmetic([a[0], b], [0.5, 2.0]))  # a [d] latent is a group of one
    np.testing.assert_allclose(single, 0.5 * a[0] + 2.0 * b.mean(0), atol=1e-6)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda z: latent.interpolate(z, z, 1), "steps must be an integer >= 2"),
        (lambda z: latent.interpolate(z, z, 4, method="cubic"), "method must be one of"),
        (lambda z: latent.interpolate(z, z[:3], 4), r"shapes \(4,\) and \(3,\)"),
        (lambda z: latent.arithmetic([z, z], [1]), "one sign per group"),
        (lambda z: latent.arithmetic([z, z[:3]], [1, 1]), r"sizes \[3, 4\]"),
        (lambda z: latent.arithmetic([np.zeros((0, 4))], [1]), "group 0 of shape"),
    ],
)
def test_bad_arguments_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call(np.ones(4, np.float32))


def test_a_generator_decodes_an_interpolation_from_one_sample_to_another():
    model = zoo.build("gan-ring8")
    z = model.sample_latents(2, seed=0)
    path = latent.interpolate(z[0], z[1], 6)
    points = model.decode_latents(path)
    np.testing.assert_allclose(points[[0, -1]], model.decode_latents(z), atol=1e-6)


# ------------------------------------------------------------ models, signature, CLI
def test_the_interpolate_signature_draws_the_paths_serving_default_would(tmp_path):
    import tensorflow as tf

    from tests.harness import build_tiny

    model = build_tiny("cgan-mnist")
    sigs = model.serving_signatures()
    rng = np.random.default_rng(0)
    z0, z1 = (rng.standard_normal((2, model.latent_dim)).astype(np.float32) for _ in range(2))
    label = np.array([3, 7], np.int32)
    out = sigs["interpolate"].function(z0=z0, z1=z1, steps=tf.constant(5), label=label)["images"]
    assert out.shape == (2, 5, 28, 28, 1)
    path = np.asarray(latent.interpolate(z0, z1, 5)).reshape(-1, model.latent_dim)
    want = sigs["serving_default"].function(z=path, label=np.repeat(label, 5))["images"]
    np.testing.assert_allclose(out.numpy().reshape(want.shape), want.numpy(), atol=1e-6)
    for steps, message in ((1, "steps: must be at least 2"), (65, "steps: must be at most 64")):
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            sigs["interpolate"].function(z0=z0, z1=z1, steps=tf.constant(steps), label=label)
    many = np.zeros((300, model.latent_dim), np.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="rows x steps must be at most 1024"):
        sigs["interpolate"].function(
            z0=many, z1=many, steps=tf.constant(4), label=np.zeros(300, np.int32)
        )


def test_stylegan_decodes_w_as_the_mapping_of_z():
    from tests.harness import build_tiny

    model = build_tiny("stylegan-mnist")
    assert model.capabilities().latent_spaces == ("z", "w")
    z = np.asarray(model.sample_latents(3, 0))
    w = model.to_space(z, "w")
    assert w.shape == (3, model.w_dim)
    np.testing.assert_allclose(model.decode_space(w, "w"), model.decode_space(z, "z"), atol=1e-5)
    with pytest.raises(ValueError, match="space must be 'z' or 'w'. Received: space='x'"):
        model.to_space(z, "x")


def test_layer_path_moves_only_the_chosen_layers():
    rng = np.random.default_rng(0)
    w0, w1 = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    ws = np.asarray(latent.layer_path(w0, w1, 5, num_ws=4, layers=(1, 3)))
    assert ws.shape == (2, 5, 4, 3)
    t = np.linspace(0, 1, 5)[None, :, None]
    for layer in range(4):
        expected = w0[:, None] + t * (w1 - w0)[:, None] if layer in (1, 2) else w0[:, None] + 0 * t
        np.testing.assert_allclose(ws[:, :, layer], expected, rtol=1e-6, atol=1e-6)
    with pytest.raises(ValueError, match=r"0 <= start < stop <= 4. Received: layers=\(2, 2\)"):
        latent.layer_path(w0, w1, 5, num_ws=4, layers=(2, 2))


def test_stylegan_decodes_one_w_per_layer():
    from tests.harness import build_tiny

    model = build_tiny("stylegan-mnist")
    layers = model.capabilities().style_layers
    assert layers == model.num_ws > 1
    w = model.to_space(np.asarray(model.sample_latents(2, 0)), "w")
    other = model.to_space(np.asarray(model.sample_latents(2, 1)), "w")
    same = np.repeat(w[:, None], layers, axis=1)
    np.testing.assert_allclose(model.decode_space(same, "w"), model.decode_space(w, "w"), atol=1e-5)
    ws = np.asarray(latent.layer_path(w, other, 3, layers, (0, layers)))  # every layer: W's lerp
    full = np.asarray(latent.interpolate(w, other, 3, "lerp"))
    np.testing.assert_allclose(
        model.decode_space(ws.reshape(-1, layers, w.shape[-1]), "w"),
        model.decode_space(full.reshape(-1, w.shape[-1]), "w"),
        atol=1e-5,
    )


def test_cli_interpolate(tmp_path, capsys):
    from keras_gan.cli import main

    run = tmp_path / "run"
    assert (
        main(["train", "dcgan-digits", "--steps", "1", "--batch-size", "8", "--out", str(run)]) == 0
    )
    out = tmp_path / "grid.png"
    assert main(["interpolate", str(run), "--rows", "3", "--steps", "5", "--out", str(out)]) == 0
    assert out.exists()
    capsys.readouterr()
    for argv, message in (
        (["--space", "w"], "--space w: dcgan_digits's latent spaces: z."),
        (["--steps", "1"], "--steps must be at least 2"),
        (["--label", "2"], "--label: dcgan_digits is not class-conditional"),
        (["--rows", "100"], "--rows must be at most 64"),
        (["--layers", "0:2"], "--layers moves some of a style-based generator's per-layer ws"),
    ):
        assert main(["interpolate", str(run), *argv]) == 2
        assert message in capsys.readouterr().err


def test_arithmetic_terms_parse_as_the_paper_writes_them():
    from keras_gan.cli.arithmetic import parse_terms
    from keras_gan.cli.common import CLIError

    assert parse_terms("0,1,2 - 3,4,5 + 6,7,8") == ([[0, 1, 2], [3, 4, 5], [6, 7, 8]], [1, -1, 1])
    assert parse_terms("-4 + 5,6") == ([[4], [5, 6]], [-1, 1])
    for bad in ("0,,1", "1 2", "a - b", "", "1 -"):
        with pytest.raises(CLIError, match="groups of seeds joined by"):
            parse_terms(bad)


def test_cli_arithmetic_saves_the_result_of_the_group_means(tmp_path, capsys):
    from keras_gan import runs
    from keras_gan.cli import main

    run = tmp_path / "run"
    assert (
        main(["train", "dcgan-digits", "--steps", "1", "--batch-size", "8", "--out", str(run)]) == 0
    )
    out = tmp_path / "a.png"
    argv = ["arithmetic", str(run), "0,1,2 - 3,4,5 + 6,7,8", "--out", str(out)]
    assert main(argv) == 0 and out.exists()
    model = runs.RunDir(run).load_model()
    groups = [
        np.concatenate([model.sample_latents(1, s) for s in g])
        for g in ((0, 1, 2), (3, 4, 5), (6, 7, 8))
    ]
    want = groups[0].mean(0) - groups[1].mean(0) + groups[2].mean(0)
    np.testing.assert_allclose(np.load(tmp_path / "a.npy"), want, atol=1e-6)
    capsys.readouterr()
    assert main(["arithmetic", str(run), "1 - 2", "--label", "3"]) == 2
    assert "not class-conditional" in capsys.readouterr().err


@pytest.mark.parametrize("preset", ["biggan-mnist", "cgan-mnist"])
def test_the_class_decoder_is_the_generator_from_its_class_vector_on(preset):
    from tests.harness import build_tiny

    model = build_tiny(preset)
    embed, decode = model.class_decoder()
    z = np.asarray(model.sample_latents(4, 0))
    labels = np.array([0, 1, 2, 0])
    want = np.clip(model.decode_latents(z, labels), -1, 1)
    np.testing.assert_allclose(decode(z, embed(labels)), want, atol=1e-6)
    assert build_tiny("dcgan-digits").class_decoder() is None


def test_cli_interpolates_between_two_classes(tmp_path, capsys, mnist_dir):
    from keras_gan.cli import main

    run = tmp_path / "run"
    argv = ["train", "cgan-mnist", "--data-dir", mnist_dir, "--steps", "1", "--batch-size", "8"]
    assert main([*argv, "--out", str(run)]) == 0
    out = tmp_path / "classes.png"
    assert main(["interpolate", str(run), "--label", "3", "--label", "8", "--out", str(out)]) == 0
    assert out.exists()
    capsys.readouterr()
    assert main(["interpolate", str(run), "--label", "3", "--label", "10"]) == 2
    assert "--label must be a class in [0, 9] (cgan_mnist is class-conditional). Received: 10" in (
        capsys.readouterr().err
    )
