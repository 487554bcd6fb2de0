"""The SetFit teacher against the finetuned one, on a validation split.

For each point (dataset:K) and labeled sample (seed), fits the default
``TransformerClassifier`` (finetuned with a classification head) and ``SetFitClassifier``
(pair training, then a logistic-regression head) on the same labeled texts with the same
seed, and scores both on 1,000 other training-pool texts (never the test set). Appends one
row per fit to ``teacher_setfit.csv``, skipping fits already there::

    python benchmarks/teacher_setfit.py --data-dir ../shared/data \\
        --points sst2:16 sst2:100 ag_news:16 ag_news:100 bbc_news:16 --seeds 0 1 2
"""

import argparse
import csv
import time
from pathlib import Path

import numpy as np
from _results import labeled_sample_and_validation  # benchmarks/_results.py

from sklearn_gd import SetFitClassifier, TransformerClassifier

TEACHERS = {"finetuned": TransformerClassifier, "setfit": SetFitClassifier}

parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
parser.add_argument("--data-dir", required=True)
parser.add_argument("--points", nargs="+", default=["sst2:16", "ag_news:16"])
parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
parser.add_argument("--teachers", nargs="+", default=list(TEACHERS), choices=list(TEACHERS))
parser.add_argument("--out", default=str(Path(__file__).parent / "results"))
args = parser.parse_args()

path = Path(args.out) / "teacher_setfit.csv"
fields = ["dataset", "k", "seed", "teacher", "valid_accuracy", "fit_seconds"]
if not path.exists():
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(",".join(fields) + "\n")
with open(path) as file:
    done = {(row["dataset"], row["k"], row["seed"], row["teacher"])
            for row in csv.DictReader(file)}
for point in args.points:
    name, k = point.split(":")
    for seed in args.seeds:
        X, y, X_valid, y_valid = labeled_sample_and_validation(
            args.data_dir, name, int(k), seed=seed)
        for teacher in args.teachers:
            if (name, k, str(seed), teacher) in done:
                continue
            start = time.perf_counter()
            model = TEACHERS[teacher](random_state=seed).fit(X, y)
            seconds = time.perf_counter() - start
            accuracy = float(np.mean(model.predict(X_valid) == y_valid))
            row = dict(zip(fields, [name, k, seed, teacher, round(accuracy, 4),
                                    round(seconds, 1)], strict=True))
            print(row, flush=True)
            with open(path, "a", newline="") as file:  # each row as soon as it is measured
                csv.DictWriter(file, fields).writerow(row)
