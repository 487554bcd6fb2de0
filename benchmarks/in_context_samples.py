"""Samples prompted with in-context examples of their label: a validation-split study.

The generator is finetuned for only a few steps on a small sample (4 at AG News K=16), so
its samples stay far from the domain: real unlabeled texts in their place lift the
student by 3 to 5 points. ``CausalLMGenerator(context_texts=n)`` puts ``n`` other
training texts of the asked label before each sample's opening, as examples to continue
the series from. For one labeled sample this fits the defaults (teacher and samples
cached in ``--memory``), then the same with ``context_texts`` in ``--contexts`` (the
cached teacher again: only the samples change), distils the default student (3 seeds)
from each transfer set, and scores it on 1,000 other training-pool texts, or the dev set
with ``--validation dev`` (never the test set). Appends one row per setting to
``in_context_samples.csv``::

    python benchmarks/in_context_samples.py --data-dir ../shared/data \\
        --dataset ag_news --k 16 --seed 1 --contexts 2 --memory /tmp/gd_cache
"""

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
    "--contexts", type=int, nargs="+", default=[2], help="context_texts to try (default: 2)"))
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
        "generator_s": round(clf.stage_times_.get("generator", float("nan"))),
        "teacher_valid_accuracy": round(study.teacher_accuracy, 4),
        "student_valid_accuracy": round(float(np.mean(scores)), 4),
        "std": round(float(np.std(scores)), 4),
    }


out = Path(args.out) / "in_context_samples.csv"
append_row(out, row("default (no in-context examples)", study.clf, study.transfer,
                    study.targets))
for n in args.contexts:
    generator = clone(default_generator()).set_params(context_texts=n)
    _, clf = fitted_defaults(args, generator=generator)
    transfer, targets = transfer_set(clf, X, y)
    append_row(out, row(f"{n} in-context examples of the asked label", clf, transfer, targets))
