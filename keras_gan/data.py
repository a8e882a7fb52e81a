"""Datasets as batched, prefetched `tf.data` pipelines.

`load(source, batch_size, ...)` is the one entry point. Images come out as
float32 `[H, W, C]` in [-1, 1]; 2-D mixtures as float32 points `[2]`.
Elements are `(x, y)` where the data has labels, `x` alone otherwise.

Sources:
    ring8      8 Gaussians, means on the unit circle, sigma 0.01 (PacGAN).
    grid25     25 Gaussians, means on {-4, -2, 0, 2, 4}^2, sigma 0.05 (PacGAN).
    mixture1d  1-D mixture 0.6 N(-1, 0.5^2) + 0.4 N(2, 0.5^2) (the f-GAN toy task).
    digits     scikit-learn's bundled 8x8 digits (1,797 images; no download).
    mnist      MNIST IDX files (`*-images-idx3-ubyte[.gz]`) in `data_dir`, or a
               prepared TFDS copy of `mnist` under `data_dir`; without
               `data_dir`, `keras.datasets.mnist` (downloaded once to
               ~/.keras/datasets, as Keras users know it).
    mnist32    MNIST padded with background to 32×32 (StyleGAN's power-of-two sides).
    celeba64   TFDS `celeb_a`, centre-cropped to 178×178 and resized to 64×64
               (the usual CelebA-64 protocol; downloaded by TFDS when online).
    stacked_mnist  three random MNIST digits as the R, G, B channels (1,000
               modes; Metz et al. 2017, VEEGAN, PacGAN); label 100a + 10b + c.
    mnist_anomaly:D  MNIST for anomaly detection with digit D held out (MEG,
               Zenati et al. 2018): split "train" is a fixed 80% of the other
               digits; split "test" the remaining 20% of them plus every D.
    imagenet128  TFDS `imagenet2012` (its train split: 1.28M images), each centre-cropped
               to a square on its long edge and resized to 128×128 (BigGAN-PyTorch's
               preprocessing), streamed: read as training reads it, never held in memory.
               TFDS needs the ImageNet files placed in its manual folder once (ImageNet's
               licence forbids a download); labels 0-999.
    tfds:NAME  any TFDS image dataset (downloaded by TFDS when online).
    folder:PATH  every PNG/JPEG file in a folder (recursively), resized to
               `image_size` if given, else to the first image's size.

`load_unpaired(a, b, batch_size, ...)` yields `(images_a, images_b)` batches of
two domains for translation (CycleGAN): two `load` sources, a built-in pair
with a known ground truth (`digits_pair`, `mnist_pair`: inverted and rotated;
`digits_tone_pair`, `mnist_tone_pair`: inverted through a tone curve), or a TFDS
`cycle_gan/NAME` dataset.
"""

import dataclasses
import gzip
import os
import struct

import numpy as np
import tensorflow as tf

MIXTURES = ("ring8", "grid25")
SOURCES = (
    "ring8",
    "grid25",
    "mixture1d",
    "digits",
    "mnist",
    "mnist32",
    "celeba64",
    "stacked_mnist",
    "mnist_anomaly:D",
    "imagenet128",
    "tfds:NAME",
    "folder:PATH",
)
# Sources too large to hold in memory: `load` and `image_batches` stream them from TFDS
# (name, side of the square images).
STREAMED = {"imagenet128": ("imagenet2012", 128)}
# Encoded examples shuffled in memory while streaming (besides TFDS's shuffle of its files).
_STREAM_SHUFFLE = 4096
_IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg")


class DataError(ValueError):
    """A data source that cannot be read; the message says what to do."""


@dataclasses.dataclass(frozen=True)
class Mixture:
    """A 2-D Gaussian mixture with equal weights and isotropic components."""

    name: str
    centers: np.ndarray
    std: float

    def sample(self, n, seed=0):
        rng = np.random.default_rng(seed)
        idx = rng.integers(0, len(self.centers), size=n)
        points = self.centers[idx] + self.std * rng.standard_normal((n, 2))
        return points.astype(np.float32), idx.astype(np.int32)


@dataclasses.dataclass(frozen=True)
class Mixture1D:
    """A 1-D Gaussian mixture (the f-GAN toy target)."""

    weights: tuple
    means: tuple
    stds: tuple

    def sample(self, n, seed=0):
        rng = np.random.default_rng(seed)
        idx = rng.choice(len(self.weights), size=n, p=np.asarray(self.weights))
        x = np.asarray(self.means)[idx] + np.asarray(self.stds)[idx] * rng.standard_normal(n)
        return x[:, None].astype(np.float32), idx.astype(np.int32)

    def pdf(self, x):
        x = np.asarray(x, np.float64)[..., None]
        w, m, s = (np.asarray(a, np.float64) for a in (self.weights, self.means, self.stds))
        return np.sum(w * np.exp(-0.5 * ((x - m) / s) ** 2) / (s * np.sqrt(2 * np.pi)), axis=-1)


