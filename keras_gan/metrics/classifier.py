"""A small CNN classifier of the training data, to judge samples of MNIST-like data.

InceptionV3 features mean little on 28x28 digits; a classifier trained on
the data's own labels gives a meaningful "classifier accuracy/confidence of
samples" (as in e.g. Salimans et al. 2016 and the Stacked-MNIST protocol of
VEEGAN/PacGAN, which count modes with such a classifier).
"""

import keras
import numpy as np
from keras import layers


def build_domain_classifier(input_shape, num_classes, width=32):
    """conv-pool-conv-pool-dense(features)-softmax; outputs `[probabilities, features]`."""
    x = keras.Input(input_shape)
    h = layers.Conv2D(width, 3, activation="relu", padding="same")(x)
    h = layers.MaxPooling2D()(h)
    h = layers.Conv2D(2 * width, 3, activation="relu", padding="same")(h)
    h = layers.MaxPooling2D()(h)
    h = layers.Flatten()(h)
    features = layers.Dense(128, activation="relu", name="features")(h)
    probabilities = layers.Dense(num_classes, activation="softmax", name="probabilities")(
        layers.Dropout(0.3)(features))
    return keras.Model(x, [probabilities, features], name="domain_classifier")


def train_domain_classifier(x, y, num_classes=None, epochs=4, batch_size=128, seed=0, validation_split=0.1):
    """Trains the classifier on images `x` in [-1, 1] and int labels `y`.

    Returns:
        `(model, validation_accuracy)`.
    """
    keras.utils.set_random_seed(seed)
    num_classes = int(num_classes or (np.max(y) + 1))
    model = build_domain_classifier(x.shape[1:], num_classes)
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss=["sparse_categorical_crossentropy", None], metrics=[["accuracy"], []])
    order = np.random.default_rng(seed).permutation(len(x))
    n_val = int(len(x) * validation_split)
    val, train = order[:n_val], order[n_val:]
    model.fit(x[train], y[train], epochs=epochs, batch_size=batch_size, verbose=0)
    probs = model.predict(x[val], batch_size=512, verbose=0)[0]
    return model, float(np.mean(np.argmax(probs, axis=1) == y[val]))


def sample_confidence(probabilities, threshold=0.9):
    """Fraction of samples whose top class probability is at least `threshold`, and class counts."""
    probabilities = np.asarray(probabilities)
    top = probabilities.max(axis=1)
    classes = np.argmax(probabilities, axis=1)
    confident = top >= threshold
    return {
        "confident_fraction": float(confident.mean()),
        "classes_present": int(np.unique(classes[confident]).size),
        "class_histogram": np.bincount(classes[confident], minlength=probabilities.shape[1]).tolist(),
    }
