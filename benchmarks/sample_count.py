"""More samples where they are cheap? A validation-split study of the number of samples.

Sampling costs about one model step per token, and finished rows leave the batch, so the
generator's time follows the number of tokens sampled, not the number of samples: 2,000
samples of SST-2's short sentences take a third of the time of 2,000 AG News texts. For
one labeled sample this fits the defaults once with ``--counts``' largest number of samples
(teacher and samples cached in ``--memory``; no guard), then distils the default student
(3 seeds, prior shifted as ``fit`` does) from the first kept samples of each count plus
the labeled texts, and scores it on 1,000 other training-pool texts, or the dev set with
``--validation dev`` (never the test set). Appends one row per count to
``sample_count.csv``::

    python benchmarks/sample_count.py --data-dir ../shared/data --dataset sst2 --k 100 \\
        --seed 0 --validation dev --counts 2000 4000 6000 --memory /tmp/gd_cache
"""

import time
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
from sklearn_gd._classifier import default_student
from sklearn_gd.prior import prior_ratio

args = one_sample_study_arguments(__doc__, add_arguments=lambda parser: parser.add_argument(
    "--counts", type=int, nargs="+", default=[2000, 4000, 6000],
    help="numbers of samples to compare (the largest is generated)"))
largest = max(args.counts)
start = time.perf_counter()
(X, y, X_valid, y_valid), clf = fitted_defaults(args, n_generated=largest, baselines={})
fit_s = time.perf_counter() - start
classes, kept = clf.classes_, list(clf.generated_texts_)
_, targets = transfer_set(clf, X, y)
vectors = EncoderWordVectors(clf.teacher_)
teacher_accuracy = float(np.mean(clf.teacher_.predict(X_valid) == y_valid))
labeled_rows = np.arange(len(kept), len(kept) + len(X))
y_index = np.searchsorted(classes, y)

for count in sorted(args.counts):
    # The filter keeps samples in the order they were drawn: the first kept ones of this
    # count's share stand for a run that drew ``count`` samples.
    n_kept = round(len(kept) * count / largest)
    rows = np.concatenate([np.arange(n_kept), labeled_rows])
    texts = kept[:n_kept] + list(X)
    scores = []
    for seed in range(3):
        student = clone(default_student()).set_params(word_vectors=vectors, random_state=seed)
        student.fit(texts, targets[rows])
        student.shift_prior(prior_ratio(targets[rows], y_index, len(classes)))
        scores.append(float(np.mean(classes[student.predict_proba(X_valid).argmax(1)]
                                    == y_valid)))
    append_row(Path(args.out) / "sample_count.csv", {
        "dataset": args.dataset, "k": args.k, "seed": args.seed,
        "validation": args.validation, "n_generated": count, "kept": n_kept,
        "mean_sample_words": round(float(np.mean([len(t.split()) for t in kept[:n_kept]])), 1),
        "student_valid_accuracy": round(float(np.mean(scores)), 4),
        "std": round(float(np.std(scores)), 4),
        "teacher_valid_accuracy": round(teacher_accuracy, 4),
        # Of the largest count's run: the generator stage (finetuning and sampling).
        "largest_generator_s": round(clf.stage_times_["generator"]),
        "largest_fit_s": round(fit_s),
    })
