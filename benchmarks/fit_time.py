"""Wall-clock time of the default ``GenerationDistillationClassifier.fit`` on one labeled
sample of a ``shared/data`` dataset, with every stage's time; run it alone on the machine.

    python benchmarks/fit_time.py --data-dir ../shared/data --dataset bbc_news --k 100
"""

import argparse
import json
import time
import warnings

import numpy as np

from sklearn_gd import GenerationDistillationClassifier
from sklearn_gd.benchmark import read_labeled_csv

parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
parser.add_argument("--data-dir", required=True)
parser.add_argument("--dataset", default="bbc_news")
parser.add_argument("--k", type=int, default=100)
parser.add_argument("--seed", type=int, default=0)
args = parser.parse_args()

folder = f"{args.data_dir}/{args.dataset}"
texts, labels = read_labeled_csv(f"{folder}/train.csv.gz")
with open(f"{folder}/splits.json") as file:
    rows = json.load(file)["train_rows"][f"k{args.k}_s{args.seed}"]
X, y = [texts[i] for i in rows], np.asarray(labels)[rows]
start = time.perf_counter()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    clf = GenerationDistillationClassifier(random_state=args.seed).fit(X, y)
print(f"fit {time.perf_counter() - start:.0f}s, stages (s) "
      f"{ {stage: round(seconds) for stage, seconds in clf.stage_times_.items()} }, "
      f"teacher epochs {len(clf.history_['teacher'])}, selected {clf.selected_!r}, "
      f"warnings {[type(w.message).__name__ for w in caught]}")
