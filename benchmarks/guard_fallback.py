"""Which baseline should the guard fall back to? The two default baselines, the one that
5-fold cross-validation on the labeled texts picks, the average of both models'
probabilities (what the guard kept when distillation did not pay, before the labels-only
student with the teacher's word vectors joined the baselines: ``fallback_candidates.py``),
and the pick of cross-validation among all three, on validation splits.

At BBC News K=16 the guard's pick between TF-IDF + LR and the labels-only student was the
worse of the two at two of three seeds on the test set. This fits only the baselines
(seconds each, no teacher), for every labeled sample of ``--seeds``, and scores them on
1,000 other training-pool texts (SST-2: its dev sentences; never the test set). Writes
``guard_fallback.csv``::

    python benchmarks/guard_fallback.py --data-dir ../shared/data
"""

import argparse
from pathlib import Path

import numpy as np
from _results import labeled_sample_and_validation, write_csv  # benchmarks/_results.py
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold, cross_val_score

from sklearn_gd import default_baselines
from sklearn_gd.guard import average_of_baselines

parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
parser.add_argument("--data-dir", required=True)
parser.add_argument("--datasets", nargs="+", default=["ag_news", "sst2", "bbc_news"])
parser.add_argument("--k", type=int, nargs="+", default=[16, 100])
parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
parser.add_argument("--out", default=str(Path(__file__).parent / "results"))
args = parser.parse_args()


rows = []
for dataset in args.datasets:
    for k in args.k:
        for seed in args.seeds:
            X, y, X_valid, y_valid = labeled_sample_and_validation(
                args.data_dir, dataset, k, seed=seed,
                validation="dev" if dataset == "sst2" else "pool")
            baselines = default_baselines(seed)
            del baselines["teacher_vectors"]  # needs a teacher: see fallback_candidates.py
            proba, accuracy = {}, {}
            for name, model in baselines.items():
                fitted = clone(model).fit(X, y)
                proba[name] = fitted.predict_proba(X_valid)
                classes = fitted.classes_
                accuracy[name] = float(np.mean(classes[proba[name].argmax(1)] == y_valid))
            average = (proba["labels_only"] + proba["tfidf_lr"]) / 2
            folds = StratifiedKFold(5, shuffle=True, random_state=seed)
            cv = {name: cross_val_score(model, X, y, cv=folds).mean()
                  for name, model in baselines.items()}
            picked = max(cv, key=cv.get)
            cv["average_of_both"] = cross_val_score(
                average_of_baselines(baselines), X, y, cv=folds).mean()
            accuracy["average_of_both"] = float(np.mean(classes[average.argmax(1)] == y_valid))
            picked_of_3 = max(cv, key=cv.get)
            rows.append({
                "dataset": dataset, "k": k, "seed": seed,
                "tfidf_lr": round(accuracy["tfidf_lr"], 4),
                "labels_only": round(accuracy["labels_only"], 4),
                "cv_pick": picked, "cv_pick_accuracy": round(accuracy[picked], 4),
                "average_of_both": round(accuracy["average_of_both"], 4),
                **{f"cv_{name}": round(float(score), 4) for name, score in cv.items()},
                "cv_pick_of_3": picked_of_3,
                "cv_pick_of_3_accuracy": round(accuracy[picked_of_3], 4),
            })
            print(rows[-1], flush=True)
write_csv(Path(args.out) / "guard_fallback.csv", rows)
