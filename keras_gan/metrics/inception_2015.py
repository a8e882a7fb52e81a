"""The FID network of the papers: TensorFlow's 2015-12-05 Inception graph, run as TTUR runs it.

Reference:
    Heusel et al., "GANs Trained by a Two Time-Scale Update Rule Converge to a
    Local Nash Equilibrium", NeurIPS 2017: FID on `pool_3` of this graph.
    Salimans et al., "Improved Techniques for Training GANs", NeurIPS 2016: IS
    on its 1,008-way softmax.
    Reference implementations matched: TTUR (bioinf-jku/TTUR) `fid.py`
    (`classify_image_graph_def.pb` imported, uint8-valued images fed to
    `ExpandDims:0`, features from `pool_3:0`), and openai/improved-gan
    `inception_score/model.py` (softmax of `pool_3 @ W`, W the input of
    `softmax/logits/MatMul`: no bias, as the IS papers report it). Every other
    step (bilinear resize to 299x299, `(x - 128) / 128`) is the graph's own.

Formula:
    u = clip(round((x + 1) * 127.5), 0, 255)   x in [-1, 1], grey tiled to RGB
    features = pool_3(graph(u)),  probabilities = softmax(features @ W)

The graph's `pool_3/_reshape` reshapes to a batch of 1; features are read
before it, so any batch size gives the same features.

Where the file comes from: `path`, else
`$KERAS_GAN_CACHE/inception-2015-12-05/classify_image_graph_def.pb`, else it is
downloaded there once (`URL`, 88 MB archive).
"""

import hashlib
import os
import shutil
import tarfile
import tempfile

import numpy as np
import tensorflow as tf

from keras_gan import images as image_utils

URL = "http://download.tensorflow.org/models/image/imagenet/inception-2015-12-05.tgz"
FILE = "classify_image_graph_def.pb"
INPUT, FEATURES, LOGITS_MATMUL = "ExpandDims:0", "pool_3:0", "softmax/logits/MatMul"


def default_path():
    """Where the graph is looked for and downloaded to: under `$KERAS_GAN_CACHE`."""
    from keras_gan.metrics.features import cache_dir

    return os.path.join(cache_dir(), "inception-2015-12-05", FILE)


def online_command(path=None):
    """The shell command that puts the graph where `Inception2015` looks for it."""
    folder = os.path.dirname(path or default_path())
    return f"mkdir -p {folder} && curl -L {URL} | tar xz -C {folder} {FILE}"


def _download(url, destination):
    """Fetches `url` into the file `destination` (replaced in tests: no test goes online)."""
    import urllib.request

    with urllib.request.urlopen(url, timeout=60) as response, open(destination, "wb") as f:
        shutil.copyfileobj(response, f)


def fetch(path=None):
    """The graph file's path: `path` if given (it must exist), else the cached copy, downloaded
    once when missing.

    Raises:
        ValueError: the given file is missing; or offline without a cached copy, saying which
            file to download and where to put it.
    """
    if path is not None:
        if not os.path.isfile(path):
            raise ValueError(
                f"Inception graph {path} does not exist. It is {FILE} from {URL}; get it with: "
                f"{online_command(path)}"
            )
        return path
    target = default_path()
    if os.path.isfile(target):
        return target
    folder = os.path.dirname(target)
    os.makedirs(folder, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        archive = os.path.join(tmp, "inception-2015-12-05.tgz")
        try:
            _download(URL, archive)
        except OSError as e:  # URLError, timeouts and refused connections are OSErrors
            raise ValueError(
                f"The FID network of the papers ({FILE} from {URL}) is not in {folder} and could "
                f"not be downloaded ({getattr(e, 'reason', e)}). While online, run: "
                f"{online_command(target)} ; or pass its path with --features-file (or "
                "features_file=)."
            ) from None
        with tarfile.open(archive) as tar:
            member = next((m for m in tar.getmembers() if os.path.basename(m.name) == FILE), None)
            if member is None or not member.isfile():
                raise ValueError(f"The archive downloaded from {URL} holds no {FILE}.")
            with tar.extractfile(member) as source, open(os.path.join(tmp, FILE), "wb") as f:
                shutil.copyfileobj(source, f)
        os.replace(os.path.join(tmp, FILE), target)
    return target


class Inception2015:
    """pool_3 features (2,048-d) and the 1,008-way softmax of the 2015-12-05 Inception graph.

    Args:
        path: the `classify_image_graph_def.pb` file; None: `fetch()`.
        batch_size: images per run of the graph (TTUR: 50). Features do not depend on it.

    Attributes:
        sha256: the graph file's digest (written into `metrics.json`).
        path: the file read.

    Example:
    >>> net = Inception2015()  # downloads once when online
    >>> features, probabilities = net(images)  # images [n, H, W, 1 or 3] in [-1, 1]
    """

    name = "inception-2015"
    comparable = True

    def __init__(self, path=None, batch_size=50):
        self.path = fetch(path)
        with open(self.path, "rb") as f:
            raw = f.read()
        self.sha256 = hashlib.sha256(raw).hexdigest()
        graph_def = tf.compat.v1.GraphDef()
        try:
            graph_def.ParseFromString(raw)
        except Exception as e:  # google.protobuf.message.DecodeError
            raise ValueError(
                f"{self.path} is not a TensorFlow GraphDef ({type(e).__name__}); expected {FILE} "
                f"from {URL}."
            ) from None
        names = {node.name for node in graph_def.node}
        missing = [t.split(":")[0] for t in (INPUT, FEATURES, LOGITS_MATMUL)]
        missing = [n for n in missing if n not in names]
        if missing:
            raise ValueError(
                f"{self.path} is a GraphDef without the nodes {missing} of {FILE}; it is not the "
                "2015-12-05 Inception graph."
            )

        def features_and_probabilities(images):
            pool, matmul = tf.graph_util.import_graph_def(
                graph_def,
                input_map={INPUT: images},
                return_elements=[FEATURES, LOGITS_MATMUL],
                name="inception",
            )
            features = tf.reshape(pool, [tf.shape(pool)[0], pool.shape[-1]])
            return features, tf.nn.softmax(tf.matmul(features, matmul.inputs[1]))

        self._run = tf.compat.v1.wrap_function(
            features_and_probabilities, [tf.TensorSpec([None, None, None, 3], tf.float32)]
        )
        self.batch_size = int(batch_size)
        self.dimension = int(self._run.outputs[0].shape[-1])

    @staticmethod
    def quantize(images):
        """Images in [-1, 1] as the uint8 values (in float32) the graph's input holds, RGB."""
        u = image_utils.to_uint8(images).astype(np.float32)
        if u.shape[-1] == 1:
            u = np.repeat(u, 3, axis=-1)
        if u.ndim != 4 or u.shape[-1] != 3:
            raise ValueError(
                f"Inception features take images [n, H, W, 1 or 3]. Received shape {u.shape}"
            )
        return u

    def __call__(self, images):
        """`(features [n, 2048], probabilities [n, 1008])` of images in [-1, 1]."""
        feats, probs = [], []
        for start in range(0, len(images), self.batch_size):
            f, p = self._run(tf.constant(self.quantize(images[start : start + self.batch_size])))
            feats.append(f.numpy())
            probs.append(p.numpy())
        return np.concatenate(feats), np.concatenate(probs)
