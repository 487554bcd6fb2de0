"""The temperature of the default (finetuned) teacher's soft targets: a validation-split
study.

``GenerationDistillationClassifier(temperature=T)`` softens (T > 1) or sharpens (T < 1)
the teacher's probabilities before the student learns them (Hinton et al., 2015);
``soft_target_temperature.py`` measured it with the SetFit teacher only. For one labeled
sample this fits the defaults (teacher and samples cached in ``--memory``; no guard, as
``sample_count.py`` fits them, so that its cache is reused), and distils the default
student (3 seeds, prior shifted as ``fit`` does) from the first 2,000 samples' kept texts
and the labeled texts at each temperature; scores on 1,000 other pool texts, or the dev
set with ``--validation dev``. Appends rows to ``distillation_temperature.csv``::

    python benchmarks/distillation_temperature.py --data-dir ../shared/data --dataset sst2 \\
        --k 100 --seed 0 --validation dev --memory /tmp/gd_cache
"""

from pathlib import Path

import numpy as np
from _results import (  # benchmarks/_results.py
    append_row,
    fitted_defaults,
    one_sample_study_arguments,
    transfer_set,
)
from sklearn.base import clone

from sklearn_gd import EncoderWordVectors
from sklearn_gd._classifier import default_student, prior_ratio


def add_arguments(parser):
    parser.add_argument("--n-generated", type=int, default=8000,
                        help="samples of the cached fit (default 8000, sample_count.py's); "
                        "the first 2,000 samples' kept texts are used")
    parser.add_argument("--temperatures", type=float, nargs="+", default=[0.5, 1.0, 2.0])


args = one_sample_study_arguments(__doc__, add_arguments=add_arguments)
(X, y, X_valid, y_valid), clf = fitted_defaults(args, n_generated=args.n_generated,
                                                baselines={})
classes, kept = clf.classes_, list(clf.generated_texts_)
clf.generated_texts_ = kept[: round(len(kept) * 2000 / args.n_generated)]
texts = clf.generated_texts_ + list(X)
proba = clf.teacher_.predict_proba(texts)  # once for every temperature
vectors = EncoderWordVectors(clf.teacher_)
y_index = np.searchsorted(classes, y)
for temperature in args.temperatures:
    clf.temperature = temperature  # transfer_set softens with it, as fit does
    _, targets = transfer_set(clf, X, y, proba=lambda _: proba.copy())
    ratio = prior_ratio(targets, y_index, len(classes))
    scores = []
    for seed in range(3):
        student = clone(default_student()).set_params(word_vectors=vectors, random_state=seed)
        student.fit(texts, targets).shift_prior(ratio)
        scores.append(float(np.mean(classes[student.predict_proba(X_valid).argmax(1)]
                                    == y_valid)))
    append_row(Path(args.out) / "distillation_temperature.csv", {
        "dataset": args.dataset, "k": args.k, "seed": args.seed,
        "validation": args.validation, "n_generated": args.n_generated,
        "temperature": temperature,
        "mean_top_target": round(float(targets[: len(clf.generated_texts_)].max(1).mean()), 3),
        "student_valid_accuracy": round(float(np.mean(scores)), 4),
        "std": round(float(np.std(scores)), 4),
    })
