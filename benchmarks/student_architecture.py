"""Does a student that reads word order close the gap to its teacher? The bag against
the convolution and the BiLSTM, all reading the teacher's fixed word vectors, distilled
from the same teacher and samples, on a validation split.

The default student is a bag: it cannot tell "not good, just bad" from "not bad, just
good". ``"cnn"`` (3-word windows) and ``"bilstm"`` read the words in order. All three get
the teacher's word vectors, fixed (``word_vectors``), and the same training settings as
the default student; ``"cnn"`` and ``"bilstm"`` fit once (``n_averaged=1``: their weights
cannot be averaged), so the bag is also shown fitted once. Each setting is refitted with
3 student seeds on the transfer set and targets that ``fit`` builds for one labeled sample
(teacher and samples cached in ``--memory``), scored on 1,000 other training-pool texts or,
with ``--validation dev``, the dev set (never the test set), and timed: ``predict_proba``
on the validation texts, one thread. Appends one row per setting to
``student_architecture.csv``::

    python benchmarks/student_architecture.py --data-dir ../shared/data \\
        --dataset sst2 --k 100 --seed 1 --validation dev --memory /tmp/gd_cache
"""

from pathlib import Path

import numpy as np
from _results import append_row, distillation_study, student_accuracies  # benchmarks/_results.py
from sklearn.base import clone

from sklearn_gd._classifier import default_student
from sklearn_gd.benchmark import one_thread_predict_proba

SETTINGS = {
    "bag (default, 5 fits averaged)": {},
    "bag, one fit": {"n_averaged": 1},
    "cnn, 3-word windows, 128 filters": {"architecture": "cnn", "n_averaged": 1},
    "bilstm, 128 units per direction": {"architecture": "bilstm", "n_averaged": 1},
}

study = distillation_study(__doc__)
args = study.args
for setting, params in SETTINGS.items():
    student = clone(default_student()).set_params(**params)
    scores, fitted = student_accuracies(study.transfer, study.targets, study.vectors,
                                        study.X_valid, study.y_valid, study.clf.classes_,
                                        student=student)
    _, seconds = one_thread_predict_proba(fitted, study.X_valid * 4)
    append_row(Path(args.out) / "student_architecture.csv", {
        "dataset": args.dataset, "k": args.k, "seed": args.seed,
        "validation": args.validation, "setting": setting,
        "valid_accuracy": round(float(np.mean(scores)), 4),
        "std": round(float(np.std(scores)), 4), "student_seeds": len(scores),
        "teacher_valid_accuracy": round(study.teacher_accuracy, 4),
        "n_parameters": fitted.n_parameters_,
        "predict_texts_per_s_one_thread": round(4 * len(study.X_valid) / seconds),
        "n_transfer": len(study.transfer)})
