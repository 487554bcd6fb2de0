"""The finetuned teacher's learning rate and step budget, on validation splits.

``--study learning-rate`` fits the default teacher (``TransformerClassifier``) at each
``--points`` entry (``dataset:K:seed``, a labeled sample of ``splits.json``) with its
learning rate at 5e-5, 1e-4 (default) and 2e-4, and ``min_steps`` at 150 (default) and
300. ``--study epochs`` fits it with 3, 2 and 1 epochs (or those of ``--epochs``) on
larger samples: K per class drawn from the training pool, as a user with hundreds of
labels per class has. Scores on 1,000 other pool texts, or SST-2's dev sentences (never
the test set). Appends to ``teacher_budget.csv``::

    python benchmarks/teacher_budget.py --data-dir ../shared/data --study learning-rate \\
        --points sst2:16:0 sst2:16:1 sst2:100:0
    python benchmarks/teacher_budget.py --data-dir ../shared/data --study epochs \\
        --points ag_news:1250:0
    python benchmarks/teacher_budget.py --data-dir ../shared/data --study epochs \\
        --points ag_news:500:0 --epochs 4 2
"""

import argparse
import csv
import time
import warnings
from pathlib import Path

import numpy as np
from _results import labeled_sample_and_validation  # benchmarks/_results.py

from sklearn_gd import TransformerClassifier
from sklearn_gd.benchmark import read_labeled_csv

LEARNING_RATE_SETTINGS = {
    "learning_rate 1e-4, min_steps 150 (default)": {},
    "learning_rate 5e-5, min_steps 150": {"learning_rate": 5e-5},
    "learning_rate 2e-4, min_steps 150": {"learning_rate": 2e-4},
    "learning_rate 1e-4, min_steps 300": {"min_steps": 300},
    "learning_rate 5e-5, min_steps 300": {"learning_rate": 5e-5, "min_steps": 300},
}

parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
parser.add_argument("--data-dir", required=True)
parser.add_argument("--study", choices=["learning-rate", "epochs"], required=True)
parser.add_argument("--points", nargs="+", required=True, help="dataset:K:seed")
parser.add_argument("--epochs", type=int, nargs="+", default=[3, 2, 1],
                    help="the epochs of --study epochs (default: 3 2 1)")
parser.add_argument("--out", default=str(Path(__file__).parent / "results"))
args = parser.parse_args()
SETTINGS = (LEARNING_RATE_SETTINGS if args.study == "learning-rate"
            else {f"epochs {n}": {"epochs": n} for n in args.epochs})


def large_sample(dataset, k, seed):
    """K texts per class drawn from the training pool, and 1,000 other pool texts."""
    texts, labels = read_labeled_csv(Path(args.data_dir) / dataset / "train.csv.gz")
    texts, labels = np.asarray(texts, dtype=object), np.asarray(labels)
    rng = np.random.default_rng(seed)
    sample = np.concatenate([rng.choice(np.flatnonzero(labels == c), k, replace=False)
                             for c in np.unique(labels)])
    valid = rng.choice(np.setdiff1d(np.arange(len(texts)), sample), 1000, replace=False)
    return list(texts[sample]), labels[sample], list(texts[valid]), labels[valid]


path = Path(args.out) / "teacher_budget.csv"
fields = ["dataset", "k", "seed", "validation", "setting", "epochs", "steps",
          "valid_accuracy", "fit_seconds"]
if not path.exists():
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(",".join(fields) + "\n")
for point in args.points:
    dataset, k, seed = point.split(":")
    k, seed = int(k), int(seed)
    validation = "dev" if dataset == "sst2" else "pool"
    if k in (16, 100):
        X, y, X_valid, y_valid = labeled_sample_and_validation(
            args.data_dir, dataset, k, seed=seed, validation=validation)
    else:
        X, y, X_valid, y_valid = large_sample(dataset, k, seed)
        validation = "pool"
    for setting, params in SETTINGS.items():
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            teacher = TransformerClassifier(random_state=seed, **params).fit(X, y)
        seconds = time.perf_counter() - start
        steps = teacher.epochs_ * -(-len(X) // teacher.batch_size)
        row = dict(zip(fields, [
            dataset, k, seed, validation, setting, teacher.epochs_, steps,
            round(float(np.mean(teacher.predict(X_valid) == y_valid)), 4), round(seconds)],
            strict=True))
        print(row, flush=True)
        with open(path, "a", newline="") as file:
            csv.DictWriter(file, fields).writerow(row)
