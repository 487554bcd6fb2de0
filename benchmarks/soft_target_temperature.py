"""The classifier with the SetFit teacher at several soft-target temperatures, on a
validation split.

The logistic-regression head of :class:`SetFitClassifier` gives soft probabilities (mean
top probability about 0.7 on SST-2). This fits ``GenerationDistillationClassifier`` with
``teacher=SetFitClassifier()`` (other components the defaults) on one labeled sample at
each ``--temperatures`` value (the teacher and the samples are fitted once and read from
a joblib cache after that) and scores the student and the teacher on 1,000 other
training-pool texts (never the test set). Appends one row per
temperature to ``soft_target_temperature.csv`` (``student_word_scores``: the student's
``word_scores``; rows written before it existed say ``absent``)::

    python benchmarks/soft_target_temperature.py --data-dir ../shared/data \\
        --dataset sst2 --k 16 --seed 1 --temperatures 1 0.5 0.25
"""

import argparse
import csv
import tempfile
import warnings
from pathlib import Path

import numpy as np
from _results import labeled_sample_and_validation  # benchmarks/_results.py

from sklearn_gd import GenerationDistillationClassifier, SetFitClassifier

parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
parser.add_argument("--data-dir", required=True)
parser.add_argument("--dataset", default="sst2")
parser.add_argument("--k", type=int, default=16)
parser.add_argument("--seed", type=int, default=1)
parser.add_argument("--temperatures", nargs="+", type=float, default=[1.0, 0.5, 0.25])
parser.add_argument("--setfit-C", type=float, default=1.0,
                    help="C of the SetFit teacher's logistic-regression head (default: 1.0)")
parser.add_argument("--memory", default=None, help="joblib cache folder (default: temporary)")
parser.add_argument("--out", default=str(Path(__file__).parent / "results"))
args = parser.parse_args()

X, y, X_valid, y_valid = labeled_sample_and_validation(
    args.data_dir, args.dataset, args.k, seed=args.seed)
memory = args.memory or tempfile.mkdtemp()
path = Path(args.out) / "soft_target_temperature.csv"
fields = ["dataset", "k", "seed", "setfit_C", "temperature", "teacher_valid_accuracy",
          "teacher_mean_top_probability", "student_valid_accuracy", "selected",
          "student_epochs", "student_word_scores"]
if not path.exists():
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(",".join(fields) + "\n")
for temperature in args.temperatures:
    clf = GenerationDistillationClassifier(teacher=SetFitClassifier(C=args.setfit_C),
                                           temperature=temperature, keep_teacher=True,
                                           memory=memory, random_state=args.seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a DistillationWarning is recorded in selected_
        clf.fit(X, y)
    proba = clf.teacher_.predict_proba(X_valid)
    row = dict(zip(fields, [
        args.dataset, args.k, args.seed, args.setfit_C, temperature,
        round(float(np.mean(clf.teacher_.classes_[proba.argmax(1)] == y_valid)), 4),
        round(float(proba.max(axis=1).mean()), 3),
        round(float(np.mean(clf.predict(X_valid) == y_valid)), 4), clf.selected_,
        len(clf.history_["student"]), getattr(clf.student_, "word_scores", "")], strict=True))
    print(row, flush=True)
    with open(path, "a", newline="") as file:
        csv.DictWriter(file, fields).writerow(row)
