"""Longer samples for long texts? A validation-split study.

On long texts (BBC News articles: 383 words on average) the default samples stop at
``max_new_tokens=64``, far shorter than the texts they imitate. For one labeled sample,
fits ``GenerationDistillationClassifier`` with the default generator and with longer
samples (the teacher is shared through a joblib cache), then scores on 1,000 other
training-pool texts, or the dev set with ``--validation dev`` (never the test set): the
distilled student (3 seeds, from the same transfer set and targets the classifier
built), the teacher, both baselines and their average, with the guard's cross-validated
scores and choice and the generator's time.
Appends to ``sample_length.csv``::

    python benchmarks/sample_length.py --data-dir ../shared/data --dataset bbc_news \\
        --k 16 --seed 0 --memory /tmp/gd_cache
"""

import csv
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
from _results import (  # benchmarks/_results.py
    labeled_sample_and_validation,
    one_sample_study_arguments,
)
from sklearn.base import clone

from sklearn_gd import EncoderWordVectors, GenerationDistillationClassifier
from sklearn_gd._classifier import default_generator, default_student
from sklearn_gd.guard import average_of_baselines, default_baselines

SETTINGS = {  # name: (n_generated, generator parameters)
    "2000 samples of at most 64 tokens (default)": (2000, {}),
    "1000 samples of at most 128 tokens": (1000, {"max_new_tokens": 128}),
    "2000 samples of at most 128 tokens": (2000, {"max_new_tokens": 128}),
}

args = one_sample_study_arguments(__doc__, dataset="bbc_news", k=16, seed=0)

X, y, X_valid, y_valid = labeled_sample_and_validation(
    args.data_dir, args.dataset, args.k, seed=args.seed, validation=args.validation)
memory = args.memory or tempfile.mkdtemp()


def accuracy(model, classes=None):
    predicted = model.predict(X_valid) if classes is None else classes[
        model.predict_proba(X_valid).argmax(1)]
    return round(float(np.mean(predicted == y_valid)), 4)


baselines = default_baselines(random_state=args.seed)
del baselines["teacher_vectors"]  # as when these rows were measured (it needs a teacher)
reference = {name: accuracy(clone(model).fit(X, y)) for name, model in baselines.items()}
reference["baseline_average"] = accuracy(average_of_baselines(baselines).fit(X, y))

path = Path(args.out) / "sample_length.csv"
fields = ["dataset", "k", "seed", "setting", "kept", "mean_sample_words", "generator_s",
          "student_valid_accuracy", "std", "teacher_valid_accuracy",
          *(f"{name}_valid_accuracy" for name in reference), "guard_selected", "guard_scores"]
if not path.exists():
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(",".join(fields) + "\n")
for setting, (n_generated, params) in SETTINGS.items():
    generator = clone(default_generator()).set_params(**params)
    clf = GenerationDistillationClassifier(generator=generator, n_generated=n_generated,
                                           keep_teacher=True, random_state=args.seed,
                                           memory=memory)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a DistillationWarning is recorded in selected_
        clf.fit(X, y)
    teacher, classes = clf.teacher_, clf.classes_
    # The classifier's transfer set and targets (temperature 1, alpha 0.5 on the labels).
    transfer = list(clf.generated_texts_) + list(X)
    targets = teacher.predict_proba(transfer)
    labeled = np.arange(len(clf.generated_texts_), len(transfer))
    targets[labeled] = 0.5 * targets[labeled] + 0.5 * np.eye(len(classes))[
        np.searchsorted(classes, y)]
    vectors = EncoderWordVectors(teacher)
    scores = [accuracy(clone(default_student()).set_params(
        word_vectors=vectors, random_state=seed).fit(transfer, targets.astype(np.float32)),
        classes) for seed in range(3)]
    row = dict(zip(fields, [
        args.dataset, args.k, args.seed, setting, clf.n_generated_,
        round(float(np.mean([len(t.split()) for t in clf.generated_texts_])), 1),
        round(clf.stage_times_["generator"]), round(float(np.mean(scores)), 4),
        round(float(np.std(scores)), 4), accuracy(teacher), *reference.values(),
        clf.selected_, " ".join(f"{k}={v:.3f}" for k, v in clf.selection_scores_.items())],
        strict=True))
    print(row, flush=True)
    with open(path, "a", newline="") as file:
        csv.DictWriter(file, fields).writerow(row)
