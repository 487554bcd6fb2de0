"""The finetuned teacher with another pretrained encoder, on a validation split.

Fits ``TransformerClassifier(model=MODEL)`` (the default training budget) on one labeled
sample and scores it on 1,000 other training-pool texts, or the dev set with
``--validation dev`` (never the test set). Appends one row to ``teacher_model.csv``::

    python benchmarks/teacher_model.py --data-dir ../shared/data --dataset sst2 --k 16 \\
        --seed 0 --validation dev --model sentence-transformers/all-mpnet-base-v2
"""

import time
from pathlib import Path

import numpy as np
from _results import (  # benchmarks/_results.py
    append_row,
    labeled_sample_and_validation,
    one_sample_study_arguments,
)

from sklearn_gd import TransformerClassifier

args = one_sample_study_arguments(__doc__, add_arguments=lambda parser: parser.add_argument(
    "--model", default="sentence-transformers/all-MiniLM-L6-v2",
    help="Hub id or folder of the encoder (default: %(default)s)"))
X, y, X_valid, y_valid = labeled_sample_and_validation(
    args.data_dir, args.dataset, args.k, seed=args.seed, validation=args.validation)
start = time.perf_counter()
teacher = TransformerClassifier(model=args.model, random_state=args.seed).fit(X, y)
append_row(Path(args.out) / "teacher_model.csv", {
    "dataset": args.dataset, "k": args.k, "seed": args.seed, "validation": args.validation,
    "model": args.model, "epochs": teacher.epochs_,
    "valid_accuracy": round(float(np.mean(teacher.predict(X_valid) == y_valid)), 4),
    "fit_seconds": round(time.perf_counter() - start),
})
