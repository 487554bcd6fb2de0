"""More transfer texts without more generation: teacher-labeled recombinations of the
samples, on a validation split.

Where the student falls short of its teacher, more and more varied transfer texts help
(real unlabeled texts beat samples: see benchmarks/README.md). Generating is the slow stage; the
teacher labels a text in milliseconds. This adds 2,000 texts made from the transfer set,
labeled by the teacher, in two ways (Tang et al., 2019, augment their transfer set
likewise):

- ``halves``: the first half of one transfer text's words followed by the second half
  of another's (texts of different classes mix, and the teacher says how much);
- ``word dropout``: a transfer text with 30% of its words dropped at random;
- ``sentences``: every sentence (of 3 words or more) of the transfer texts that hold
  two or more, as a text of its own (samples run longer than SST-2's sentences); ``n``
  is not used: all of them are added.

For one labeled sample, it fits the defaults (teacher and samples cached in
``--memory``), distils the default student (3 seeds) from the transfer set alone and
with each addition, and scores it on 1,000 other training-pool texts, or the dev set with
``--validation dev`` (never the test set). Appends one row per setting to
``transfer_augmentation.csv``::

    python benchmarks/transfer_augmentation.py --data-dir ../shared/data \\
        --dataset ag_news --k 16 --seed 1 --memory /tmp/gd_cache \\
        [--settings "none (default)" sentences]
"""

import re
from pathlib import Path

import numpy as np
from _results import (  # benchmarks/_results.py
    append_row,
    distillation_study,
    student_accuracies,
)


def halves(texts, n, rng):
    first, second = rng.integers(len(texts), size=(2, n))
    out = []
    for a, b in zip(first, second, strict=True):
        words_a, words_b = texts[a].split(), texts[b].split()
        out.append(" ".join(words_a[: len(words_a) // 2] + words_b[len(words_b) // 2 :]))
    return out


def word_dropout(texts, n, rng):
    out = []
    for i in rng.integers(len(texts), size=n):
        words = texts[i].split()
        keep = rng.random(len(words)) >= 0.3
        out.append(" ".join(w for w, k in zip(words, keep, strict=True) if k) or texts[i])
    return out


def sentences(texts, n, rng):
    out = []
    for text in texts:
        parts = [part for part in re.split(r"(?<=[.!?])\s+", text.strip())
                 if len(part.split()) >= 3]
        if len(parts) >= 2:
            out.extend(parts)
    return out


SETTINGS = {"none (default)": None, "halves": halves, "word dropout": word_dropout,
            "sentences": sentences}
study = distillation_study(__doc__, add_arguments=lambda parser: parser.add_argument(
    "--settings", nargs="+", choices=list(SETTINGS), default=list(SETTINGS)))
args, X_valid, y_valid, clf = study.args, study.X_valid, study.y_valid, study.clf
transfer, targets, vectors = study.transfer, study.targets, study.vectors
teacher, teacher_accuracy = clf.teacher_, study.teacher_accuracy

for setting in args.settings:
    make = SETTINGS[setting]
    texts, soft = transfer, targets
    if make is not None:
        added = make(transfer, 2000, np.random.default_rng(args.seed))
        texts = transfer + added
        soft = np.vstack([targets, teacher.predict_proba(added)]).astype(np.float32)
    scores, _ = student_accuracies(texts, soft, vectors, X_valid, y_valid, clf.classes_)
    append_row(Path(args.out) / "transfer_augmentation.csv", {
        "dataset": args.dataset, "k": args.k, "seed": args.seed,
        "validation": args.validation, "added": setting, "n_transfer": len(texts),
        "valid_accuracy": round(float(np.mean(scores)), 4), "std": round(float(np.std(scores)), 4),
        "student_seeds": len(scores), "teacher_valid_accuracy": round(float(teacher_accuracy), 4)})
