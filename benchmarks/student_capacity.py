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

import csv
from pathlib import Path
from unittest import mock

import numpy as np
import torch
from _results import (  # benchmarks/_results.py
    fitted_defaults,
    one_sample_study_arguments,
    transfer_set,
)
from sklearn.base import clone
from torch import nn

from sklearn_gd import EncoderWordVectors, StudentClassifier
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


class VariantStudent(StudentClassifier):
    """The student with another module or loss; set ``variant`` before ``fit``."""

    variant = "default"

    def _make_net(self, train_split=None):
        net = super()._make_net(train_split)
        if self.variant == "hidden layer":
            net.set_params(module=HiddenLayerBag)
        if self.variant == "logit matching":
            net.set_params(criterion=LogitMSE)
        return net


def _trainable(embedding, vectors):
    with torch.no_grad():
        embedding.weight.copy_(torch.as_tensor(vectors))


SETTINGS = ["default", "hidden layer", "trainable vectors", "logit matching"]

args = one_sample_study_arguments(__doc__)
(X, y, X_valid, y_valid), clf = fitted_defaults(args)
teacher, classes = clf.teacher_, clf.classes_
teacher_accuracy = float(np.mean(teacher.predict(X_valid) == y_valid))

transfer, targets = transfer_set(clf, X, y)
vectors = EncoderWordVectors(teacher)

path = Path(args.out) / "student_capacity.csv"
fields = ["dataset", "k", "seed", "validation", "setting", "valid_accuracy", "std",
          "student_seeds", "teacher_valid_accuracy", "n_parameters", "n_transfer"]
if not path.exists():
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(",".join(fields) + "\n")
for setting in SETTINGS:
    scores = []
    for student_seed in range(3):
        student = VariantStudent(**clone(default_student()).get_params())
        student.variant = setting
        student.set_params(word_vectors=vectors, random_state=student_seed)
        fix = _trainable if setting == "trainable vectors" else student_module._fix_vectors
        with mock.patch.object(student_module, "_fix_vectors", fix):
            student.fit(transfer, targets)
        scores.append(np.mean(classes[student.predict_proba(X_valid).argmax(1)] == y_valid))
    row = dict(zip(fields, [
        args.dataset, args.k, args.seed, args.validation, setting,
        round(float(np.mean(scores)), 4), round(float(np.std(scores)), 4), 3,
        round(teacher_accuracy, 4), student.n_parameters_, len(transfer)], strict=True))
    print(row, flush=True)
    with open(path, "a", newline="") as file:
        csv.DictWriter(file, fields).writerow(row)
