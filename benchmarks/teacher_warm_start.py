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

import tempfile
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

from sklearn_gd import EncoderWordVectors, SetFitClassifier, TransformerClassifier

args = one_sample_study_arguments(__doc__)
(X, y, X_valid, y_valid), clf = fitted_defaults(args)
start = time.perf_counter()
setfit = SetFitClassifier(random_state=args.seed).fit(X, y)
folder = tempfile.mkdtemp()
setfit.net_.module_.model.save_pretrained(folder)
setfit.tokenizer_.save_pretrained(folder)
warm = TransformerClassifier(model=folder, random_state=args.seed).fit(X, y)
warm_seconds = time.perf_counter() - start
teachers = {"finetuned (default)": (clf.teacher_, ""),
            "SetFit encoder, then finetuned": (warm, round(warm_seconds, 1))}

for name, (teacher, seconds) in teachers.items():
    transfer, targets = transfer_set(clf, X, y, teacher.predict_proba)
    scores, _ = student_accuracies(transfer, targets, EncoderWordVectors(teacher), X_valid,
                                   y_valid, clf.classes_)
    append_row(Path(args.out) / "teacher_warm_start.csv", {
        "dataset": args.dataset, "k": args.k, "seed": args.seed,
        "validation": args.validation, "teacher": name,
        "teacher_valid_accuracy": round(float(np.mean(teacher.predict(X_valid) == y_valid)), 4),
        "student_valid_accuracy": round(float(np.mean(scores)), 4),
        "std": round(float(np.std(scores)), 4), "student_seeds": len(scores),
        "teacher_fit_seconds": seconds})
