"""Shifting a student's class prior back to the labels' shares (``prior_correction``)."""

import numpy as np
from sklearn.frozen import FrozenEstimator

__all__ = ["correct_prior", "prior_ratio"]

# The largest factor (and smallest, its inverse) prior_correction multiplies a class's
# probabilities by. The studies' largest was 1.6 (benchmarks/results/prior_correction.csv).
MAX_PRIOR_SHIFT = 10.0


def prior_ratio(targets, y, n_classes, unlabeled=None):
    """The class prior the transfer set should have over the one it has (the mean of its
    soft ``targets``): what :meth:`StudentClassifier.shift_prior` multiplies the student's
    probabilities by.

    A student trained on the teacher's soft labels takes their class shares as its prior.
    Where the teacher labels most samples as one class, the student predicts that class
    far more often than the teacher does; the ratio shifts the samples and labeled texts
    back to the labels' shares ``y`` (a logit adjustment, Menon et al. 2021). The rows
    marked in ``unlabeled`` (real texts) keep the teacher's shares: they estimate the real
    class shares, where the samples' shares follow the prompts. Each factor is capped at
    ``MAX_PRIOR_SHIFT`` (and its inverse): a class that the teacher (almost) never gives
    would otherwise take over.
    """
    targets = np.asarray(targets, dtype=np.float64)
    labels = np.bincount(y, minlength=n_classes) / len(y)
    real = np.zeros(len(targets), bool) if unlabeled is None else np.asarray(unlabeled, bool)
    wanted = ((~real).sum() * labels + targets[real].sum(axis=0)) / len(targets)
    ratio = wanted / np.clip(targets.mean(axis=0), 1e-12, None)
    return np.clip(ratio, 1 / MAX_PRIOR_SHIFT, MAX_PRIOR_SHIFT)


def correct_prior(model, targets, y, n_classes, unlabeled=None):
    """Shift ``model``'s prior (:func:`prior_ratio`); returns the ratio, or None for a
    student without ``shift_prior`` or a frozen one (never changed)."""
    if isinstance(model, FrozenEstimator) or not hasattr(model, "shift_prior"):
        return None
    ratio = prior_ratio(targets, y, n_classes, unlabeled)
    model.shift_prior(ratio)
    return ratio
