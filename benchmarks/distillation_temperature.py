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
    cached_samples_study,
    student_accuracies,
    transfer_set,
)

from sklearn_gd import EncoderWordVectors
from sklearn_gd.prior import prior_ratio

args, (X, y, X_valid, y_valid), clf, samples = cached_samples_study(
    __doc__, add_arguments=lambda parser: parser.add_argument(
        "--temperatures", type=float, nargs="+", default=[0.5, 1.0, 2.0]))
classes = clf.classes_
clf.generated_texts_ = samples  # transfer_set reads the samples from here
texts = samples + list(X)
proba = clf.teacher_.predict_proba(texts)  # once for every temperature
vectors = EncoderWordVectors(clf.teacher_)
y_index = np.searchsorted(classes, y)
for temperature in args.temperatures:
    clf.temperature = temperature  # transfer_set softens with it, as fit does
    _, targets = transfer_set(clf, X, y, proba=lambda _: proba.copy())
    scores, _ = student_accuracies(texts, targets, vectors, X_valid, y_valid, classes,
                                   prior_ratio=prior_ratio(targets, y_index, len(classes)))
    append_row(Path(args.out) / "distillation_temperature.csv", {
        "dataset": args.dataset, "k": args.k, "seed": args.seed,
        "validation": args.validation, "n_generated": args.n_generated,
        "temperature": temperature,
        "mean_top_target": round(float(targets[: len(clf.generated_texts_)].max(1).mean()), 3),
        "student_valid_accuracy": round(float(np.mean(scores)), 4),
        "std": round(float(np.std(scores)), 4),
    })
