"""Samples more like real texts? Generator settings that widen what is sampled, on a
validation split.

Real unlabeled texts in place of the samples lift the student by 1 to 5 points (the
``gd_real_pool`` rows of the benchmark). This fits ``GenerationDistillationClassifier``
on one labeled sample with the default generator and with each of these settings (the
teacher is the same, from the ``--memory`` cache):

- ``unrestricted sampling``: top-k and top-p off (``top_k=50000, top_p=1.0``);
- ``no opening word``: samples start from the label prefix alone (``prompt_words=0``);
- ``3 finetuning epochs``: the generator learns the labeled texts and their label
  prefixes longer (one pass over 64 AG News texts is 4 optimizer steps).

and distils the default student (3 seeds) from each generator's kept samples with the
same teacher's targets. Scores on 1,000 other training-pool texts, or the dev set with
``--validation dev`` (never the test set). Appends one row per setting, with the share of
samples the teacher puts in the class they were asked for and the number of distinct
words in the samples, to ``generator_diversity.csv``::

    python benchmarks/generator_diversity.py --data-dir ../shared/data \\
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
from sklearn.base import clone

from sklearn_gd import EncoderWordVectors
from sklearn_gd._classifier import default_generator
from sklearn_gd.student import split_words

SETTINGS = {"default": {}, "unrestricted sampling": {"top_k": 50000, "top_p": 1.0},
            "no opening word": {"prompt_words": 0}, "3 finetuning epochs": {"epochs": 3}}

args = one_sample_study_arguments(__doc__)
for setting, params in SETTINGS.items():
    start = time.perf_counter()
    generator = clone(default_generator()).set_params(**params)
    (X, y, X_valid, y_valid), clf = fitted_defaults(args, generator=generator)
    seconds = time.perf_counter() - start
    transfer, targets = transfer_set(clf, X, y)
    scores, _ = student_accuracies(transfer, targets, EncoderWordVectors(clf.teacher_), X_valid,
                                   y_valid, clf.classes_)
    words = split_words(clf.generated_texts_)
    append_row(Path(args.out) / "generator_diversity.csv", {
        "dataset": args.dataset, "k": args.k, "seed": args.seed,
        "validation": args.validation, "setting": setting, "n_kept": clf.n_generated_,
        "label_agreement": round(clf.sample_label_agreement_, 3),
        "distinct_words": len(set().union(*words)),
        "mean_words": round(float(np.mean([len(w) for w in words])), 1),
        "valid_accuracy": round(float(np.mean(scores)), 4), "std": round(float(np.std(scores)), 4),
        "student_seeds": len(scores), "fit_seconds": round(seconds, 1)})
