"""Which teacher should the student learn from? The finetuned teacher, the SetFit teacher
and their average, as soft targets and as the source of the student's word vectors, on a
validation split.

The SetFit teacher is the more accurate one (``teacher_setfit.csv``), but a student
distilled from it was worse on AG News. This separates the two things the student takes
from its teacher: for one labeled sample, it fits the defaults (finetuned teacher and
samples cached in ``--memory``) and a ``SetFitClassifier`` on the same labeled texts, then
distils the default student (3 seeds) from the same samples with each teacher's targets
(and the average of both, and SetFit's sharpened by temperature 0.5) and each teacher's
word vectors. Scores on 1,000 other training-pool texts, or the dev set with
``--validation dev`` (never the test set). Appends one row per setting to
``teacher_pairing.csv``::

    python benchmarks/teacher_pairing.py --data-dir ../shared/data \\
        --dataset ag_news --k 16 --seed 1 --memory /tmp/gd_cache
"""

import csv
import time
from pathlib import Path

import numpy as np
from _results import (  # benchmarks/_results.py
    fitted_defaults,
    one_sample_study_arguments,
    transfer_set,
)
from sklearn.base import clone

from sklearn_gd import EncoderWordVectors, SetFitClassifier
from sklearn_gd._classifier import default_student, soften

args = one_sample_study_arguments(__doc__)
(X, y, X_valid, y_valid), clf = fitted_defaults(args)
start = time.perf_counter()
setfit = SetFitClassifier(random_state=args.seed).fit(X, y)
setfit_seconds = time.perf_counter() - start
teachers = {"finetuned": clf.teacher_.predict_proba, "SetFit": setfit.predict_proba,
            "SetFit T=0.5": lambda texts: soften(setfit.predict_proba(texts), 0.5),
            "mean of both": lambda texts: (clf.teacher_.predict_proba(texts)
                                           + setfit.predict_proba(texts)) / 2}
vectors = {"finetuned": EncoderWordVectors(clf.teacher_), "SetFit": EncoderWordVectors(setfit)}
SETTINGS = [("finetuned", "finetuned"), ("SetFit", "finetuned"), ("SetFit T=0.5", "finetuned"),
            ("SetFit", "SetFit"), ("mean of both", "finetuned"), ("mean of both", "SetFit")]

path = Path(args.out) / "teacher_pairing.csv"
fields = ["dataset", "k", "seed", "validation", "targets", "word_vectors", "valid_accuracy",
          "std", "student_seeds", "targets_valid_accuracy", "setfit_fit_seconds"]
if not path.exists():
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(",".join(fields) + "\n")
classes = clf.classes_
for target_name, vector_name in SETTINGS:
    transfer, targets = transfer_set(clf, X, y, teachers[target_name])
    target_accuracy = np.mean(classes[teachers[target_name](X_valid).argmax(1)] == y_valid)
    scores = []
    for student_seed in range(3):
        student = clone(default_student()).set_params(
            word_vectors=vectors[vector_name], random_state=student_seed).fit(transfer, targets)
        scores.append(np.mean(classes[student.predict_proba(X_valid).argmax(1)] == y_valid))
    row = dict(zip(fields, [
        args.dataset, args.k, args.seed, args.validation, target_name, vector_name,
        round(float(np.mean(scores)), 4), round(float(np.std(scores)), 4), 3,
        round(float(target_accuracy), 4), round(setfit_seconds, 1)], strict=True))
    print(row, flush=True)
    with open(path, "a", newline="") as file:
        csv.DictWriter(file, fields).writerow(row)
