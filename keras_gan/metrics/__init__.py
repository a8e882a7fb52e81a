"""Evaluation metrics: NumPy in, floats out. Each file names its paper and reference code."""

from keras_gan.metrics.classifier import sample_confidence, train_domain_classifier
from keras_gan.metrics.energy import (
    energy_grid,
    energy_heatmap,
    quadrature_log_partition,
    quadrature_nll,
    write_energy_heatmap,
)
from keras_gan.metrics.evaluate import evaluate_model
from keras_gan.metrics.features import DomainClassifier, InceptionFeatures
from keras_gan.metrics.fid import feature_statistics, fid_from_features, frechet_distance
from keras_gan.metrics.inception_score import inception_score
from keras_gan.metrics.kid import kernel_inception_distance
from keras_gan.metrics.likelihood import (
    PARZEN_CAVEAT,
    bits_per_dim,
    dequantize,
    parzen_log_likelihood,
    select_parzen_bandwidth,
    unscaled_nll,
)
from keras_gan.metrics.modes import mode_coverage
from keras_gan.metrics.precision_recall import density_coverage, precision_recall
from keras_gan.metrics.ranking import auc_pr, pr_curve, roc_auc, roc_curve
from keras_gan.metrics.stacked_mnist import stacked_mnist_modes

__all__ = [
    "DomainClassifier",
    "InceptionFeatures",
    "PARZEN_CAVEAT",
    "auc_pr",
    "bits_per_dim",
    "density_coverage",
    "dequantize",
    "energy_grid",
    "energy_heatmap",
    "evaluate_model",
    "feature_statistics",
    "fid_from_features",
    "frechet_distance",
    "inception_score",
    "kernel_inception_distance",
    "mode_coverage",
    "parzen_log_likelihood",
    "pr_curve",
    "precision_recall",
    "quadrature_log_partition",
    "quadrature_nll",
    "roc_auc",
    "roc_curve",
    "sample_confidence",
    "select_parzen_bandwidth",
    "stacked_mnist_modes",
    "train_domain_classifier",
    "unscaled_nll",
    "write_energy_heatmap",
]
