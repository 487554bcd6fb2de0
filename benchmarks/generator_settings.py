"""Generator settings against the default: a validation-split study of the samples.

The generator is finetuned for only a few steps on a small sample (4 at AG News K=16), so
its samples stay far from the domain: real unlabeled texts in their place lift the
student by 3 to 5 points. For one labeled sample this fits the defaults (teacher and
samples cached in ``--memory``), then the same with the label-conditioned generator's
parameters set as each of ``--settings`` says (the cached teacher again: only the
samples change), distils the default student (3 seeds) from each transfer set, and
scores it on 1,000 other training-pool texts, or the dev set with ``--validation dev``
(never the test set). A setting is ``name=value[,name=value...]``, for example
``context_texts=2`` (in-context examples of the asked label before each prompt),
``top_k=49152,top_p=1.0`` (unrestricted sampling) or ``prompt_words=0``. Appends one row
per setting to ``generator_settings.csv``::

    python benchmarks/generator_settings.py --data-dir ../shared/data \\
        --dataset ag_news --k 16 --seed 1 --settings context_texts=2 --memory /tmp/gd_cache
"""

import ast
from pathlib import Path

import numpy as np
from _results import (  # benchmarks/_results.py
    append_row,
    distillation_study,
    fitted_defaults,
    student_accuracies,
    transfer_set,
)
from sklearn.base import clone

from sklearn_gd._classifier import default_generator

study = distillation_study(__doc__, add_arguments=lambda parser: parser.add_argument(
    "--settings", nargs="+", default=["context_texts=2"], metavar="NAME=VALUE[,...]",
    help="generator parameters of each setting (default: context_texts=2)"))
args, X, y, X_valid, y_valid = study.args, study.X, study.y, study.X_valid, study.y_valid


def row(setting, clf, transfer, targets):
    scores, _ = student_accuracies(transfer, targets, study.vectors, X_valid, y_valid,
                                   clf.classes_)
    return {
        "dataset": args.dataset, "k": args.k, "seed": args.seed,
        "validation": args.validation, "setting": setting,
        "kept": len(clf.generated_texts_),
        "mean_sample_words": round(float(np.mean([len(t.split())
                                                  for t in clf.generated_texts_])), 1),
        "label_agreement": round(clf.sample_label_agreement_, 3),
        "generator_s": round(clf.stage_times_["generator"]),  # about 0 from the cache
        "teacher_valid_accuracy": round(study.teacher_accuracy, 4),
        "student_valid_accuracy": round(float(np.mean(scores)), 4),
        "std": round(float(np.std(scores)), 4),
    }


def parameters(setting):
    """``"top_k=49152,top_p=1.0"`` as ``{"top_k": 49152, "top_p": 1.0}``."""
    pairs = (item.split("=", 1) for item in setting.split(","))
    return {name: ast.literal_eval(value) for name, value in pairs}


out = Path(args.out) / "generator_settings.csv"
append_row(out, row("default", study.clf, study.transfer, study.targets))
for setting in args.settings:
    generator = clone(default_generator()).set_params(**parameters(setting))
    _, clf = fitted_defaults(args, generator=generator)
    transfer, targets = transfer_set(clf, X, y)
    append_row(out, row(setting, clf, transfer, targets))
