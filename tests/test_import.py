"""`keras-gan import`: a StudioGAN checkpoint (the parity fixture's state dicts, written as the
files users bring) becomes a run directory that sample and export use; bad checkpoints are refused
by name."""

import json
import pathlib

import numpy as np
import pytest

from keras_gan.cli import main
from keras_gan.convert.checkpoints import read_state_dict
from keras_gan.runs import load_run

FIXTURES = pathlib.Path(__file__).parent / "fixtures" / "parity"
FIXTURE = FIXTURES / "studiogan_biggan_cifar10.npz"
SMALL = ["--set", "ch=8", "--set", "shared_dim=16"]


def _write_safetensors(path, arrays):
    """The safetensors layout: an 8-byte little-endian header size, a JSON header, the data."""
    header, chunks, offset = {}, [], 0
    for name, array in arrays.items():
        data = np.ascontiguousarray(array, np.float32).tobytes()
        header[name] = {
            "dtype": "F32",
            "shape": list(array.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header).encode()
    path.write_bytes(len(text).to_bytes(8, "little") + text + b"".join(chunks))


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory):
    arrays = np.load(FIXTURE)
    folder = tmp_path_factory.mktemp("checkpoints")
    g = {k[2:]: arrays[k] for k in arrays.files if k.startswith("g/")}
    d = {f"state_dict.{k[2:]}": arrays[k] for k in arrays.files if k.startswith("d/")}
    _write_safetensors(folder / "G_ema.safetensors", g)
    np.savez(folder / "D.npz", **d)  # as StudioGAN saves it: {"state_dict": ...}
    return folder, arrays


@pytest.fixture(scope="module")
def imported(checkpoints, tmp_path_factory):
    folder, arrays = checkpoints
    run = tmp_path_factory.mktemp("imported") / "run"
    args = ["import", "studiogan", str(folder / "G_ema.safetensors"), "--preset", "biggan-cifar10"]
    assert main([*args, "--discriminator", str(folder / "D.npz"), *SMALL, "--out", str(run)]) == 0
    return run, arrays


def test_an_imported_run_computes_what_studiogan_computes_and_samples(imported):
    run, arrays = imported
    model = load_run(str(run))
    for generator in (model.generator, model.network_to_save("generator")):  # EMA and trained
        images = generator([arrays["z"], arrays["labels"]], training=False).numpy()
        theirs = arrays["images"].transpose(0, 2, 3, 1)
        assert np.max(np.abs(images - theirs)) < 1e-5 * np.max(np.abs(theirs))
    x = arrays["x"].transpose(0, 2, 3, 1)
    scores = model.discriminator([x, arrays["labels"]], training=False).numpy()[:, 0]
    np.testing.assert_allclose(scores, arrays["scores"], rtol=1e-5, atol=1e-5)
    config = json.loads((run / "config.json").read_text())
    assert config["imported"]["format"] == "studiogan" and config["overrides"]["ch"] == 8
    assert main(["sample", str(run), "--label", "3", "--out", str(run / "three.png")]) == 0
    assert (run / "three.png").stat().st_size > 0


@pytest.mark.slow
def test_an_imported_run_exports(imported, tmp_path):
    run, _ = imported
    assert main(["export", str(run), "--serving-dir", str(tmp_path / "serving")]) == 0
    assert (tmp_path / "serving" / "biggan-cifar10" / "1" / "saved_model.pb").exists()


def test_bad_imports_are_refused_by_name(checkpoints, tmp_path, capsys):
    folder, arrays = checkpoints
    g = str(folder / "G_ema.safetensors")
    assert (
        main(["import", "studiogan", g, "--preset", "dcgan-digits", "--out", str(tmp_path / "a")])
        == 2
    )
    assert (
        "studiogan checkpoints convert into biggan-cifar10, sagan-cifar10"
        in capsys.readouterr().err
    )
    # the full-size preset does not fit the small checkpoint: the first tensor is named
    assert (
        main(["import", "studiogan", g, "--preset", "biggan-cifar10", "--out", str(tmp_path / "b")])
        == 2
    )
    assert "'linear0.weight_orig' has shape" in capsys.readouterr().err
    assert not (tmp_path / "b" / "model.keras").exists()
    out = tmp_path / "c"
    assert (
        main(["import", "studiogan", g, "--preset", "biggan-cifar10", *SMALL, "--out", str(out)])
        == 0
    )
    before = (out / "model.keras").read_bytes()
    assert (
        main(["import", "studiogan", g, "--preset", "biggan-cifar10", *SMALL, "--out", str(out)])
        == 2
    )
    assert "already holds a run" in capsys.readouterr().err
    assert (out / "model.keras").read_bytes() == before


