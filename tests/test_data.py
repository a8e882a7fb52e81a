"""Data sources: shapes, ranges, labels, geometry, and every bad-input error."""

import gzip
import os

import numpy as np
import pytest
import tensorflow as tf

from keras_gan import data
from keras_gan.data import DataError


def test_ring8_geometry():
    mix = data.mixture("ring8")
    np.testing.assert_allclose(np.linalg.norm(mix.centers, axis=1), 1.0)
    assert len(mix.centers) == 8 and mix.std == 0.01
    x, idx = mix.sample(20000, seed=0)
    residual = x - mix.centers[idx]
    assert residual.std() == pytest.approx(0.01, rel=0.05)


def test_grid25_geometry():
    mix = data.mixture("grid25")
    assert sorted(set(mix.centers[:, 0])) == [-4, -2, 0, 2, 4]
    assert len({tuple(c) for c in mix.centers}) == 25 and mix.std == 0.05


def test_load_batches_hold_n_critic_minibatches():
    ds = data.load("ring8", batch_size=16, n_critic=3, num_examples=500)
    batches = list(ds)
    assert len(batches) == 500 // 48
    x, y = batches[0]
    assert x.shape == (48, 2) and x.dtype == tf.float32 and y.dtype == tf.int32


def test_digits_range_and_labels():
    x, y = data.load_arrays("digits")
    assert x.shape == (1797, 8, 8, 1) and x.min() == -1.0 and x.max() == 1.0
    assert set(np.unique(y)) == set(range(10))


def test_mnist_idx(mnist_dir):
    x, y = data.load_arrays("mnist", data_dir=mnist_dir)
    assert x.shape == (10000, 28, 28, 1) and y.shape == (10000,)
    assert x.min() == -1.0 and x.max() == 1.0 and set(np.unique(y)) == set(range(10))


def test_tfds_source_with_mock_data():
    import tensorflow_datasets as tfds

    with tfds.testing.mock_data(num_examples=12):
        ds = data.load("tfds:mnist", batch_size=4)
        x, y = next(iter(ds))
    assert x.shape == (4, 28, 28, 1) and y.shape == (4,)
    assert float(tf.reduce_min(x)) >= -1.0 and float(tf.reduce_max(x)) <= 1.0


def _write_png(path, array):
    tf.io.write_file(str(path), tf.io.encode_png(array))


def test_folder_source(tmp_path):
    rng = np.random.default_rng(0)
    for i in range(3):
        _write_png(tmp_path / f"a{i}.png", rng.integers(0, 256, (6, 6, 3), dtype=np.uint8))
    _write_png(tmp_path / "big.png", rng.integers(0, 256, (12, 12, 3), dtype=np.uint8))
    (tmp_path / "notes.txt").write_text("not an image")
    x, y = data.load_arrays(f"folder:{tmp_path}")
    assert x.shape == (4, 6, 6, 3) and y is None
    assert x.min() >= -1 and x.max() <= 1
    x, _ = data.load_arrays(f"folder:{tmp_path}", image_size=(4, 4))
    assert x.shape == (4, 4, 4, 3)


def test_folder_of_mixed_kinds_takes_the_first_images_kind(tmp_path, capsys):
    rgba = np.zeros((6, 6, 4), np.uint8)
    rgba[..., :3] = [200, 100, 0]
    _write_png(tmp_path / "a.png", rgba)
    _write_png(tmp_path / "b.png", np.full((6, 6, 1), 255, np.uint8))
    _write_png(tmp_path / "c.png", np.full((6, 6, 2), 255, np.uint8))  # grey + alpha
    x, _ = data.load_arrays(f"folder:{tmp_path}")
    assert x.shape == (3, 6, 6, 3)
    np.testing.assert_allclose(x[0, 0, 0], np.array([200, 100, 0]) / 127.5 - 1, atol=1e-6)
    np.testing.assert_array_equal(x[1:], 1.0)
    assert "Converted 3 of 3 images" in capsys.readouterr().out  # the first loses its alpha


def test_folder_of_one_image_warns(tmp_path, capsys):
    _write_png(tmp_path / "only.png", np.zeros((6, 6, 1), np.uint8))
    assert data.load_arrays(f"folder:{tmp_path}")[0].shape == (1, 6, 6, 1)
    assert "holds 1 image: every batch will be that image" in capsys.readouterr().out


def test_folder_with_a_symlink_loop_names_the_file(tmp_path):
    _write_png(tmp_path / "a.png", np.zeros((6, 6, 1), np.uint8))
    os.symlink("loop.png", tmp_path / "loop.png")
    with pytest.raises(DataError, match=r"Cannot read .*loop.png: Too many levels of symbolic"):
        data.load_arrays(f"folder:{tmp_path}")


# ----------------------------------------------------------- bad input
def test_unknown_source():
    with pytest.raises(DataError, match="Unknown data source 'cifar'"):
        data.load("cifar", 8)