# Two well-separated, unequal components, so that mode-covering (KL) and
# mode-seeking (reverse KL) fits of a single Gaussian differ visibly.
MIXTURE1D = Mixture1D(weights=(0.6, 0.4), means=(-1.0, 2.0), stds=(0.5, 0.5))


def mixture(name):
    """The `Mixture` of `ring8` or `grid25` (PacGAN's geometry)."""
    if name == "ring8":
        angles = 2 * np.pi * np.arange(8) / 8
        return Mixture("ring8", np.stack([np.cos(angles), np.sin(angles)], axis=1), 0.01)
    if name == "grid25":
        axis = np.array([-4.0, -2.0, 0.0, 2.0, 4.0])
        return Mixture("grid25", np.array([(a, b) for a in axis for b in axis]), 0.05)
    raise DataError(f"Unknown mixture {name!r}. Choose one of {MIXTURES}.")


def load(
    source,
    batch_size,
    n_critic=1,
    data_dir=None,
    split="train",
    shuffle=True,
    repeat=False,
    seed=0,
    image_size=None,
    num_examples=100_000,
    labels=True,
):
    """Loads `source` as a `tf.data.Dataset` of batches.

    Each element holds `batch_size * n_critic` examples, one minibatch per
    discriminator update of a training step (see `AdversarialModel`). Batches
    are full (`drop_remainder=True`), which distribution strategies need.

    Args:
        source: one of `SOURCES` (see the module docstring).
        batch_size: examples per discriminator update.
        n_critic: discriminator updates per step of the model to train.
        data_dir: folder holding the files of `mnist` and `tfds:` sources.
        split: TFDS split for `tfds:` sources; `"test"` reads the MNIST test
            files for `mnist`.
        shuffle: shuffle examples (seeded, reshuffled each epoch).
        repeat: repeat forever.
        seed: seed of the shuffle and of the mixtures' samples.
        image_size: `(H, W)` to resize `folder:` images to.
        num_examples: examples per epoch of a 2-D mixture.
        labels: yield `(x, y)` where the data has labels.
    """
    if int(batch_size) < 1 or int(n_critic) < 1:
        raise ValueError(
            f"batch_size and n_critic must be positive. Received: {batch_size}, {n_critic}"
        )
    if source in STREAMED:
        ds = streamed(source, data_dir, split, shuffle=shuffle, seed=seed)
        ds = (ds.repeat() if repeat else ds).map(
            lambda x, y: (_unit_range_tf(x), y) if labels else _unit_range_tf(x)
        )
        step = int(batch_size) * int(n_critic)
        return ds.batch(step, drop_remainder=True).prefetch(tf.data.AUTOTUNE)
    x, y = load_arrays(
        source,
        data_dir=data_dir,
        split=split,
        seed=seed,
        image_size=image_size,
        num_examples=num_examples,
    )
    ds = tf.data.Dataset.from_tensor_slices((x, y) if (labels and y is not None) else x)
    if shuffle:
        ds = ds.shuffle(min(len(x), 60_000), seed=seed, reshuffle_each_iteration=True)
    if repeat:
        ds = ds.repeat()
    step = int(batch_size) * int(n_critic)
    if len(x) < int(batch_size):
        raise DataError(
            f"{source!r} has {len(x)} examples, fewer than one batch of {batch_size}: every batch "
            "would repeat them. Lower --batch-size (to at most the number of examples)."
        )
    if len(x) < step and not repeat:
        raise DataError(
            f"{source!r} has {len(x)} examples, fewer than one step needs (batch_size {batch_size} "
            f"x n_critic {n_critic}); lower --batch-size."
        )
    return ds.batch(step, drop_remainder=True).prefetch(tf.data.AUTOTUNE)


