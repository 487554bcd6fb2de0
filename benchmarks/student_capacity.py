"""Where does the distilled student lose to its teacher? Variants of the default student,
distilled from the same teacher and samples, on a validation split.

The default student is linear: a TF-IDF-weighted sum of the teacher's fixed word vectors
and a linear layer, plus per-word class scores. This refits it, on the transfer set and
targets that ``fit`` builds for one labeled sample (teacher and samples cached in
``--memory``), with 3 student seeds each, in these settings:

- ``default``;
- ``hidden layer``: a 128-unit ReLU layer between the bag and the output;
- ``trainable vectors``: the teacher's vectors as a start, trained with the rest;
- ``logit matching``: mean squared error between the student's logits and the teacher's
  log-probabilities (both centred per text), as Tang et al. (2019) distil BERT, in place
  of cross-entropy against probabilities.

and scores each on 1,000 other training-pool texts, or the dev set with
``--validation dev`` (never the test set). Appends one row per setting to
``student_capacity.csv``::

    python benchmarks/student_capacity.py --data-dir ../shared/data \\
        --dataset ag_news --k 16 --seed 1 --memory /tmp/gd_cache
"""

from contextlib import nullcontext
from pathlib import Path
from unittest import mock

import numpy as np
import torch
from _results import (  # benchmarks/_results.py
    append_row,
    distillation_study,
    student_accuracies,
)
from torch import nn

from sklearn_gd import StudentClassifier
from sklearn_gd import student as student_module
from sklearn_gd._classifier import default_student


class HiddenLayerBag(student_module.WordBagModule):
    """The bag, then a 128-unit ReLU layer before the output."""

    def __init__(self, vocab_size, n_classes, embedding_dim=48, dropout=0.3, word_scores=False):
        super().__init__(vocab_size, n_classes, embedding_dim, dropout, word_scores)
        self.output = nn.Sequential(nn.Linear(embedding_dim, 128), nn.ReLU(), nn.Dropout(dropout),
                                    nn.Linear(128, n_classes))


class LogitMSE(nn.Module):
    """Squared error between centred logits and centred log-probability targets."""

    def forward(self, logits, target):
        log_target = torch.log(target.clamp_min(1e-4))
        centred = logits - logits.mean(dim=1, keepdim=True)
        return ((centred - (log_target - log_target.mean(dim=1, keepdim=True))) ** 2).mean()


class HiddenLayerStudent(StudentClassifier):
    def _make_net(self, train_split=None):
        return super()._make_net(train_split).set_params(module=HiddenLayerBag)


class LogitMatchingStudent(StudentClassifier):
    def _make_net(self, train_split=None):
        return super()._make_net(train_split).set_params(criterion=LogitMSE)


def _trainable(embedding, vectors):
    """In place of the student's ``_fix_vectors``: copy the vectors, leave them trainable."""
    with torch.no_grad():
        embedding.weight.copy_(torch.as_tensor(vectors))


params = default_student().get_params()
SETTINGS = {"default": (None, nullcontext()),
            "hidden layer": (HiddenLayerStudent(**params), nullcontext()),
            "trainable vectors": (None, mock.patch.object(student_module, "_fix_vectors",
                                                          _trainable)),
            "logit matching": (LogitMatchingStudent(**params), nullcontext())}

study = distillation_study(__doc__)
args, X_valid, y_valid, clf = study.args, study.X_valid, study.y_valid, study.clf
transfer, targets, vectors = study.transfer, study.targets, study.vectors
teacher_accuracy = study.teacher_accuracy
for setting, (student, patch) in SETTINGS.items():
    with patch:
        scores, fitted = student_accuracies(transfer, targets, vectors, X_valid, y_valid,
                                            clf.classes_, student)
    append_row(Path(args.out) / "student_capacity.csv", {
        "dataset": args.dataset, "k": args.k, "seed": args.seed,
        "validation": args.validation, "setting": setting,
        "valid_accuracy": round(float(np.mean(scores)), 4), "std": round(float(np.std(scores)), 4),
        "student_seeds": len(scores), "teacher_valid_accuracy": round(teacher_accuracy, 4),
        "n_parameters": fitted.n_parameters_, "n_transfer": len(transfer)})
