"""Standing statistics: the served generator's BatchNorm statistics measured on its own forward
passes."""

import keras
import numpy as np
import tensorflow as tf


def batch_norm_layers(network):
    """Every `keras.layers.BatchNormalization` inside `network` (nested layers and models
    included)."""
    # Keras has no public way to list the layers nested inside custom layers (e.g. the
    # BatchNormalization of ConditionalBatchNormalization); `_flatten_layers` is the one internal.
    return [
        layer
        for layer in network._flatten_layers(include_self=True, recursive=True)
        if isinstance(layer, keras.layers.BatchNormalization)
    ]


def needs_standing_statistics(model):
    """True for a latent model that serves an EMA generator containing BatchNorm.

    Such a generator's moving statistics are copied from the trained network:
    they were measured on other weights than the ones served.
    """
    if not model.capabilities().ema_generator:
        return False
    return any(batch_norm_layers(network) for network in model.serving_networks())


def standing_statistics(model, batches=16, batch_size=64, seed=0):
    """Recomputes the served generator's BatchNorm moving statistics from its own forward passes.

    Each BatchNorm layer's moving mean and variance become the average, over
    `batches` forward passes of `batch_size` latents from the prior (and
    uniform labels for a conditional model), of that layer's batch mean and
    variance in training mode: BigGAN-PyTorch's `accumulate_standing_stats`
    (and compare_gan's "standing statistics"). Nothing else changes: the
    power-iteration vectors of spectral normalization and every other
    variable keep their values.

    Reference:
        Brock et al., "Large Scale GAN Training for High Fidelity Natural
        Image Synthesis", ICLR 2019, appendix C.1 ("standing statistics").

    Formula:
        `μ = (1/K) Σ_k μ_k`, `σ² = (1/K) Σ_k σ²_k` over the K batches'
        per-channel statistics.

    Args:
        model: a `keras_gan.models.LatentAdversarialModel`; its `generator`
            (the EMA copy when it has one) is updated in place.
        batches: K, the number of forward passes.
        batch_size: latents per pass (the training batch size is a good choice).
        seed: int seed of the latents and labels.

    Returns:
        The names of the BatchNorm layers updated (empty when there are none).

    Example:
        >>> keras_gan.standing_statistics(model)  # before sampling or exporting
    """
    if int(batches) < 1 or int(batch_size) < 2:
        raise ValueError(
            "standing_statistics needs batches >= 1 and batch_size >= 2. Received: "
            f"batches={batches}, batch_size={batch_size}"
        )
    generator = model.generator
    num_classes = model.capabilities().num_classes
    norms = batch_norm_layers(generator)
    if not norms:
        return []
    statistics = {id(v) for layer in norms for v in (layer.moving_mean, layer.moving_variance)}
    others = [v for v in generator.weights if id(v) not in statistics]
    kept = [v.numpy() for v in others]
    saved = [(layer, layer.momentum, layer.trainable) for layer in norms]
    rng = np.random.default_rng(seed)
    try:
        for layer in norms:
            layer.trainable = True  # Keras normalizes with batch statistics only when trainable
        for k in range(int(batches)):
            for layer in norms:
                layer.momentum = k / (k + 1.0)  # a running average: batch k weighs 1/(k+1)
            latents = model.sample_latents(int(batch_size), (int(seed) * 7919 + k) % 2**31)
            labels = None
            if num_classes is not None:
                labels = tf.constant(rng.integers(0, num_classes, int(batch_size)), tf.int32)
            generator(model.generator_inputs(latents, labels), training=True)
    finally:
        for layer, momentum, trainable in saved:
            layer.momentum, layer.trainable = momentum, trainable
        for variable, value in zip(others, kept):
            variable.assign(value)
    return [layer.name for layer in norms]


def standing_statistics_where_needed(model, batch_size=64):
    """Standing statistics before sampling, for the models that need them.

    What `keras-gan sample`, `evaluate` and `export`, the `ExportGenerator` and
    `Evaluate` callbacks and the quality benchmark do before they sample:
    `standing_statistics(model, batches=16, batch_size=batch_size, seed=0)`
    when `needs_standing_statistics(model)`, nothing otherwise. Training is
    unaffected: the served EMA generator does not take part in it, and its
    next update copies the trained network's statistics back.

    Args:
        model: a `keras_gan.models.LatentAdversarialModel` (any model: one
            without an EMA generator with BatchNorm is left as it is).
        batch_size: latents per forward pass (the training batch size).

    Returns:
        True when the statistics were recomputed.
    """
    if not needs_standing_statistics(model):
        return False
    standing_statistics(model, batches=16, batch_size=batch_size, seed=0)
    return True