def load_arrays(
    source, data_dir=None, split="train", seed=0, image_size=None, num_examples=100_000
):
    """`(x, y)` NumPy arrays of a source (`y` is None where there are no labels)."""
    if not isinstance(source, str) or not source:
        raise DataError(
            f"A data source must be a non-empty string, one of {SOURCES}. Received: {source!r}"
        )
    if source in MIXTURES:
        return mixture(source).sample(num_examples, seed)
    if source == "mixture1d":
        return MIXTURE1D.sample(num_examples, seed)
    if source == "digits":
        from sklearn.datasets import load_digits

        digits = load_digits()
        x = digits.images.astype(np.float32)[..., None] / 8.0 - 1.0  # values 0..16
        return x, digits.target.astype(np.int32)
    if source == "mnist":
        return _load_mnist(data_dir, split)
    if source == "mnist32":
        x, y = _load_mnist(data_dir, split)
        return np.pad(x, [(0, 0), (2, 2), (2, 2), (0, 0)], constant_values=-1.0), y
    if source == "celeba64":
        return _load_tfds("celeb_a", data_dir, split, **_CELEBA64)
    if source == "stacked_mnist":
        return stacked_mnist(*_load_mnist(data_dir, split), n=min(num_examples, 60_000), seed=seed)
    if source.startswith("mnist_anomaly:"):
        digit = source[len("mnist_anomaly:") :]
        if not (digit.isdigit() and len(digit) == 1):
            raise DataError(
                "mnist_anomaly needs one held-out digit 0-9, e.g. 'mnist_anomaly:4'. Received: "
                f"{source!r}"
            )
        return anomaly_split(*_load_mnist(data_dir, "train"), held_out=int(digit), split=split)
    if source.startswith("tfds:"):
        return _load_tfds(source[len("tfds:") :], data_dir, split)
    if source in STREAMED:
        raise DataError(
            f"{source!r} ({STREAMED[source][0]}) is streamed, not held in memory: what reads it "
            "whole (the domain classifier, a pair split) cannot use it. Train on it with "
            "`data.load`, and evaluate with features 'inception-2015'."
        )
    if source.startswith("folder:"):
        return _load_folder(source[len("folder:") :], image_size), None
    raise DataError(f"Unknown data source {source!r}. Choose one of: {', '.join(SOURCES)}.")


def has_labels(source, data_dir=None):
    """Whether `load_arrays(source)` gives labels, known without reading the data where it can
    be (`folder:` sources have none; a `tfds:` source has them where its features hold `label`).
    """
    if str(source).startswith("folder:") or source == "celeba64" or source in STREAMED:
        return False  # streamed sources have labels, but are never held whole
    if str(source).startswith("tfds:"):
        import tensorflow_datasets as tfds

        name = source[len("tfds:") :]
        try:
            info = tfds.builder(name, data_dir=data_dir).info
        except Exception as e:  # TFDS raises many types
            raise DataError(
                f"TFDS does not know {name!r} (data_dir {data_dir!r}): {e}. Check the name with "
                "`tfds.list_builders()`."
            ) from e
        return "label" in info.features
    return True


def anomaly_split(x, y, held_out, split="train", train_fraction=0.8, seed=0):
    """One-class anomaly-detection split of a labelled image set.

    The examples of every class but `held_out` are normal; a fixed
    (`seed`) `train_fraction` of them is the training set. The test set is
    the other normal examples plus every example of `held_out`.

    Reference:
        Zenati et al., "Efficient GAN-Based Anomaly Detection", 2018, §4.1;
        Kumar et al. 2019 (MEG), §5.3.

    Args:
        x, y: images and int labels.
        held_out: the anomalous class.
        split: `"train"` or `"test"`.
        train_fraction: share of the normal examples used for training.
        seed: seed of the partition (keep it fixed between train and test).

    Returns:
        `(x, y)` of the split; `y` keeps the class labels (anomalies: `y == held_out`).
    """
    if split not in ("train", "test"):
        raise DataError(f"split must be 'train' or 'test'. Received: split={split!r}")
    normal = np.flatnonzero(y != held_out)
    normal = normal[np.random.default_rng(seed).permutation(len(normal))]
    cut = int(round(train_fraction * len(normal)))
    idx = (
        normal[:cut]
        if split == "train"
        else np.sort(np.r_[normal[cut:], np.flatnonzero(y == held_out)])
    )
    return x[idx], y[idx]


def stacked_mnist(x, y, n, seed=0):
    """`n` RGB images whose channels are three random digits of `x`; labels 100a + 10b + c."""
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(x), size=(n, 3))
    images = np.concatenate([x[idx[:, c]] for c in range(3)], axis=-1)
    labels = 100 * y[idx[:, 0]] + 10 * y[idx[:, 1]] + y[idx[:, 2]]
    return images, labels.astype(np.int32)


