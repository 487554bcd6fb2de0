"""Several teachers finetuned with other seeds, their probabilities averaged? A
validation-split study.

Finetuning on a few dozen texts varies much from one seed to another (the head's start,
dropout, batch order). The mean of a few such teachers is often more accurate and better
calibrated than one, and at 16 labels per class a teacher costs 15-20 s at SST-2. For one
labeled sample this fits the defaults (teacher and samples cached in ``--memory``; no
guard, as ``sample_count.py`` fits them, so that its cache is reused), finetunes
``--members - 1`` more teachers with other seeds, and scores on 1,000 other pool texts,
or the dev set with ``--validation dev``: each teacher, their mean, and the default student
(3 seeds, prior shifted as ``fit`` does) distilled from the first 2,000 samples' kept
texts and the labeled texts with each teacher's targets and word vectors, and with the
mean's targets and the first teacher's vectors.
Appends rows to ``teacher_ensemble.csv``::

    python benchmarks/teacher_ensemble.py --data-dir ../shared/data --dataset sst2 --k 16 \\
        --seed 0 --validation dev --memory /tmp/gd_cache
"""

import time
from pathlib import Path

import numpy as np
from _results import (  # benchmarks/_results.py
    append_row,
    cached_samples_study,
    student_accuracies,
    transfer_set,
)
from sklearn.base import clone

from sklearn_gd import EncoderWordVectors
from sklearn_gd.prior import prior_ratio

args, (X, y, X_valid, y_valid), clf, samples = cached_samples_study(
    __doc__, add_arguments=lambda parser: parser.add_argument(
        "--members", type=int, default=3, help="teachers averaged"))
classes = clf.classes_
texts = samples + list(X)
y_index = np.searchsorted(classes, y)

teachers, seconds = [clf.teacher_], []  # the first one may come from the cache
for member in range(1, args.members):
    start = time.perf_counter()
    teachers.append(clone(clf.teacher_).set_params(random_state=1000 + member).fit(X, y))
    seconds.append(time.perf_counter() - start)


def accuracy(proba):
    return round(float(np.mean(classes[proba.argmax(1)] == y_valid)), 4)


valid_proba = [teacher.predict_proba(X_valid) for teacher in teachers]
teacher_scores = [accuracy(p) for p in valid_proba]
ensemble_score = accuracy(np.mean(valid_proba, axis=0))


def mean_proba(texts):
    return np.mean([teacher.predict_proba(texts) for teacher in teachers], axis=0)


# Each teacher's own student (its own vectors and targets), then the mean's (the first
# teacher's vectors): one teacher seed is one draw, so the mean's student is compared
# with the mean of the single teachers' students.
readings = [(f"teacher {i} (its vectors)", teacher.predict_proba, teacher)
            for i, teacher in enumerate(teachers)]
readings.append(("mean of the teachers (teacher 0's vectors)", mean_proba, teachers[0]))
for targets_from, proba, vectors_from in readings:
    clf.generated_texts_ = samples  # transfer_set reads the samples from here
    _, targets = transfer_set(clf, X, y, proba=proba)
    scores, _ = student_accuracies(texts, targets, EncoderWordVectors(vectors_from), X_valid,
                                   y_valid, classes,
                                   prior_ratio=prior_ratio(targets, y_index, len(classes)))
    append_row(Path(args.out) / "teacher_ensemble.csv", {
        "dataset": args.dataset, "k": args.k, "seed": args.seed,
        "validation": args.validation, "members": args.members, "targets": targets_from,
        "student_valid_accuracy": round(float(np.mean(scores)), 4),
        "std": round(float(np.std(scores)), 4),
        "teacher_valid_accuracies": " ".join(map(str, teacher_scores)),
        "ensemble_valid_accuracy": ensemble_score,
        "added_teacher_fit_s": " ".join(str(round(s)) for s in seconds),
    })
