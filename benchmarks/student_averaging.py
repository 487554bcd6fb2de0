"""Several students averaged into one: a validation study.

The default student is linear in what it learns: its word vectors are fixed (the
teacher's), and its logits are a linear layer over their weighted sum plus each word's
own scores. Students fitted with other seeds (another early-stopping split, another
start and dropout) therefore average into one student of the same size and speed:
the mean of their trained weights gives exactly the mean of their logits. This measures
what that averaging buys.

For one labeled sample, it fits the defaults (teacher and samples cached in
``--memory``), distils the default student with seeds 0-8, and scores on 1,000 other
training-pool texts (or the dev set with ``--validation dev``; never the test set) each
single student and the averages of seeds 0-2, 3-5, 6-8 (3 students) and 0-4, 4-8
(5 students). Appends one row per setting to ``student_averaging.csv``::

    python benchmarks/student_averaging.py --data-dir ../shared/data \\
        --dataset sst2 --k 100 --seed 1 --validation dev --memory /tmp/gd_cache
"""

import copy
from pathlib import Path

import numpy as np
from _results import append_row, distillation_study  # benchmarks/_results.py
from sklearn.base import clone

from sklearn_gd._classifier import default_student
from sklearn_gd.student import _average_trained_weights


def averaged(students):
    """One student whose trained weights are the mean of ``students``' (the library's
    averaging, on a copy of the first)."""
    mean = copy.deepcopy(students[0])
    _average_trained_weights([mean.net_.module_, *(s.net_.module_ for s in students[1:])])
    return mean


study = distillation_study(__doc__)
args, classes = study.args, study.clf.classes_
# One fit each (the default student now averages 5 itself).
one_fit = default_student().set_params(n_averaged=1, word_vectors=study.vectors)
students = [clone(one_fit).set_params(random_state=seed).fit(study.transfer, study.targets)
            for seed in range(9)]


def accuracy(student):
    return float(np.mean(classes[student.predict_proba(study.X_valid).argmax(1)] == study.y_valid))


def logits(student):
    return np.log(student.predict_proba(study.X_valid))


# The averaged weights give the averaged logits (up to the softmax's constant per text).
check = averaged(students[:3])
difference = np.mean([logits(s) for s in students[:3]], axis=0) - logits(check)
assert np.allclose(difference - difference.mean(1, keepdims=True), 0, atol=1e-3)

SETTINGS = {"one student (default before n_averaged=5)": [[seed] for seed in range(9)],
            "3 students averaged": [[0, 1, 2], [3, 4, 5], [6, 7, 8]],
            "5 students averaged": [[0, 1, 2, 3, 4], [4, 5, 6, 7, 8]]}
for setting, groups in SETTINGS.items():
    scores = [accuracy(averaged([students[i] for i in group])) for group in groups]
    append_row(Path(args.out) / "student_averaging.csv", {
        "dataset": args.dataset, "k": args.k, "seed": args.seed,
        "validation": args.validation, "setting": setting,
        "valid_accuracy": round(float(np.mean(scores)), 4), "std": round(float(np.std(scores)), 4),
        "models": len(scores), "teacher_valid_accuracy": round(study.teacher_accuracy, 4)})
