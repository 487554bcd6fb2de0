"""A finetuned teacher that starts from SetFit's encoder, on a validation split.

The SetFit teacher is the more accurate one at few labels (``teacher_setfit.csv``), but
the student learns less from it than from the finetuned teacher, from its targets and its
word vectors alike (``teacher_pairing.csv``). This tries both in turn: SetFit's pair
training of the encoder, then the default finetuning (a classification head, the whole
encoder trained) from that encoder. For one labeled sample it fits the defaults
(finetuned teacher and samples cached in ``--memory``), then the warm-started teacher,
and distils the default student (3 seeds) from the same samples with each teacher's
targets and word vectors. Scores on 1,000 other training-pool texts, or the dev set with
``--validation dev`` (never the test set). Appends one row per teacher to
``teacher_warm_start.csv``::

    python benchmarks/teacher_warm_start.py --data-dir ../shared/data \\
        --dataset sst2 --k 16 --seed 0 --validation dev --memory /tmp/gd_cache
"""

import csv
import tempfile
import time
from pathlib import Path

import numpy as np
from _results import (  # benchmarks/_results.py
    fitted_defaults,
    one_sample_study_arguments,
    transfer_set,
)
from sklearn.base import clone

from sklearn_gd import EncoderWordVectors, SetFitClassifier, TransformerClassifier
from sklearn_gd._classifier import default_student

args = one_sample_study_arguments(__doc__)
(X, y, X_valid, y_valid), clf = fitted_defaults(args)
start = time.perf_counter()
setfit = SetFitClassifier(random_state=args.seed).fit(X, y)
folder = tempfile.mkdtemp()
setfit.net_.module_.model.save_pretrained(folder)
setfit.tokenizer_.save_pretrained(folder)
warm = TransformerClassifier(model=folder, random_state=args.seed).fit(X, y)
warm_seconds = time.perf_counter() - start
teachers = {"finetuned (default)": (clf.teacher_, None),
            "SetFit encoder, then finetuned": (warm, warm_seconds)}

path = Path(args.out) / "teacher_warm_start.csv"
fields = ["dataset", "k", "seed", "validation", "teacher", "teacher_valid_accuracy",
          "student_valid_accuracy", "std", "student_seeds", "teacher_fit_seconds"]
if not path.exists():
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(",".join(fields) + "\n")
classes = clf.classes_
for name, (teacher, seconds) in teachers.items():
    transfer, targets = transfer_set(clf, X, y, teacher.predict_proba)
    vectors = EncoderWordVectors(teacher)
    scores = []
    for student_seed in range(3):
        student = clone(default_student()).set_params(
            word_vectors=vectors, random_state=student_seed).fit(transfer, targets)
        scores.append(np.mean(classes[student.predict_proba(X_valid).argmax(1)] == y_valid))
    row = dict(zip(fields, [
        args.dataset, args.k, args.seed, args.validation, name,
        round(float(np.mean(teacher.predict(X_valid) == y_valid)), 4),
        round(float(np.mean(scores)), 4), round(float(np.std(scores)), 4), 3,
        "" if seconds is None else round(seconds, 1)], strict=True))
    print(row, flush=True)
    with open(path, "a", newline="") as file:
        csv.DictWriter(file, fields).writerow(row)