def to_unit_range(images_uint8):
    """uint8 images in [0, 255] -> float32 in [-1, 1]."""
    return images_uint8.astype(np.float32) / 127.5 - 1.0


def _unit_range_tf(images_uint8):
    return tf.cast(images_uint8, tf.float32) / 127.5 - 1.0


# --------------------------------------------------------------------- MNIST
def read_idx(path, ndim=None):
    """Reads an IDX file (optionally gzipped) into a NumPy array.

    Args:
        path: the file.
        ndim: the number of dimensions it must hold (3 for MNIST's images, 1 for its labels), or
            None for any.

    Raises:
        DataError: naming the file, if it cannot be read, its header is not an unsigned-byte IDX
            header of `ndim` dimensions, or its size is not what the header declares.
    """
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            raw = f.read()
    except (OSError, EOFError) as e:
        raise DataError(f"Cannot read IDX file {path}: {e}. Re-download it.") from e
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise DataError(
            f"{path} is not an unsigned-byte IDX file (bad magic number); re-download it."
        )
    rank = raw[3]
    if ndim is not None and rank != ndim:
        kinds = {1: "labels", 3: "images"}
        raise DataError(
            f"{path} holds a {rank}-D array ({kinds.get(rank, 'not MNIST')}), where "
            f"{kinds.get(ndim, f'{ndim}-D data')} ({ndim}-D) belong: are the images and labels "
            "files swapped or renamed? Re-download them."
        )
    header = 4 + 4 * rank
    if len(raw) < header:
        raise DataError(
            f"{path} is truncated: its header needs {header} bytes, the file holds {len(raw)}. "
            "Re-download it."
        )
    dims = struct.unpack(">" + "I" * rank, raw[4:header])
    expected = int(np.prod(dims))
    data = np.frombuffer(raw, dtype=np.uint8, offset=header)
    if data.size != expected:
        raise DataError(
            f"{path} is truncated or corrupt: its header promises {expected} bytes of data, the "
            f"file holds {data.size}. Re-download it."
        )
    return data.reshape(dims)


def _find(data_dir, stem):
    for name in (
        stem + ".gz",
        stem,
        stem.replace("-idx", ".idx") + ".gz",
        stem.replace("-idx", ".idx"),
    ):
        path = os.path.join(data_dir, name)
        if os.path.exists(path):
            return path
    return None


def _load_keras_mnist(split):
    """MNIST from `keras.datasets.mnist` (downloaded once to ~/.keras/datasets)."""
    import keras

    try:
        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    except Exception as e:  # offline, or a damaged download
        raise DataError(
            "MNIST without --data-dir comes from keras.datasets.mnist, which could not be loaded "
            f"({e}). Offline, pass --data-dir: a folder with MNIST's IDX files (train- or "
            "t10k-images-idx3-ubyte[.gz] and the labels) or a prepared TFDS 'mnist' copy; or "
            "place mnist.npz in ~/.keras/datasets."
        ) from e
    x, y = (x_test, y_test) if split == "test" else (x_train, y_train)
    return to_unit_range(np.asarray(x))[..., None], np.asarray(y, np.int32)


def _load_mnist(data_dir, split):
    if not data_dir:
        return _load_keras_mnist(split)
    if not os.path.isdir(data_dir):
        raise DataError(f"MNIST data dir {data_dir!r} does not exist.")
    prefixes = ["t10k"] if split == "test" else ["train", "t10k"]
    for prefix in prefixes:
        images = _find(data_dir, f"{prefix}-images-idx3-ubyte")
        if images:
            labels = _find(data_dir, f"{prefix}-labels-idx1-ubyte")
            if labels is None:
                raise DataError(
                    f"Found {images} but no matching {prefix}-labels-idx1-ubyte[.gz] in {data_dir}."
                )
            x = to_unit_range(read_idx(images, ndim=3))[..., None]
            y = read_idx(labels, ndim=1).astype(np.int32)
            if len(y) != len(x):
                raise DataError(f"{images} has {len(x)} images but {labels} has {len(y)} labels.")
            if len(y) and (y.min() < 0 or y.max() > 9):
                bad = int(y[(y < 0) | (y > 9)][0])
                raise DataError(
                    f"{labels} holds label {bad} at index {int(np.argmax((y < 0) | (y > 9)))}; "
                    "MNIST's labels are 0-9. Re-download it."
                )
            if split != "test" and prefix == "t10k":
                print(
                    f"No train-images-idx3-ubyte[.gz] in {data_dir}: training on MNIST's "
                    "10,000-image test split (t10k-*)."
                )
            return x, y
    if os.path.isdir(os.path.join(data_dir, "mnist")):
        return _load_tfds("mnist", data_dir, split)
    raise DataError(
        f"No MNIST files in {data_dir!r}: expected train- or t10k-images-idx3-ubyte[.gz] and the "
        "matching labels file, or a TFDS 'mnist' folder."
    )


