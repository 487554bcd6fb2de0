"""The samples' targets: the teacher's probabilities alone (the paper's), or mixed with
the label each sample was asked for. A validation study.

The label-conditioned generator is asked for a class; the teacher relabels its sample and
that label is dropped. Where the teacher is weak (SST-2 at 16 labels per class) the
asked label might add what the teacher misses. For one labeled sample, it fits the
defaults (teacher and samples cached in ``--memory``), distils the default student
(3 seeds) from the samples' targets ``beta * teacher + (1 - beta) * asked label`` for
``beta`` 1 (the default), 0.75 and 0.5, and scores it on 1,000 other training-pool texts,
or the dev set with ``--validation dev`` (never the test set). Appends one row per
setting to ``asked_label_targets.csv``::

    python benchmarks/asked_label_targets.py --data-dir ../shared/data \\
        --dataset sst2 --k 16 --seed 0 --validation dev --memory /tmp/gd_cache
"""

from pathlib import Path

import numpy as np
from _results import (  # benchmarks/_results.py
    append_row,
    distillation_study,
    student_accuracies,
)

study = distillation_study(__doc__)
args, clf = study.args, study.clf
n_samples = len(clf.generated_texts_)
asked = np.eye(len(clf.classes_))[np.searchsorted(clf.classes_, clf.generated_labels_)]
for beta in [1.0, 0.75, 0.5]:
    targets = study.targets.copy()
    targets[:n_samples] = beta * targets[:n_samples] + (1 - beta) * asked
    scores, _ = student_accuracies(study.transfer, targets.astype(np.float32), study.vectors,
                                   study.X_valid, study.y_valid, clf.classes_)
    append_row(Path(args.out) / "asked_label_targets.csv", {
        "dataset": args.dataset, "k": args.k, "seed": args.seed,
        "validation": args.validation, "teacher_weight": beta,
        "valid_accuracy": round(float(np.mean(scores)), 4), "std": round(float(np.std(scores)), 4),
        "student_seeds": len(scores), "n_samples": n_samples,
        "label_agreement": round(clf.sample_label_agreement_, 3),
        "teacher_valid_accuracy": round(study.teacher_accuracy, 4)})