def test_a_pytorch_file_without_pytorch_says_what_to_install(tmp_path):
    path = tmp_path / "G.pth"
    path.write_bytes(b"not read")
    try:
        import torch  # noqa: F401
    except ImportError:
        with pytest.raises(ValueError, match=r"pip install keras-gan\[convert\]"):
            read_state_dict(path)
    else:
        pytest.skip("PyTorch is installed here")


def test_state_dict_unwrapping(tmp_path):
    np.savez(tmp_path / "m.npz", **{"module.linear.weight": np.ones((2, 3))})
    state = read_state_dict(tmp_path / "m.npz")
    assert list(state.arrays) == ["linear.weight"]
    with pytest.raises(ValueError, match="Received: .*G.ckpt"):
        (tmp_path / "G.ckpt").write_bytes(b"")
        read_state_dict(tmp_path / "G.ckpt")


def test_cyclegan_translators_import_both_ways(tmp_path):
    arrays = np.load(FIXTURES / "cyclegan_resnet9_patchgan.npz")
    g = {k[2:]: arrays[k] for k in arrays.files if k.startswith("g/")}
    np.savez(tmp_path / "latest_net_G_A.npz", **g)
    _write_safetensors(tmp_path / "latest_net_G_B.safetensors", g)
    run = tmp_path / "run"
    small = ["--set", "image_shape=[32, 32, 3]", "--set", "width=4", "--set", "d_width=4"]
    args = ["import", "cyclegan", str(tmp_path / "latest_net_G_A.npz"), "--generator-b"]
    args += [str(tmp_path / "latest_net_G_B.safetensors"), "--preset", "cyclegan-horse2zebra"]
    assert main([*args, *small, "--out", str(run)]) == 0
    model = load_run(str(run))
    x, theirs = (arrays[k].transpose(0, 2, 3, 1) for k in ("x", "images"))
    for generator in (model.generator_ab, model.generator_ba):
        ours = generator(x, training=False).numpy()
        assert np.max(np.abs(ours - theirs)) < 1e-5 * np.max(np.abs(theirs))


def test_biggan_pytorch_generator_and_discriminator_import(tmp_path):
    # The parity fixtures' state dicts, saved as users save BigGAN-PyTorch's G_ema.pth / D.pth.
    g = np.load(FIXTURES / "biggan_pytorch_128.npz")
    d = np.load(FIXTURES / "biggan_pytorch_128_d.npz")
    np.savez(tmp_path / "G_ema.npz", **{k[2:]: g[k] for k in g.files if k.startswith("g/")})
    _write_safetensors(
        tmp_path / "D.safetensors", {k[2:]: d[k] for k in d.files if k.startswith("d/")}
    )
    run = tmp_path / "run"
    args = ["import", "biggan-pytorch", str(tmp_path / "G_ema.npz"), "--discriminator"]
    args += [str(tmp_path / "D.safetensors"), "--preset", "biggan-imagenet128"]
    assert main([*args, "--set", "ch=8", "--set", "shared_dim=16", "--out", str(run)]) == 0
    model = load_run(str(run))
    images = model.generator([g["z"], g["labels"]], training=False).numpy()
    theirs = g["images"].transpose(0, 2, 3, 1)
    assert np.max(np.abs(images - theirs)) < 1e-5 * np.max(np.abs(theirs))
    scores = model.discriminator([d["x"].transpose(0, 2, 3, 1), d["labels"]], training=False)
    np.testing.assert_allclose(scores.numpy(), d["scores"], rtol=1e-5, atol=1e-5)
    out = run / "truncated.png"
    sample = ["sample", str(run), "--n", "4", "--label", "207", "--truncation", "0.5"]
    sample += ["--no-standing-stats", "--out", str(out)]  # 16 passes of 256 at 128x128: slow
    assert main(sample) == 0 and out.stat().st_size > 0


def test_zoo_build_takes_the_authors_weights(checkpoints):
    from keras_gan import zoo

    folder, arrays = checkpoints
    g, d = str(folder / "G_ema.safetensors"), str(folder / "D.npz")
    model = zoo.build("biggan-cifar10", ch=8, shared_dim=16, weights=g)
    images = model.generator([arrays["z"], arrays["labels"]], training=False).numpy()
    theirs = arrays["images"].transpose(0, 2, 3, 1)
    assert np.max(np.abs(images - theirs)) < 1e-5 * np.max(np.abs(theirs))
    model = zoo.build(
        "biggan-cifar10", ch=8, shared_dim=16, weights={"generator": g, "discriminator": d}
    )
    x = arrays["x"].transpose(0, 2, 3, 1)
    scores = model.discriminator([x, arrays["labels"]], training=False).numpy()[:, 0]
    np.testing.assert_allclose(scores, arrays["scores"], rtol=1e-5, atol=1e-5)
    with pytest.raises(ValueError, match="No authors' checkpoints convert into 'dcgan-digits'"):
        zoo.build("dcgan-digits", weights=g)
