"""ROC AUC against scikit-learn; AUC-PR against a hand-worked Davis-Goadrich example."""

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from keras_gan import metrics


def test_roc_auc_equals_scikit_learn():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, 300)
    scores = np.round(labels * 0.7 + rng.normal(size=300), 1)  # with ties
    assert metrics.roc_auc(labels, scores) == pytest.approx(
        roc_auc_score(labels, scores), rel=1e-12
    )


def test_auc_pr_hand_worked_davis_goadrich():
    # One positive ranked first, then a tie of 2 positives and 3 negatives:
    # A = (TP 1, FP 0), B = (TP 3, FP 3), P = 3. Interpolating at x = 1, 2:
    # (2/3, 2/3.5) and (1, 3/6). Area: 1/3·1 + 1/3·(1 + 4/7)/2 + 1/3·(4/7 + 1/2)/2.
    labels = [1, 1, 1, 0, 0, 0]
    scores = [0.9, 0.5, 0.5, 0.5, 0.5, 0.5]
    recall, precision = metrics.pr_curve(labels, scores)
    np.testing.assert_allclose(recall, [0, 1 / 3, 2 / 3, 1])
    np.testing.assert_allclose(precision, [1, 1, 2 / 3.5, 0.5])
    expected = 1 / 3 + (1 + 4 / 7) / 6 + (4 / 7 + 0.5) / 6
    assert metrics.auc_pr(labels, scores) == pytest.approx(expected)
    # Linear interpolation joins (1/3, 1) to (1, 1/2) and over-estimates.
    linear = metrics.auc_pr(labels, scores, interpolation="linear")
    assert linear == pytest.approx(1 / 3 + (1 + 0.5) / 2 * 2 / 3)
    assert linear > metrics.auc_pr(labels, scores)


def test_without_ties_both_interpolations_agree_and_perfect_ranking_is_one():
    labels = [1, 0, 0, 1, 1]
    scores = [5, 4, 3, 2, 1]
    assert metrics.auc_pr(labels, scores) == pytest.approx(metrics.auc_pr(labels, scores, "linear"))
    # Points (1/3, 1), (1/3, 1/2), (1/3, 1/3), (2/3, 1/2), (1, 3/5).
    assert metrics.auc_pr(labels, scores) == pytest.approx(
        1 / 3 + (1 / 3 + 1 / 2) / 6 + (0.5 + 0.6) / 6
    )
    assert metrics.auc_pr([1, 1, 0], [3, 2, 1]) == pytest.approx(1.0)
    assert metrics.roc_auc([1, 1, 0], [3, 2, 1]) == pytest.approx(1.0)


def test_bad_inputs():
    with pytest.raises(ValueError, match="both positives and negatives"):
        metrics.auc_pr([1, 1], [0.2, 0.3])
    with pytest.raises(ValueError, match="interpolation must be"):
        metrics.auc_pr([1, 0], [1, 0], interpolation="spline")
