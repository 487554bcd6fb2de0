"""Wall-clock time of the default ``GenerationDistillationClassifier.fit`` on one labeled
sample of a ``shared/data`` dataset, with every stage's time; run it alone on the machine.

    python benchmarks/fit_time.py --data-dir ../shared/data --dataset bbc_news --k 100

The issue's long-text case, 320 texts of 300 words (BBC News, 64 articles per class drawn
from the pool, each cut to its first 300 words), scored on 1,000 other pool articles cut
the same way, against TF-IDF + LR and the labels-only student fitted on the same texts:

    python benchmarks/fit_time.py --data-dir ../shared/data --dataset bbc_news --k 64 \
        --words 300 --validation 1000

A K without a sample in ``splits.json`` is drawn from the pool with ``--seed``; ``--set
PARAM=VALUE`` changes a default (for example ``generator__max_train_tokens=20000``).
"""

import argparse
import ast
import json
import time
import warnings

import numpy as np

from sklearn_gd import GenerationDistillationClassifier
from sklearn_gd.benchmark import draw_labeled_sample, read_labeled_csv
from sklearn_gd.guard import default_baselines

parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
parser.add_argument("--data-dir", required=True)
parser.add_argument("--dataset", default="bbc_news")
parser.add_argument("--k", type=int, default=100)
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--words", type=int, default=None, help="cut every text to this many words")
parser.add_argument("--validation", type=int, default=0,
                    help="score on this many other pool texts (default: no scoring)")
parser.add_argument("--set", nargs="*", default=[], metavar="PARAM=VALUE",
                    help="classifier parameters other than the defaults, e.g. "
                    "generator__max_train_tokens=20000")
args = parser.parse_args()

folder = f"{args.data_dir}/{args.dataset}"
texts, labels = read_labeled_csv(f"{folder}/train.csv.gz")
if args.words is not None:
    texts = [" ".join(text.split()[: args.words]) for text in texts]
labels = np.asarray(labels)
with open(f"{folder}/splits.json") as file:
    splits = json.load(file)["train_rows"]
key = f"k{args.k}_s{args.seed}"
rows = splits[key] if key in splits else draw_labeled_sample(labels, args.k, args.seed)
X, y = [texts[i] for i in rows], labels[rows]
params = {name: ast.literal_eval(value) for name, value in
          (setting.split("=", 1) for setting in args.set)}
print(f"{len(X)} texts, {np.mean([len(text.split()) for text in X]):.0f} words on average, "
      f"settings {params or 'defaults'}", flush=True)

start = time.perf_counter()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    clf = GenerationDistillationClassifier(random_state=args.seed).set_params(**params)
    clf.fit(X, y)
print(f"fit {time.perf_counter() - start:.0f}s, stages (s) "
      f"{ {stage: round(seconds) for stage, seconds in clf.stage_times_.items()} }, "
      f"teacher epochs {len(clf.history_['teacher'])}, selected {clf.selected_!r}, "
      f"check { {name: round(score, 3) for name, score in clf.selection_scores_.items()} }, "
      f"warnings {[type(w.message).__name__ for w in caught]}")

if args.validation:
    rest = np.setdiff1d(np.arange(len(texts)), rows)
    valid = np.random.default_rng(0).choice(rest, args.validation, replace=False)
    X_valid, y_valid = [texts[i] for i in valid], labels[valid]
    scores = {"fitted classifier": clf.score(X_valid, y_valid)}
    baselines = default_baselines(random_state=args.seed)
    for name in ("tfidf_lr", "labels_only"):
        scores[name] = baselines[name].fit(X, y).score(X_valid, y_valid)
    print(f"validation accuracy on {args.validation} other pool texts: "
          f"{ {name: round(score, 3) for name, score in scores.items()} }")
