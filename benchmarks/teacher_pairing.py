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

import time
from pathlib import Path

import numpy as np
from _results import (  # benchmarks/_results.py
    append_row,
    fitted_defaults,
    one_sample_study_arguments,
    student_accuracies,
    transfer_set,
)

from sklearn_gd import EncoderWordVectors, SetFitClassifier
from sklearn_gd._classifier import soften

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

classes = clf.classes_
for target_name, vector_name in SETTINGS:
    transfer, targets = transfer_set(clf, X, y, teachers[target_name])
    target_accuracy = np.mean(classes[teachers[target_name](X_valid).argmax(1)] == y_valid)
    scores, _ = student_accuracies(transfer, targets, vectors[vector_name], X_valid, y_valid,
                                   classes)
    append_row(Path(args.out) / "teacher_pairing.csv", {
        "dataset": args.dataset, "k": args.k, "seed": args.seed,
        "validation": args.validation, "targets": target_name, "word_vectors": vector_name,
        "valid_accuracy": round(float(np.mean(scores)), 4), "std": round(float(np.std(scores)), 4),
        "student_seeds": len(scores), "targets_valid_accuracy": round(float(target_accuracy), 4),
        "setfit_fit_seconds": round(setfit_seconds, 1)})
