"""Would a check with one teacher per fold tell when distillation pays? A one-sample study.

The guard's check is optimistic for the distilled student and for the labels-only student
with the teacher's word vectors: one teacher, fitted on all labeled texts, labels the
samples and gives the vectors, so it saw every held-out fold. This refits the default
teacher on the training part of each of the guard's 5 folds, distills the default
student (the cached samples and the labeled texts outside the fold, this teacher's
targets and vectors), fits the labels-only students and TF-IDF + LR, and scores all on the
fold. As in the guard, the samples prompted from the fold's texts are left out (they can
repeat them); the other samples still come from a generator that saw every fold.
Compare its scores with the guard's (in ``selection_scores_``) and with
``fallback_candidates.csv`` (validation texts). Appends to ``guard_per_fold_teacher.csv``::

    python benchmarks/guard_per_fold_teacher.py --data-dir ../shared/data \\
        --dataset bbc_news --k 16 --seed 0 --memory /tmp/gd_cache
"""

import csv
from pathlib import Path

import numpy as np
from _results import fitted_defaults, one_sample_study_arguments  # benchmarks/_results.py
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.validation import check_memory

from sklearn_gd import EncoderWordVectors, TransformerClassifier, default_baselines
from sklearn_gd._classifier import _fit_generator_and_sample, _kept_sources, default_student

args = one_sample_study_arguments(__doc__)
(X, y, _, _), clf = fitted_defaults(args)
classes, samples = clf.classes_, list(clf.generated_texts_)
texts, y = np.asarray(X, dtype=object), np.searchsorted(clf.classes_, y)
# Which labeled text each kept sample was prompted from: the cached generator run of fit.
_, generator, _, generator_seed = clf._components()
generated, sources, _ = check_memory(args.memory).cache(_fit_generator_and_sample)(
    generator, list(X), classes[y], clf.n_generated, generator_seed)
sources = _kept_sources(generated, sources, samples)

scores = {name: [] for name in ["distilled", "labels_only", "teacher_vectors", "tfidf_lr",
                                "average of both students"]}
folds = StratifiedKFold(5, shuffle=True, random_state=args.seed)
for fold, (train, test) in enumerate(folds.split(texts, y)):
    teacher = TransformerClassifier(random_state=args.seed).fit(list(texts[train]), y[train])
    vectors = EncoderWordVectors(teacher)
    onehot = np.eye(len(classes))[y[train]]
    kept = [sample for sample, source in zip(samples, sources, strict=True)
            if source not in test]
    targets = np.vstack([teacher.predict_proba(kept),
                         0.5 * teacher.predict_proba(list(texts[train])) + 0.5 * onehot])
    student = clone(default_student()).set_params(word_vectors=vectors,
                                                  random_state=args.seed)
    student.fit(kept + list(texts[train]), targets.astype(np.float32))
    held_out = list(texts[test])
    probabilities = {"distilled": student.predict_proba(held_out)}
    baselines = default_baselines(random_state=args.seed)
    baselines["teacher_vectors"].set_params(word_vectors=vectors)
    for name, model in baselines.items():
        probabilities[name] = model.fit(list(texts[train]), y[train]).predict_proba(held_out)
    probabilities["average of both students"] = (probabilities["labels_only"]
                                                 + probabilities["teacher_vectors"])
    for name, proba in probabilities.items():
        scores[name].append(float(np.mean(proba.argmax(axis=1) == y[test])))
    print(f"fold {fold}:", {name: values[-1] for name, values in scores.items()}, flush=True)

path = Path(args.out) / "guard_per_fold_teacher.csv"
fields = ["dataset", "k", "seed", "candidate", "per_fold_teacher_cv", "guard_cv"]
if not path.exists():
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(",".join(fields) + "\n")
guard = {**clf.selection_scores_,
         "average of both students": clf.selection_scores_.get("baseline_average", "")}
with open(path, "a", newline="") as file:
    for name, values in scores.items():
        row = dict(zip(fields, [args.dataset, args.k, args.seed, name,
                                round(float(np.mean(values)), 4),
                                "" if guard.get(name, "") == "" else round(guard[name], 4)],
                       strict=True))
        print(row, flush=True)
        csv.DictWriter(file, fields).writerow(row)