def test_mnist_without_data_dir_uses_keras_datasets(monkeypatch):
    import keras

    def offline():
        raise OSError("no network")

    monkeypatch.setattr(keras.datasets.mnist, "load_data", offline)
    with pytest.raises(
        DataError, match="keras.datasets.mnist, which could not be loaded.*pass --data-dir"
    ):
        data.load("mnist", 8)
    train = np.full((20, 28, 28), 255, np.uint8), np.arange(20) % 10
    test = np.zeros((10, 28, 28), np.uint8), np.arange(10)
    monkeypatch.setattr(keras.datasets.mnist, "load_data", lambda: (train, test))
    x, y = data.load_arrays("mnist")
    assert x.shape == (20, 28, 28, 1) and np.all(x == 1.0) and y.dtype == np.int32
    x, _ = data.load_arrays("mnist", split="test")
    assert x.shape == (10, 28, 28, 1) and np.all(x == -1.0)


def test_mnist_missing_dir(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        data.load("mnist", 8, data_dir=str(tmp_path / "nowhere"))


def test_mnist_empty_dir(tmp_path):
    with pytest.raises(DataError, match="No MNIST files"):
        data.load("mnist", 8, data_dir=str(tmp_path))


def test_mnist_images_without_labels(tmp_path):
    with gzip.open(tmp_path / "t10k-images-idx3-ubyte.gz", "wb") as f:
        f.write(
            bytes([0, 0, 8, 3]) + (2).to_bytes(4, "big") + (2).to_bytes(4, "big") * 2 + bytes(8)
        )
    with pytest.raises(DataError, match="no matching t10k-labels"):
        data.load("mnist", 1, data_dir=str(tmp_path))


def test_truncated_idx(tmp_path):
    path = tmp_path / "t10k-images-idx3-ubyte"
    path.write_bytes(
        bytes([0, 0, 8, 3]) + (5).to_bytes(4, "big") + (28).to_bytes(4, "big") * 2 + bytes(100)
    )
    with pytest.raises(DataError, match="truncated or corrupt"):
        data.read_idx(str(path))


def _idx(path, array):
    """Writes `array` (uint8) as an IDX file, gzipped if `path` ends with .gz."""
    array = np.asarray(array, np.uint8)
    raw = bytes([0, 0, 8, array.ndim]) + b"".join(d.to_bytes(4, "big") for d in array.shape)
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "wb") as f:
        f.write(raw + array.tobytes())


def test_idx_cut_inside_its_header(tmp_path):
    # The header declares 3 dimensions (12 bytes) but the file ends after 6 of them.
    path = tmp_path / "t10k-images-idx3-ubyte"
    path.write_bytes(bytes([0, 0, 8, 3]) + (5).to_bytes(4, "big")[:2])
    with pytest.raises(DataError, match=r"truncated: its header needs 16 bytes, the file holds 6"):
        data.read_idx(str(path))
    _idx(tmp_path / "t10k-labels-idx1-ubyte", [1, 2, 3, 4, 5])
    with pytest.raises(DataError, match="t10k-images-idx3-ubyte is truncated"):
        data.load_arrays("mnist", data_dir=str(tmp_path))


def test_idx_images_and_labels_swapped(tmp_path):
    images, labels = np.zeros((4, 28, 28)), np.arange(4)
    _idx(tmp_path / "t10k-images-idx3-ubyte.gz", labels)  # swapped
    _idx(tmp_path / "t10k-labels-idx1-ubyte.gz", images)
    with pytest.raises(DataError, match=r"holds a 1-D array \(labels\), where images \(3-D\)"):
        data.load_arrays("mnist", data_dir=str(tmp_path))


def test_idx_labels_out_of_range(tmp_path):
    _idx(tmp_path / "t10k-images-idx3-ubyte.gz", np.zeros((4, 28, 28)))
    _idx(tmp_path / "t10k-labels-idx1-ubyte.gz", [3, 1, 200, 4])
    with pytest.raises(DataError, match="holds label 200 at index 2; MNIST's labels are 0-9"):
        data.load_arrays("mnist", data_dir=str(tmp_path))


def test_mnist_training_on_the_test_split_says_so(tmp_path, capsys):
    _idx(tmp_path / "t10k-images-idx3-ubyte.gz", np.zeros((4, 28, 28)))
    _idx(tmp_path / "t10k-labels-idx1-ubyte.gz", [3, 1, 2, 4])
    x, y = data.load_arrays("mnist", data_dir=str(tmp_path))
    assert x.shape == (4, 28, 28, 1) and list(y) == [3, 1, 2, 4]
    assert "training on MNIST's 10,000-image test split (t10k-*)" in capsys.readouterr().out
    data.load_arrays("mnist", data_dir=str(tmp_path), split="test")
    assert capsys.readouterr().out == ""


def test_bad_magic(tmp_path):
    path = tmp_path / "x-idx3-ubyte"
    path.write_bytes(b"GIF89a....")
    with pytest.raises(DataError, match="bad magic number"):
        data.read_idx(str(path))


def test_corrupt_gzip(tmp_path):
    path = tmp_path / "x-idx3-ubyte.gz"
    path.write_bytes(b"\x1f\x8b\x08garbage")
    with pytest.raises(DataError, match="Cannot read IDX file"):
        data.read_idx(str(path))


