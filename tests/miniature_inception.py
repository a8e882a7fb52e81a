"""A miniature of TensorFlow's 2015-12-05 Inception graph (`classify_image_graph_def.pb`).

The real graph cannot be downloaded here; this one has its tensor names and the ops on the
path TTUR runs: `DecodeJpeg/contents` -> `DecodeJpeg` -> `Cast` -> `ExpandDims` (a batch of 1)
-> `ResizeBilinear` to 299x299 -> `Sub` 128 -> `Mul` 1/128 -> (one random convolution instead of
the Inception blocks) -> `pool_3` (average pool to 1x1) -> `pool_3/_reshape` (to a batch of 1,
the trap TTUR works around) -> `softmax/logits/MatMul` -> `softmax/logits` (+ bias) ->
`softmax` (1,008 classes).
"""

import numpy as np
import tensorflow as tf

STRIDE = 37  # (299 - 3) / 37 + 1 = 9: the convolution's output is 9x9


def weights(dimension, seed=0):
    rng = np.random.default_rng(seed)
    return {
        "conv": rng.normal(0, 0.3, (3, 3, 3, dimension)).astype(np.float32),
        "softmax/weights": rng.normal(0, 1, (dimension, 1008)).astype(np.float32),
        "softmax/biases": rng.normal(0, 1, (1008,)).astype(np.float32),
    }


def write(path, dimension=16, seed=0):
    """Writes the miniature GraphDef to `path`; returns its weights (see `reference`)."""
    w = weights(dimension, seed)
    graph = tf.Graph()
    with graph.as_default():
        contents = tf.constant(b"", name="contents")
        decoded = tf.io.decode_jpeg(contents, channels=3, name="DecodeJpeg")
        x = tf.cast(decoded, tf.float32, name="Cast")
        x = tf.expand_dims(x, 0, name="ExpandDims")
        x = tf.compat.v1.image.resize_bilinear(x, [299, 299], name="ResizeBilinear")
        x = tf.subtract(x, 128.0, name="Sub")
        x = tf.multiply(x, 1.0 / 128.0, name="Mul")
        x = tf.nn.relu(
            tf.nn.conv2d(x, tf.constant(w["conv"]), STRIDE, "VALID", name="conv"), name="relu"
        )
        pool = tf.nn.avg_pool2d(x, 9, 1, "VALID", name="pool_3")
        flat = tf.reshape(pool, [1, dimension], name="reshape")
        matmul = tf.matmul(flat, tf.constant(w["softmax/weights"]), name="matmul")
        logits = tf.nn.bias_add(matmul, tf.constant(w["softmax/biases"]), name="logits")
        tf.nn.softmax(logits, name="softmax")
    renames = {
        "contents": "DecodeJpeg/contents",
        "reshape": "pool_3/_reshape",
        "matmul": "softmax/logits/MatMul",
        "logits": "softmax/logits",
        "Const_1": "softmax/weights",
        "Const_2": "softmax/biases",
    }
    graph_def = graph.as_graph_def()
    for node in graph_def.node:
        node.name = renames.get(node.name, node.name)
        node.input[:] = [renames.get(i, i) for i in node.input]
    with open(path, "wb") as f:
        f.write(graph_def.SerializeToString())
    return w


def reference(images_uint8, w):
    """The miniature's `(features, probabilities)` of uint8-valued RGB images, computed eagerly
    (the same ops, one image at a time): what `Inception2015` must return."""
    feats = []
    for image in np.asarray(images_uint8, np.float32):
        x = tf.compat.v1.image.resize_bilinear(image[None], [299, 299])
        x = (x - 128.0) * (1.0 / 128.0)
        x = tf.nn.relu(tf.nn.conv2d(x, w["conv"], STRIDE, "VALID"))
        feats.append(tf.reduce_mean(x, axis=[1, 2]).numpy()[0])
    feats = np.stack(feats)
    logits = feats @ w["softmax/weights"]  # no bias: the IS papers' softmax
    probs = np.exp(logits - logits.max(axis=1, keepdims=True))
    return feats, probs / probs.sum(axis=1, keepdims=True)
