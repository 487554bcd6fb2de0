"""Which generated samples should the student learn from? A validation-split study.

For one labeled sample, fits ``GenerationDistillationClassifier`` with the defaults and
with the generator's sampling temperature at 0.8 and 1.2 (teacher and samples go to a
joblib cache, so a rerun with the same ``--memory`` skips them). Then distills the
default student (3 seeds) from the same teacher's targets, from:

- all kept samples (the default);
- only the samples whose teacher label is the label they were asked for
  (``generated_labels_``);
- only the samples to which the teacher gives that label a probability of at least 0.3;
- all samples, with targets moved halfway to the label they were asked for;
- all samples of the generator at temperature 0.8, and at 1.2.

Scores on 1,000 other training-pool texts, or the dev set with ``--validation dev``
(never the test set). Appends one row per setting to ``sample_selection.csv``::

    python benchmarks/sample_selection.py --data-dir ../shared/data \\
        --dataset sst2 --k 100 --seed 1 --validation dev --memory /tmp/gd_cache
"""

import csv
import tempfile
import warnings
from pathlib import Path

import numpy as np
from _results import (  # benchmarks/_results.py
    labeled_sample_and_validation,
    one_sample_study_arguments,
)
from sklearn.base import clone

from sklearn_gd import CausalLMGenerator, EncoderWordVectors, GenerationDistillationClassifier
from sklearn_gd._classifier import default_generator, default_student

args = one_sample_study_arguments(__doc__)

X, y, X_valid, y_valid = labeled_sample_and_validation(
    args.data_dir, args.dataset, args.k, seed=args.seed, validation=args.validation)
memory = args.memory or tempfile.mkdtemp()


def fitted(generator):
    clf = GenerationDistillationClassifier(generator=generator, keep_teacher=True,
                                           random_state=args.seed, memory=memory)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a DistillationWarning is recorded in selected_
        return clf.fit(X, y)


clf = fitted(None)  # the defaults; the same teacher (cached) for every setting below
teacher, classes = clf.teacher_, clf.classes_
vectors = EncoderWordVectors(teacher)
onehot = np.eye(len(classes))
y_encoded = np.searchsorted(classes, y)


def transfer_set(fitted_clf, keep=None, toward_asked=0.0):
    """The classifier's transfer set and targets (temperature 1, alpha 0.5 on the labeled
    texts), with only the samples in ``keep``, and sample targets moved toward the label
    they were asked for by ``toward_asked``."""
    samples = np.asarray(fitted_clf.generated_texts_, dtype=object)
    asked = np.searchsorted(classes, fitted_clf.generated_labels_)
    keep = np.ones(len(samples), dtype=bool) if keep is None else keep
    proba = teacher.predict_proba(list(samples[keep]))
    proba = (1 - toward_asked) * proba + toward_asked * onehot[asked[keep]]
    labeled = 0.5 * teacher.predict_proba(X) + 0.5 * onehot[y_encoded]
    return list(samples[keep]) + list(X), np.vstack([proba, labeled]).astype(np.float32)


proba = teacher.predict_proba(clf.generated_texts_)
asked = np.searchsorted(classes, clf.generated_labels_)
settings = {
    "all samples (default)": transfer_set(clf),
    "samples the teacher puts in their asked class": transfer_set(
        clf, keep=proba.argmax(1) == asked),
    "samples whose asked class has teacher probability >= 0.3": transfer_set(
        clf, keep=proba[np.arange(len(asked)), asked] >= 0.3),
    "all samples, targets halfway to the asked class": transfer_set(clf, toward_asked=0.5),
}
for temperature in (0.8, 1.2):
    generator = clone(default_generator()).set_params(temperature=temperature)
    assert isinstance(generator, CausalLMGenerator)
    settings[f"sampling temperature {temperature}"] = transfer_set(fitted(generator))

path = Path(args.out) / "sample_selection.csv"
fields = ["dataset", "k", "seed", "validation", "setting", "n_transfer", "valid_accuracy",
          "std", "student_seeds", "teacher_valid_accuracy"]
if not path.exists():
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(",".join(fields) + "\n")
teacher_accuracy = float(np.mean(teacher.predict(X_valid) == y_valid))
for setting, (transfer, targets) in settings.items():
    scores = []
    for student_seed in range(3):
        student = clone(default_student()).set_params(
            word_vectors=vectors, random_state=student_seed).fit(transfer, targets)
        scores.append(np.mean(classes[student.predict_proba(X_valid).argmax(1)] == y_valid))
    row = dict(zip(fields, [
        args.dataset, args.k, args.seed, args.validation, setting, len(transfer),
        round(float(np.mean(scores)), 4), round(float(np.std(scores)), 4), 3,
        round(teacher_accuracy, 4)], strict=True))
    print(row, flush=True)
    with open(path, "a", newline="") as file:
        csv.DictWriter(file, fields).writerow(row)