# ---------------------------------------------------------------------- TFDS
_CELEBA64 = dict(image_size=(64, 64), crop=(178, 178))


def _tfds_images(name, data_dir, split, image_size=None, crop=None):
    """`(uint8 image, label or None)` of a TFDS data set one at a time."""
    import tensorflow_datasets as tfds

    if not name:
        raise DataError("A TFDS source needs a dataset name, e.g. 'tfds:cifar10'.")
    try:
        ds, info = tfds.load(
            name, split=split, data_dir=data_dir, with_info=True, as_supervised=False
        )
    except Exception as e:  # TFDS raises many types: unknown name, no network, bad split.
        raise DataError(
            f"TFDS could not load {name!r} (split {split!r}, data_dir {data_dir!r}): {e}. Check "
            "the name with `tfds.list_builders()`, or prepare it while online."
        ) from e
    if "image" not in info.features:
        raise DataError(f"TFDS dataset {name!r} has no 'image' feature; keras-gan needs images.")
    has_label = "label" in info.features
    empty = True
    for example in tfds.as_numpy(ds):
        image = example["image"]
        if crop is not None:
            image = np.asarray(tf.image.resize_with_crop_or_pad(image, *crop))
        if image_size is not None and tuple(image.shape[:2]) != tuple(image_size):
            image = np.asarray(
                tf.cast(tf.round(tf.image.resize(image, image_size, antialias=True)), tf.uint8)
            )
        empty = False
        yield image, (example["label"] if has_label else None)
    if empty:
        raise DataError(f"TFDS dataset {name!r} split {split!r} is empty.")


def _square(image, side):
    """BigGAN-PyTorch's `CenterCropLongEdge` then `Resize(side)`: the centred square of the
    short edge, resized (bilinear, antialiased) and rounded to uint8."""
    shape = tf.shape(image)
    edge = tf.minimum(shape[0], shape[1])
    image = tf.image.crop_to_bounding_box(
        image, (shape[0] - edge) // 2, (shape[1] - edge) // 2, edge, edge
    )
    image = tf.image.resize(image, (side, side), antialias=True)
    return tf.cast(tf.clip_by_value(tf.round(image), 0, 255), tf.uint8)


def streamed(source, data_dir=None, split="train", shuffle=False, seed=0):
    """A `STREAMED` source as an unbatched `tf.data.Dataset` of `(uint8 image [side, side, 3],
    int32 label)`, decoded as it is read (TFDS shuffles its files and a buffer of encoded
    examples when `shuffle`)."""
    import tensorflow_datasets as tfds

    name, side = STREAMED[source]
    try:
        ds = tfds.load(
            name,
            split=split,
            data_dir=data_dir,
            shuffle_files=shuffle,
            read_config=tfds.ReadConfig(shuffle_seed=seed),
            decoders={"image": tfds.decode.SkipDecoding()},
        )
    except Exception as e:  # TFDS raises many types: not prepared, no manual files, bad split.
        raise DataError(
            f"TFDS could not load {name!r} for {source!r} (split {split!r}, data_dir "
            f"{data_dir!r}): {e}. {name} is prepared once from the ImageNet files you download "
            "yourself: place them in TFDS's manual folder (<data_dir>/downloads/manual) and run "
            f"`tfds build {name}`."
        ) from e
    if shuffle:
        ds = ds.shuffle(_STREAM_SHUFFLE, seed=seed, reshuffle_each_iteration=True)

    def decode(example):
        image = tf.io.decode_image(example["image"], channels=3, expand_animations=False)
        return _square(image, side), tf.cast(example["label"], tf.int32)

    return ds.map(decode, num_parallel_calls=tf.data.AUTOTUNE, deterministic=not shuffle)


def _load_tfds(name, data_dir, split, image_size=None, crop=None):
    pairs = list(_tfds_images(name, data_dir, split, image_size, crop))
    x = to_unit_range(np.stack([image for image, _ in pairs]))
    if x.ndim == 3:
        x = x[..., None]
    labels = [label for _, label in pairs]
    return x, (None if labels[0] is None else np.asarray(labels, np.int32))


