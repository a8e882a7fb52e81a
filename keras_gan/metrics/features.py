"""Feature extractors for sample-quality metrics, chosen by name (`FEATURES`).

- `inception-2015`: the FID network of the papers (`inception_2015.Inception2015`):
  figures comparable with published ones.
- `keras-inception`: `InceptionFeatures` below: not comparable with papers.
- `classifier`: `DomainClassifier` below, for labelled digit-like data: in this
  library's own units.

`keras-inception`: InceptionV3 (Szegedy et al. 2016) from `keras.applications`: 2048-d pool
features and 1000 ImageNet class probabilities, the features of FID/KID/IS
(Heusel et al. 2017; Salimans et al. 2016). Images in [-1, 1] (the range
InceptionV3's preprocessing produces) are tiled to 3 channels if grey and
resized to 299x299 with bilinear interpolation (no antialiasing), as
pytorch-fid's default resize does. Note that our Keras weights are the
`keras.applications` ImageNet weights, not the TF1 graph of the original FID
code: figures are comparable between runs of this library, not to papers.

`DomainClassifier`: a small CNN trained on the data's own labels (cached per
data set), for data where ImageNet features mean little (MNIST-like digits).
"""

import hashlib
import json
import os

import keras
import numpy as np
import tensorflow as tf

from keras_gan import files
from keras_gan.metrics.classifier import noise_confident_fraction, train_domain_classifier

FEATURES = ("inception-2015", "keras-inception", "classifier")


def load_features(name, features_file=None):
    """The feature network `name` (`FEATURES`, but `classifier`, which is trained on the data).

    Args:
        features_file: `inception-2015`: the `classify_image_graph_def.pb` file (None: the
            cached copy, downloaded once); `keras-inception`: a weights file (None: Keras's
            ImageNet weights, downloaded once).
    """
    from keras_gan.metrics.inception_2015 import Inception2015

    if name == "inception-2015":
        return Inception2015(features_file)
    if name == "keras-inception":
        return InceptionFeatures(features_file or "imagenet")
    raise ValueError(
        f"Unknown features {name!r}: choose one of {', '.join(FEATURES[:2])} here "
        "(`classifier` is trained on the data's labels: DomainClassifier)."
    )


def default_features(labelled, features_file=None):
    """`classifier` for labelled data when no Inception graph is given or cached, else
    `inception-2015`."""
    from keras_gan.metrics import inception_2015

    present = features_file is not None or os.path.isfile(inception_2015.default_path())
    return "classifier" if labelled and not present else "inception-2015"


class InceptionFeatures:
    """InceptionV3 pool features and class probabilities (features `keras-inception`).

    Args:
        weights: `"imagenet"` (downloaded by Keras when online), a path to a
            local weights file, or None (random weights, for offline tests).
        batch_size: images per forward pass.
    """

    name = "keras-inception"
    comparable = False
    sha256 = None
    dimension = 2048

    def __init__(self, weights="imagenet", batch_size=64):
        try:
            base = keras.applications.InceptionV3(weights=weights, include_top=True)
        except Exception as e:  # offline: "URL fetch failure"; a damaged or wrong weights file
            source = "downloaded" if weights == "imagenet" else f"read from {weights}"
            raise ValueError(
                f"The InceptionV3 weights could not be {source} ({type(e).__name__}: "
                f"{str(e).splitlines()[0][:200]}). Run once online (Keras keeps them in "
                "~/.keras/models/), or pass the path of "
                "inception_v3_weights_tf_dim_ordering_tf_kernels.h5."
            ) from None
        self.model = keras.Model(base.input, [base.get_layer("avg_pool").output, base.output])
        self.path = weights if weights not in (None, "imagenet") else None
        self.batch_size = batch_size

    @staticmethod
    def preprocess(images):
        x = tf.convert_to_tensor(images, tf.float32)
        if x.shape[-1] == 1:
            x = tf.tile(x, [1, 1, 1, 3])
        return tf.image.resize(x, (299, 299), method="bilinear", antialias=False)

    def __call__(self, images):
        feats, probs = [], []
        for start in range(0, len(images), self.batch_size):
            f, p = self.model(
                self.preprocess(images[start : start + self.batch_size]), training=False
            )
            feats.append(np.asarray(f))
            probs.append(np.asarray(p))
        return np.concatenate(feats), np.concatenate(probs)


def cache_dir():
    """Where trained domain classifiers are kept: `$KERAS_GAN_CACHE` or ~/.cache/keras_gan."""
    return os.environ.get(
        "KERAS_GAN_CACHE", os.path.join(os.path.expanduser("~"), ".cache", "keras_gan")
    )


class DomainClassifier:
    """A small CNN classifier of one data set, trained once and cached.

    Args:
        x: training images in [-1, 1]; y: int labels.
        key: cache key (e.g. the data source); None: no caching.
        epochs: training epochs; None: early stopping (see
            `train_domain_classifier`).
        directory: the cache folder (default `cache_dir()`).

    Attributes:
        validation_accuracy: accuracy on held-out images of the data.
        noise_confident_fraction: fraction of uniform-noise images it labels
            with confidence >= 0.9, a control for `confident_fraction`.
    """

    name = "classifier"
    comparable = False
    sha256 = None

    # Bumped whenever the training rule changes, so a cached classifier
    # trained by an older rule is not reused.
    VERSION = 2

    def __init__(self, x, y, key=None, epochs=None, directory=None):
        digest = hashlib.sha256(np.ascontiguousarray(x[:512]).tobytes()).hexdigest()[:12]
        path = None
        if key is not None:
            safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in key)
            rule = "early" if epochs is None else f"e{int(epochs)}"
            name = f"classifier-v{self.VERSION}-{rule}-{safe}-{len(x)}-{digest}.keras"
            path = os.path.join(directory or cache_dir(), name)
        if path and os.path.exists(path):
            self.model = keras.models.load_model(path)
            with open(path + ".json") as f:
                info = json.load(f)
        else:
            self.model, accuracy = train_domain_classifier(x, y, epochs=epochs)
            info = {
                "validation_accuracy": accuracy,
                "examples": len(x),
                "noise_confident_fraction": noise_confident_fraction(self.model, x.shape[1:]),
            }
            if path:  # the .keras file last, atomically: another process finds both or neither
                folder = os.path.dirname(path)
                os.makedirs(folder, exist_ok=True)
                files.write_text_atomic(path + ".json", json.dumps(info))
                tmp = os.path.join(folder, f".{os.getpid()}-{os.path.basename(path)}")
                self.model.save(tmp)
                os.replace(tmp, path)
        self.validation_accuracy = info["validation_accuracy"]
        self.noise_confident_fraction = info["noise_confident_fraction"]
        self.path = path

    def __call__(self, images):
        """`(features, probabilities)` of images in [-1, 1]."""
        probs, feats = self.model.predict(np.asarray(images, np.float32), batch_size=512, verbose=0)
        return feats, probs
