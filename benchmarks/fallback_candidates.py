"""What should the guard fall back to? Labels-only models with and without the teacher's
word vectors, and averages of them, against the distilled student, on validation texts.

For one labeled sample, fits ``GenerationDistillationClassifier`` with the defaults
(teacher and samples go to a joblib cache, so a rerun with the same ``--memory`` skips
them) and records the guard's cross-validated scores (``selection_scores_``) and choice.
Then fits, on the labeled texts alone and with 3 seeds each: TF-IDF + LR, the labels-only
student, and the same student reading the teacher's fixed word vectors
(``teacher_vectors``, no generated texts); and distills the default student (3 seeds)
from the same teacher and samples. Scores each model and averages of their probabilities
on 1,000 other training-pool texts, or the dev set with ``--validation dev`` (never the
test set). Appends one row per model to ``fallback_candidates.csv``::

    python benchmarks/fallback_candidates.py --data-dir ../shared/data \\
        --dataset bbc_news --k 16 --seed 0 --memory /tmp/gd_cache
"""

import csv
from pathlib import Path

import numpy as np
from _results import fitted_defaults, one_sample_study_arguments  # benchmarks/_results.py
from sklearn.base import clone

from sklearn_gd import EncoderWordVectors, default_baselines
from sklearn_gd._classifier import default_student

args = one_sample_study_arguments(__doc__)
(X, y, X_valid, y_valid), clf = fitted_defaults(args)
teacher, classes = clf.teacher_, clf.classes_
vectors = EncoderWordVectors(teacher)

# The distilled student's transfer set, as fit builds it (temperature 1, alpha 0.5).
samples = list(clf.generated_texts_)
onehot = np.eye(len(classes))[np.searchsorted(classes, y)]
targets = np.vstack([teacher.predict_proba(samples),
                     0.5 * teacher.predict_proba(X) + 0.5 * onehot]).astype(np.float32)

probabilities = {}  # model name: validation probabilities of each seed
for seed in range(3):
    models = default_baselines(random_state=seed)
    models["teacher_vectors"].set_params(word_vectors=vectors)
    for name, model in models.items():
        probabilities.setdefault(name, []).append(model.fit(X, y).predict_proba(X_valid))
    distilled = clone(default_student()).set_params(word_vectors=vectors, random_state=seed)
    probabilities.setdefault("distilled", []).append(
        distilled.fit(samples + list(X), targets).predict_proba(X_valid))


def accuracy(proba):
    return float(np.mean(classes[np.argmax(proba, axis=1)] == y_valid))


rows = {name: [accuracy(p) for p in runs] for name, runs in probabilities.items()}
for members in [("labels_only", "tfidf_lr"), ("labels_only", "teacher_vectors"),
                ("teacher_vectors", "tfidf_lr"), ("labels_only", "teacher_vectors", "tfidf_lr"),
                ("distilled", "tfidf_lr"), ("distilled", "teacher_vectors")]:
    rows["average of " + " + ".join(members)] = [
        accuracy(sum(parts)) for parts in
        zip(*(probabilities[m] for m in members), strict=True)]
rows["teacher"] = [accuracy(teacher.predict_proba(X_valid))]
rows[f"fitted classifier (kept {clf.selected_})"] = [accuracy(clf.predict_proba(X_valid))]

path = Path(args.out) / "fallback_candidates.csv"
fields = ["dataset", "k", "seed", "validation", "model", "valid_accuracy", "std", "seeds",
          "guard_scores"]
if not path.exists():
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(",".join(fields) + "\n")
guard = " ".join(f"{name}={score:.3f}" for name, score in clf.selection_scores_.items())
with open(path, "a", newline="") as file:
    for name, scores in rows.items():
        row = dict(zip(fields, [args.dataset, args.k, args.seed, args.validation, name,
                                round(float(np.mean(scores)), 4),
                                round(float(np.std(scores)), 4), len(scores), guard],
                       strict=True))
        print(row, flush=True)
        csv.DictWriter(file, fields).writerow(row)