# -------------------------------------------------------------------- folder
def read_image(path):
    """One image file (PNG, JPEG, GIF or BMP) as a uint8 array `[H, W, C]`.

    Raises:
        DataError: naming the file, when the system cannot read it (permissions, a symlink loop,
            a vanished file) or it does not decode as an image.
    """
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise DataError(
            f"Cannot read {path}: {e.strerror or e}. Fix it (permissions, a broken link) or remove "
            "it."
        ) from e
    try:
        return tf.io.decode_image(raw, expand_animations=False).numpy()
    except tf.errors.InvalidArgumentError as e:
        raise DataError(
            f"Cannot decode image {path}: it is corrupt or not an image (PNG, JPEG, GIF or BMP). "
            "Remove or replace it."
        ) from e


def image_files(path):
    """The PNG and JPEG files `--input PATH` names: the file itself, or a folder's (not its
    subfolders'), sorted.

    Raises:
        DataError: `path` is neither, or the folder holds none.
    """
    if os.path.isdir(path):
        files = sorted(
            os.path.join(path, f) for f in os.listdir(path) if f.lower().endswith(_IMAGE_EXTENSIONS)
        )
        if not files:
            raise DataError(f"No PNG or JPEG files in {path}.")
        return files
    if os.path.isfile(path):
        return [path]
    raise DataError(f"--input {path} is neither an image file nor a folder.")


def to_channels(image, channels):
    """A uint8 image `[H, W, C]` (C of 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA) with 1 or 3
    channels: alpha dropped, grey repeated, RGB to grey by ITU-R 601 luma."""
    image = np.asarray(image)
    have = image.shape[-1]
    if have in (2, 4):
        image, have = image[..., : have - 1], have - 1
    if have == channels:
        return image
    if channels == 3:
        return np.repeat(image, 3, axis=-1)
    return np.asarray(tf.cast(tf.round(tf.image.rgb_to_grayscale(image)), tf.uint8))


def _folder_files(path):
    if not os.path.isdir(path):
        what = "is a file, not a folder" if os.path.exists(path) else "does not exist"
        raise DataError(f"Image folder {path!r} {what}: folder:PATH takes a folder of images.")

    def refuse(error):
        raise DataError(
            f"Cannot list {error.filename}: {error.strerror}. Fix its permissions or remove it."
        )

    files = sorted(
        os.path.join(root, f)
        for root, _, names in os.walk(path, onerror=refuse)
        for f in names
        if f.lower().endswith(_IMAGE_EXTENSIONS)
    )
    if not files:
        raise DataError(f"No PNG or JPEG files in {path!r}.")
    return files


def _folder_images(path, image_size, counts):
    """The images of a folder one at a time (uint8), all of the first image's kind (grey or RGB)
    and of `image_size` (default: the first image's); `counts` (a dict) receives how many were
    resized and converted."""
    channels, size = None, image_size
    counts.update(files=0, resized=0, converted=0)
    for f in _folder_files(path):
        image = read_image(f)
        if channels is None:
            channels = 3 if image.shape[-1] >= 3 else 1
            size = tuple(image_size) if image_size else tuple(image.shape[:2])
            counts.update(size=size, channels=channels)
        if image.shape[-1] != channels:
            image = to_channels(image, channels)
            counts["converted"] += 1
        if tuple(image.shape[:2]) != size:
            image = tf.cast(tf.round(tf.image.resize(image, size, antialias=True)), tf.uint8)
            counts["resized"] += 1
        counts["files"] += 1
        yield np.asarray(image)


def _report_folder(path, image_size, counts):
    total = counts["files"]
    if counts["resized"]:
        why = "the size asked" if image_size else "the first image's size"
        size = counts["size"]
        print(
            f"Resized {counts['resized']} of {total} images in {path} to {size[0]}x{size[1]} "
            f"({why})."
        )
    if counts["converted"]:
        kind = "RGB" if counts["channels"] == 3 else "grey"
        print(
            f"Converted {counts['converted']} of {total} images in {path} to {kind} (the first "
            "image's kind; alpha dropped)."
        )


def _load_folder(path, image_size):
    counts = {}
    images = np.stack(list(_folder_images(path, image_size, counts)))
    _report_folder(path, image_size, counts)
    if len(images) < 2:
        print(
            f"Warning: {path} holds {len(images)} image: every batch will be that image. Add "
            "images unless that is what you want."
        )
    return to_unit_range(images)


