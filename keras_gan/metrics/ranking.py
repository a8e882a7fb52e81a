"""ROC and precision-recall curves and their areas, with correct PR interpolation.

Reference:
    Davis & Goadrich, "The Relationship Between Precision-Recall and ROC
    Curves", ICML 2006. Between two PR points A and B the achievable curve is
    not a straight line: for x = 1 .. TP_B - TP_A,
    `recall = (TP_A + x) / P`,
    `precision = (TP_A + x) / (TP_A + x + FP_A + x (FP_B - FP_A) / (TP_B - TP_A))`.
    Linear interpolation over-estimates the area; the area here is the
    composite trapezoid over the interpolated points.
"""

import numpy as np


def _counts(labels, scores):
    labels = np.asarray(labels).astype(bool).ravel()
    scores = np.asarray(scores, np.float64).ravel()
    if labels.shape != scores.shape:
        raise ValueError(
            f"labels and scores must have one entry each. Received {labels.shape}, {scores.shape}"
        )
    positives = int(labels.sum())
    if positives == 0 or positives == len(labels):
        raise ValueError("labels must contain both positives and negatives.")
    order = np.argsort(-scores, kind="mergesort")
    labels, scores = labels[order], scores[order]
    last_of_tie = np.r_[np.nonzero(np.diff(scores))[0], len(scores) - 1]
    tps = np.cumsum(labels)[last_of_tie].astype(np.float64)
    fps = (last_of_tie + 1) - tps
    return tps, fps, positives, len(labels) - positives


def roc_curve(labels, scores):
    """`(fpr, tpr)` arrays, from (0, 0) to (1, 1), one point per distinct score."""
    tps, fps, p, n = _counts(labels, scores)
    return np.r_[0.0, fps / n], np.r_[0.0, tps / p]


def roc_auc(labels, scores):
    """Area under the ROC curve (linear interpolation is exact in ROC space)."""
    fpr, tpr = roc_curve(labels, scores)
    return float(np.trapezoid(tpr, fpr))


def pr_curve(labels, scores, interpolation="davis_goadrich"):
    """`(recall, precision)` arrays.

    Args:
        labels: 1 for positives, 0 for negatives.
        scores: higher means more likely positive.
        interpolation: `"davis_goadrich"` (correct) or `"linear"` (the
            distinct-threshold points only, for comparison).
    """
    if interpolation not in ("davis_goadrich", "linear"):
        raise ValueError(
            f"interpolation must be 'davis_goadrich' or 'linear'. Received: {interpolation!r}"
        )
    tps, fps, p, _ = _counts(labels, scores)
    if interpolation == "linear":
        precision = tps / (tps + fps)
        return np.r_[0.0, tps / p], np.r_[precision[0], precision]
    recall, precision = [], []
    tp_a, fp_a = 0.0, 0.0
    for tp_b, fp_b in zip(tps, fps):
        if tp_b == tp_a:
            recall.append(tp_b / p)
            precision.append(tp_b / (tp_b + fp_b))
        else:
            skew = (fp_b - fp_a) / (tp_b - tp_a)
            x = np.arange(1, int(tp_b - tp_a) + 1, dtype=np.float64)
            tp = tp_a + x
            recall.extend(tp / p)
            precision.extend(tp / (tp + fp_a + skew * x))
        tp_a, fp_a = tp_b, fp_b
    recall, precision = np.asarray(recall), np.asarray(precision)
    return np.r_[0.0, recall], np.r_[precision[0], precision]


def auc_pr(labels, scores, interpolation="davis_goadrich"):
    """Area under the precision-recall curve (Davis & Goadrich interpolation by default)."""
    recall, precision = pr_curve(labels, scores, interpolation)
    return float(np.trapezoid(precision, recall))
