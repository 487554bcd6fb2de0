"""Which student settings close the gap to the teacher at K=16? A validation-split study.

For one dataset and labeled sample, fits the default teacher and generator once (the
default label-conditioned SmolLM2 samples, soft-labeled by the teacher), then fits the
student under several settings on the same transfer set and scores each on 1,000 texts of
the training pool outside the labeled sample (a validation split: never the test set).
Writes ``student_levers_<dataset>_k<K>.csv`` into ``--out``::

    python benchmarks/student_levers.py --data-dir ../shared/data --dataset ag_news --k 16
"""

import time
from pathlib import Path

import numpy as np
from _results import study_point, write_csv  # benchmarks/_results.py

from sklearn_gd import CausalLMGenerator, StudentClassifier, TransformerClassifier
from sklearn_gd._classifier import soften
from sklearn_gd.filtering import filter_generated

args, (X, y, X_valid, y_valid) = study_point(__doc__)

start = time.perf_counter()
teacher = TransformerClassifier(random_state=0).fit(X, y)
generator = CausalLMGenerator(conditional=True, random_state=0).fit(X, y)
generated = generator.generate(args.n_generated, random_state=0)
kept, _ = filter_generated(generated, X)
classes = teacher.classes_
onehot = np.eye(len(classes))[np.searchsorted(classes, y)]
proba_kept = teacher.predict_proba(kept)
proba_labeled = teacher.predict_proba(X)
print(f"teacher and samples in {time.perf_counter() - start:.0f}s; teacher validation "
      f"accuracy {np.mean(teacher.predict(X_valid) == y_valid):.3f}", flush=True)


def transfer(alpha=0.5, labeled_copies=1, hard=False, temperature=1.0):
    targets_kept = soften(proba_kept, temperature)
    targets_labeled = alpha * soften(proba_labeled, temperature) + (1 - alpha) * onehot
    if hard:
        targets_kept = np.eye(len(classes))[targets_kept.argmax(axis=1)]
    return (kept + X * labeled_copies,
            np.vstack([targets_kept] + [targets_labeled] * labeled_copies).astype(np.float32))


DEFAULT = dict(learning_rate=3e-3, epochs=50, early_stopping=True)
SETTINGS = {
    "default": ({}, {}),
    "no early stopping, 20 epochs": ({}, dict(early_stopping=False, epochs=20)),
    "patience 10": ({}, dict(n_iter_no_change=10)),
    "labeled texts x5": (dict(labeled_copies=5), {}),
    "alpha 0 (true labels only)": (dict(alpha=0.0), {}),
    "hard teacher labels": (dict(hard=True), {}),
    "temperature 2": (dict(temperature=2.0), {}),
    "embedding_dim 128": ({}, dict(embedding_dim=128)),
    "lr 1e-2": ({}, dict(learning_rate=1e-2)),
    "cnn": ({}, dict(architecture="cnn")),
    "samples only (no labeled texts)": (dict(labeled_copies=0), {}),
}
rows = []
for name, (transfer_params, student_params) in SETTINGS.items():
    accuracies = []
    for seed in range(3):
        Xt, Yt = transfer(**transfer_params)
        student = StudentClassifier(**{**DEFAULT, **student_params}, random_state=seed)
        student.fit(Xt, Yt)
        predicted = classes[student.predict_proba(X_valid).argmax(axis=1)]
        accuracies.append(np.mean(predicted == y_valid))
    rows.append({"dataset": args.dataset, "k": args.k, "setting": name,
                 "valid_accuracy": round(float(np.mean(accuracies)), 4),
                 "std": round(float(np.std(accuracies)), 4)})
    print(rows[-1], flush=True)
write_csv(Path(args.out) / f"student_levers_{args.dataset}_k{args.k}.csv", rows)