def image_batches(source, batch_size=500, data_dir=None, split="train", image_size=None):
    """The images of `source` in batches (float32 in [-1, 1], labels dropped), read a batch at
    a time from `folder:` and `tfds:` sources, so a data set larger than memory can be streamed
    (e.g. into feature statistics). Other sources are small and are read whole first.

    Yields:
        `[<= batch_size, H, W, C]` arrays; every batch but the last is full.
    """
    if int(batch_size) < 1:
        raise ValueError(f"batch_size must be positive. Received: {batch_size}")
    if str(source).startswith("folder:"):
        path, counts = source[len("folder:") :], {}
        stream = _folder_images(path, image_size, counts)
    elif str(source).startswith("tfds:"):
        stream = (image for image, _ in _tfds_images(source[len("tfds:") :], data_dir, split))
    elif source == "celeba64":
        stream = (image for image, _ in _tfds_images("celeb_a", data_dir, split, **_CELEBA64))
    elif source in STREAMED:
        stream = (image for image, _ in streamed(source, data_dir, split).as_numpy_iterator())
    else:
        x, _ = load_arrays(source, data_dir=data_dir, split=split, image_size=image_size)
        if x.ndim != 4:
            raise DataError(f"{source!r} holds points, not images.")
        for start in range(0, len(x), int(batch_size)):
            yield x[start : start + int(batch_size)]
        return
    batch = []
    for image in stream:
        batch.append(image if image.ndim == 3 else image[..., None])
        if len(batch) == int(batch_size):
            yield to_unit_range(np.stack(batch))
            batch = []
    if batch:
        yield to_unit_range(np.stack(batch))
    if str(source).startswith("folder:"):
        _report_folder(path, image_size, counts)


# ------------------------------------------------------------------ unpaired
_CYCLE_GAN_TFDS = "tfds:cycle_gan/"


def _invert_rotate(images):
    return -np.rot90(np.asarray(images), k=1, axes=(-3, -2))


def _unrotate_invert(images):
    return np.rot90(-np.asarray(images), k=-1, axes=(-3, -2))


def _invert_tone(images):
    ink = (np.asarray(images, np.float32) + 1) / 2
    return (1 - 2 * ink**2).astype(np.float32)


def _untone_invert(images):
    ink = np.sqrt(np.clip((1 - np.asarray(images, np.float32)) / 2, 0, 1))
    return (2 * ink - 1).astype(np.float32)


@dataclasses.dataclass(frozen=True)
class Pair:
    """A built-in translation pair: domain B is `transform` of domain A's kind of images.

    `naive` is a translator that gets part of `transform` right (the
    benchmark's reference row), `naive_name` says which part.
    """

    dataset: str
    transform: object
    inverse: object
    description: str
    naive: object
    naive_name: str


# Two transforms: one that changes geometry, which the CycleGAN paper lists
# among its failure cases, and one that keeps it (the paper's successes change
# colour and texture).
_ROTATED = dict(
    transform=_invert_rotate,
    inverse=_unrotate_invert,
    description="inverted, rotated 90°",
    naive=np.negative,
    naive_name="inverted, not rotated (-x)",
)
_TONE = dict(
    transform=_invert_tone,
    inverse=_untone_invert,
    description="inverted through the tone curve 1 - 2u², u = (x + 1) / 2",
    naive=np.negative,
    naive_name="inverted, linear tone (-x)",
)
PAIRS = {
    **{f"{d}_pair": Pair(d, **_ROTATED) for d in ("digits", "mnist")},
    **{f"{d}_tone_pair": Pair(d, **_TONE) for d in ("digits", "mnist")},
}


def _pair(name):
    if name not in PAIRS:
        raise DataError(f"Unknown built-in pair {name!r}. Choose one of: {', '.join(PAIRS)}.")
    return PAIRS[name]


def pair_transform(images, pair):
    """T of built-in pair `pair`, applied to images `[..., H, W, C]` in [-1, 1].

    `digits_pair`, `mnist_pair`: inverted and rotated by 90 degrees
    counter-clockwise (exact). `digits_tone_pair`, `mnist_tone_pair`: each
    pixel's ink `u = (x + 1) / 2` mapped to `1 - 2u²` (inverted, mid-tones
    pushed towards the background; the geometry unchanged). `pair_inverse`
    undoes either.
    """
    return _pair(pair).transform(images)


def pair_inverse(images, pair):
    """T⁻¹ of built-in pair `pair` (see `pair_transform`)."""
    return _pair(pair).inverse(images)