def test_folder_missing_and_empty(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        data.load_arrays(f"folder:{tmp_path / 'nope'}")
    with pytest.raises(DataError, match="No PNG or JPEG files"):
        data.load_arrays(f"folder:{tmp_path}")


def test_folder_corrupt_image_is_named(tmp_path):
    _write_png(tmp_path / "good.png", np.zeros((4, 4, 1), np.uint8))
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    with pytest.raises(DataError, match="broken.png"):
        data.load_arrays(f"folder:{tmp_path}")


def test_tfds_unknown_name():
    with pytest.raises(DataError, match="TFDS could not load 'no_such_dataset_xyz'"):
        data.load_arrays("tfds:no_such_dataset_xyz")


def test_too_few_examples_for_one_step():
    with pytest.raises(DataError, match="fewer than one step"):
        data.load("digits", batch_size=1000, n_critic=2)


def test_unknown_mixture():
    with pytest.raises(DataError, match="Unknown mixture"):
        data.mixture("ring9")


def test_cifar10_tfds_source_with_mock_data():
    # The sngan-cifar10 preset's source, for users who can download it.
    import tensorflow_datasets as tfds

    from keras_gan import zoo

    with tfds.testing.mock_data(num_examples=8):
        x, y = next(iter(data.load(zoo.spec("sngan-cifar10").dataset, batch_size=4)))
    assert x.shape == (4, 32, 32, 3) and y.shape == (4,)


def test_a_folder_of_mixed_sizes_says_it_resized(tmp_path, capsys):
    for i, side in enumerate((8, 8, 12)):
        tf.io.write_file(
            str(tmp_path / f"{i}.png"), tf.io.encode_png(np.zeros((side, side, 1), np.uint8))
        )
    x, _ = data.load_arrays(f"folder:{tmp_path}")
    assert x.shape == (3, 8, 8, 1)
    assert (
        f"Resized 1 of 3 images in {tmp_path} to 8x8 (the first image's size)."
        in capsys.readouterr().out
    )


def test_celeba64_is_cropped_and_resized_with_mock_data():
    # The stylegan-celeba64 preset's source, for users who can download it.
    import tensorflow_datasets as tfds

    from keras_gan import zoo

    with tfds.testing.mock_data(num_examples=4):
        x, y = data.load_arrays(zoo.spec("stylegan-celeba64").dataset)
    assert x.shape == (4, 64, 64, 3) and y is None
    assert x.min() >= -1.0 and x.max() <= 1.0


def test_mnist32_pads_with_background(mnist_dir):
    x, y = data.load_arrays("mnist32", data_dir=mnist_dir, split="test")
    plain, _ = data.load_arrays("mnist", data_dir=mnist_dir, split="test")
    assert x.shape == (len(plain), 32, 32, 1) and len(y) == len(plain)
    np.testing.assert_array_equal(x[:, 2:30, 2:30], plain)
    assert (x[:, :2] == -1.0).all() and (x[:, :, 30:] == -1.0).all()


def test_imagenet128_crops_the_long_edge_and_resizes_as_pil():
    # BigGAN-PyTorch's CenterCropLongEdge then Resize(128) (PIL, bilinear), on a smooth image.
    from PIL import Image
    from scipy import ndimage

    rng = np.random.default_rng(0)
    image = ndimage.gaussian_filter(rng.uniform(0, 255, (300, 400, 3)), (3, 3, 0))
    image = image.astype(np.uint8)
    ours = data._square(tf.constant(image), 128).numpy()
    crop = image[:, 50:350]
    pil = np.asarray(Image.fromarray(crop).resize((128, 128), Image.BILINEAR))
    assert ours.dtype == np.uint8 and np.abs(ours.astype(int) - pil).max() <= 1
    tall = rng.integers(0, 256, (10, 6, 3), dtype=np.uint8)  # no resize: the exact centre crop
    np.testing.assert_array_equal(data._square(tf.constant(tall), 6), tall[2:8])


def test_imagenet128_is_streamed_from_tfds(tmp_path):
    import tensorflow_datasets as tfds

    with tfds.testing.mock_data(num_examples=10):
        x, y = next(iter(data.load("imagenet128", batch_size=2, n_critic=2)))
        batches = list(data.image_batches("imagenet128", batch_size=4))
        unlabelled = next(iter(data.load("imagenet128", batch_size=3, labels=False)))
    assert x.shape == (4, 128, 128, 3) and y.dtype == tf.int32
    assert float(tf.reduce_min(x)) >= -1.0 and float(tf.reduce_max(x)) <= 1.0
    assert ((y.numpy() >= 0) & (y.numpy() < 1000)).all()
    assert [b.shape for b in batches] == [(4, 128, 128, 3), (4, 128, 128, 3), (2, 128, 128, 3)]
    assert unlabelled.shape == (3, 128, 128, 3)
    assert not data.has_labels("imagenet128")
    with pytest.raises(DataError, match="'imagenet128' \\(imagenet2012\\) is streamed"):
        data.load_arrays("imagenet128")
    with pytest.raises(DataError, match="tfds build imagenet2012"):
        data.load("imagenet128", batch_size=2, data_dir=str(tmp_path))  # nothing prepared
