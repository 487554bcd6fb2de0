"""The default student with and without per-word class scores, and at two embedding
sizes, distilled from the same teacher and samples, on a validation split.

The default student's word vectors are read out of the teacher and kept fixed, so before
``word_scores`` only its output layer (48 x n_classes weights) learned from the transfer
set. This fits ``GenerationDistillationClassifier`` (the defaults) once on one labeled
sample (teacher and samples go to a joblib cache, so a rerun with the same ``--memory``
skips them), then refits the student on the same transfer set and teacher targets in each
setting, with 3 student seeds, and scores it on 1,000 other training-pool texts, or on the
dev set with ``--validation dev`` (never the test set). Appends one row per setting to
``student_word_scores.csv``::

    python benchmarks/student_word_scores.py --data-dir ../shared/data \\
        --dataset sst2 --k 100 --seed 1 --memory /tmp/gd_cache
"""

import csv
from pathlib import Path

import numpy as np
from _results import (  # benchmarks/_results.py
    fitted_defaults,
    one_sample_study_arguments,
    transfer_set,
)
from sklearn.base import clone

from sklearn_gd import EncoderWordVectors
from sklearn_gd._classifier import default_student

SETTINGS = {
    "no word scores, embedding_dim 48 (previous default)": {"word_scores": False},
    "no word scores, embedding_dim 96": {"word_scores": False, "embedding_dim": 96},
    "word scores, embedding_dim 48 (default)": {"word_scores": True},
    "word scores, embedding_dim 96": {"word_scores": True, "embedding_dim": 96},
}

args = one_sample_study_arguments(__doc__)

(X, y, X_valid, y_valid), clf = fitted_defaults(args)
teacher, classes = clf.teacher_, clf.classes_
teacher_accuracy = float(np.mean(teacher.predict(X_valid) == y_valid))

transfer, targets = transfer_set(clf, X, y)
vectors = EncoderWordVectors(teacher)

path = Path(args.out) / "student_word_scores.csv"
fields = ["dataset", "k", "seed", "validation", "setting", "valid_accuracy", "std", "student_seeds",
          "teacher_valid_accuracy", "n_parameters", "n_transfer"]
if not path.exists():
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(",".join(fields) + "\n")
for setting, params in SETTINGS.items():
    scores = []
    for student_seed in range(3):
        student = clone(default_student()).set_params(
            word_vectors=vectors, random_state=student_seed, **params).fit(transfer, targets)
        scores.append(np.mean(classes[student.predict_proba(X_valid).argmax(1)] == y_valid))
    row = dict(zip(fields, [
        args.dataset, args.k, args.seed, args.validation, setting, round(float(np.mean(scores)), 4),
        round(float(np.std(scores)), 4), 3, round(teacher_accuracy, 4),
        student.n_parameters_, len(transfer)], strict=True))
    print(row, flush=True)
    with open(path, "a", newline="") as file:
        csv.DictWriter(file, fields).writerow(row)