def pair_split(name, data_dir=None):
    """`(a, b_originals, held_out)` of a built-in pair: a fixed permutation of the images cut
    40% / 40% / 20%. Domain A is `a`, domain B is `pair_transform(b_originals, name)`: no image
    is in both domains. `held_out` is for measuring: its ground truth is
    `pair_transform(held_out, name)`.
    """
    x, _ = load_arrays(_pair(name).dataset, data_dir=data_dir)
    return tuple(np.split(x[_pair_order(len(x))], _pair_cuts(len(x))))


def pair_held_out_labels(name, data_dir=None):
    """The class labels of `pair_split(name)`'s held-out images, in their order (for checking
    that a translation keeps the digit)."""
    _, y = load_arrays(_pair(name).dataset, data_dir=data_dir)
    return y[_pair_order(len(y))][_pair_cuts(len(y))[1] :]


def _pair_order(n):
    return np.random.default_rng(0).permutation(n)


def _pair_cuts(n):
    return [int(0.4 * n), int(0.8 * n)]


def is_unpaired(source, source_b=None):
    """Whether `source` (with `source_b`) names two domains for `load_unpaired`."""
    return source_b is not None or source in PAIRS or str(source).startswith(_CYCLE_GAN_TFDS)


def unpaired_arrays(a, b=None, data_dir=None, split="train", image_size=None):
    """`(images_a, images_b)` NumPy arrays of two domains (see `load_unpaired`)."""
    if b is None:
        if a in PAIRS:
            train_a, train_b, held_out = pair_split(a, data_dir)
            if split == "test":
                return held_out, pair_transform(held_out, a)
            return train_a, pair_transform(train_b, a)
        if str(a).startswith(_CYCLE_GAN_TFDS):
            part = "test" if split == "test" else "train"
            return tuple(
                _load_tfds(a[len("tfds:") :], data_dir, f"{part}{d}", image_size)[0] for d in "AB"
            )
        raise DataError(
            f"{a!r} is one domain; name the second (--data-b, or b=...), or use one of "
            f"{', '.join(PAIRS)} or {_CYCLE_GAN_TFDS}NAME (e.g. {_CYCLE_GAN_TFDS}horse2zebra)."
        )
    xa, _ = load_arrays(a, data_dir=data_dir, split=split, image_size=image_size)
    xb, _ = load_arrays(b, data_dir=data_dir, split=split, image_size=image_size)
    return xa, xb


def load_unpaired(
    a,
    b=None,
    batch_size=1,
    data_dir=None,
    split="train",
    shuffle=True,
    repeat=False,
    seed=0,
    image_size=None,
):
    """Loads two image domains as a `tf.data.Dataset` of `(images_a, images_b)` batches.

    The domains are shuffled independently (seeds `seed` and `seed + 1`), so
    a batch pairs unrelated images, as CycleGAN trains. An epoch is as long as
    the larger domain (the smaller one is cycled), as in the authors' code.

    Args:
        a: domain A: a `load` source (e.g. `"folder:horses"`) with `b`; or,
            alone, a built-in pair (`PAIRS`, e.g. `"mnist_pair"`: domain B
            is `pair_transform` of a disjoint part of the images; split
            `"test"` gives the held-out images *with* their ground truth,
            `(x, pair_transform(x, a))`) or `"tfds:cycle_gan/NAME"` (splits
            trainA/trainB, testA/testB).
        b: domain B (a `load` source), or None (see `a`).
        batch_size: examples of each domain per batch.
        data_dir: folder of the data files (mnist, tfds).
        split: `"train"` or `"test"`.
        shuffle: shuffle each domain (seeded, reshuffled each epoch).
        repeat: repeat forever.
        seed: seed of the shuffles.
        image_size: `(H, W)` to resize `folder:` and `tfds:cycle_gan/` images to.
    """
    if int(batch_size) < 1:
        raise ValueError(f"batch_size must be positive. Received: {batch_size}")
    xa, xb = unpaired_arrays(a, b, data_dir=data_dir, split=split, image_size=image_size)
    size = max(len(xa), len(xb))
    if min(len(xa), len(xb)) < int(batch_size):
        raise DataError(
            f"Domain A has {len(xa)} images and B {len(xb)}: fewer than a batch of {batch_size}; "
            "lower --batch-size."
        )

    def domain(x, offset):
        ds = tf.data.Dataset.from_tensor_slices(x)
        if shuffle:
            ds = ds.shuffle(len(x), seed=seed + offset, reshuffle_each_iteration=True)
        return ds.repeat()

    ds = tf.data.Dataset.zip((domain(xa, 0), domain(xb, 1)))
    if not repeat:
        ds = ds.take(size)
    return ds.batch(int(batch_size), drop_remainder=True).prefetch(tf.data.AUTOTUNE)
