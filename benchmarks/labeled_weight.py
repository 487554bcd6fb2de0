"""How much should the labeled texts weigh against the samples? A validation study.

The student learns from about 2,000 samples labeled by the teacher and from the labeled
texts, whose targets mix the teacher's probabilities with the true label (``alpha``).
The labeled texts are 3% of that transfer set at AG News K=16 and 17% at K=100. Where
the samples mislead the student (at SST-2 K=100 the distilled student fell below the
labels-only student reading the teacher's vectors at every seed of the benchmark), more
weight on the only texts with true labels could help.

For one labeled sample, it fits the defaults (teacher and samples cached in
``--memory``) and distils the default student (3 seeds) with the labeled texts repeated
so that they make up 25% or 50% of the transfer set, with ``alpha`` 0 and 1 on them
instead of 0.5, and from the labeled texts alone (as the guard's ``teacher_vectors``
baseline, but with the mixed targets). Scores on 1,000 other training-pool texts, or the
dev set with ``--validation dev`` (never the test set). Appends one row per setting to
``labeled_weight.csv``::

    python benchmarks/labeled_weight.py --data-dir ../shared/data \\
        --dataset sst2 --k 100 --seed 1 --validation dev --memory /tmp/gd_cache
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
samples, labeled = study.transfer[:n_samples], study.transfer[n_samples:]
sample_targets, labeled_targets = study.targets[:n_samples], study.targets[n_samples:]


def with_labeled_share(share):
    """The labeled texts repeated so that they make up ``share`` of the transfer set."""
    repeats = max(1, round(share / (1 - share) * n_samples / len(labeled)))
    return (samples + labeled * repeats,
            np.vstack([sample_targets, *[labeled_targets] * repeats]), repeats)


onehot = np.eye(len(clf.classes_))[np.searchsorted(clf.classes_, study.y)]
teacher_proba = (labeled_targets - (1 - clf.alpha) * onehot) / clf.alpha  # undo the mix


def with_alpha(alpha):
    mixed = alpha * teacher_proba + (1 - alpha) * onehot
    return study.transfer, np.vstack([sample_targets, mixed]), 1


SETTINGS = {
    "labeled texts once (default)": lambda: (study.transfer, study.targets, 1),
    "labeled texts 25% of the transfer set": lambda: with_labeled_share(0.25),
    "labeled texts 50% of the transfer set": lambda: with_labeled_share(0.5),
    "alpha 0 (true labels only on the labeled texts)": lambda: with_alpha(0.0),
    "alpha 1 (the teacher's labels only)": lambda: with_alpha(1.0),
    "labeled texts alone (their mixed targets)": lambda: (labeled, labeled_targets, 1),
}
for setting, make in SETTINGS.items():
    texts, targets, repeats = make()
    scores, _ = student_accuracies(texts, targets.astype(np.float32), study.vectors,
                                   study.X_valid, study.y_valid, clf.classes_)
    append_row(Path(args.out) / "labeled_weight.csv", {
        "dataset": args.dataset, "k": args.k, "seed": args.seed,
        "validation": args.validation, "setting": setting, "n_transfer": len(texts),
        "labeled_repeats": repeats,
        "valid_accuracy": round(float(np.mean(scores)), 4), "std": round(float(np.std(scores)), 4),
        "student_seeds": len(scores), "teacher_valid_accuracy": round(study.teacher_accuracy, 4)})
