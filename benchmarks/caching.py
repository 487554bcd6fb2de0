"""What ``memory=`` saves in a grid search over student and distillation parameters.

A 4-candidate ``GridSearchCV`` (2 x ``alpha``, 2 x ``student__embedding_dim``, 2-fold
CV, no refit) over ``GenerationDistillationClassifier`` with the real default teacher and
generator, run twice: without ``memory`` (the teacher and generator are fitted for every
candidate: 8 times) and with a fresh ``memory`` folder (once per fold: 2 times). To keep
the run short it uses K=25 labeled AG News texts per class and ``n_generated=200``.
Writes ``caching.csv`` and ``caching.md`` into ``--out``::

    python benchmarks/caching.py
"""

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
from _results import write_csv  # benchmarks/_results.py
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from sklearn_gd import GenerationDistillationClassifier
from sklearn_gd.datasets import load_dataset

parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
parser.add_argument("--data-dir", default=None)
parser.add_argument("--k", type=int, default=25, help="labeled texts per class (from K=100)")
parser.add_argument("--n-generated", type=int, default=200)
parser.add_argument("--out", default=str(Path(__file__).parent / "results"))
args = parser.parse_args()

data = load_dataset("ag_news", k=100, seed=0, data_dir=args.data_dir)
y = np.asarray(data.y_train)
keep = np.sort(np.concatenate([np.flatnonzero(y == c)[: args.k] for c in np.unique(y)]))
X, y = [data.X_train[i] for i in keep], y[keep]
grid = {"alpha": [0.3, 0.7], "student__embedding_dim": [32, 64]}


def search(memory):
    estimator = GenerationDistillationClassifier(
        n_generated=args.n_generated, memory=memory, random_state=0
    )
    cv = StratifiedKFold(2, shuffle=True, random_state=0)
    start = time.perf_counter()
    result = GridSearchCV(estimator, grid, cv=cv, refit=False).fit(X, y)
    return time.perf_counter() - start, result.cv_results_["mean_test_score"]


rows = []
for name in ["without memory", "with memory"]:
    with tempfile.TemporaryDirectory() as folder:
        seconds, scores = search(folder if name == "with memory" else None)
    rows.append({"run": name, "seconds": round(seconds, 1),
                 "mean_test_scores": " ".join(f"{s:.3f}" for s in scores)})
    print(f"{name}: {seconds:.0f}s, scores {rows[-1]['mean_test_scores']}", flush=True)

out = Path(args.out)
write_csv(out / "caching.csv", rows)
speedup = rows[0]["seconds"] / rows[1]["seconds"]
same = rows[0]["mean_test_scores"] == rows[1]["mean_test_scores"]
(out / "caching.md").write_text("\n".join([
    "# Grid search with and without `memory`",
    "",
    f"`python benchmarks/caching.py`: 4 candidates x 2 folds, K={args.k} AG News texts per "
    f"class, n_generated={args.n_generated}, default teacher and generator, 2 CPU cores.",
    "",
    "| run | time (s) | mean test score per candidate |",
    "|---|---|---|",
    *[f"| {r['run']} | {r['seconds']:.0f} | {r['mean_test_scores']} |" for r in rows],
    "",
    f"With `memory` the grid took {speedup:.1f}x less time. The scores are "
    + ("identical: caching changes no result." if same else
       "not identical: the cached and recomputed stages differ (see the scores)."),
    "",
]))
