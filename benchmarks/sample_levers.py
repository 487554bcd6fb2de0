"""Which sampling settings give a better GD student at K=16? A validation-split study.

For one dataset and labeled sample, fits the default teacher once and the default
label-conditioned generator, then samples ``--n-generated`` texts under several settings;
each set is filtered, soft-labeled by the teacher and distilled into the default student
(2 seeds), scored on 1,000 texts of the training pool outside the labeled sample (a
validation split: never the test set). Writes ``sample_levers_<dataset>_k<K>.csv``::

    python benchmarks/sample_levers.py --data-dir ../shared/data --dataset ag_news --k 16
"""

import time
from pathlib import Path

import numpy as np
from _results import study_point, write_csv  # benchmarks/_results.py

from sklearn_gd import CausalLMGenerator, TransformerClassifier
from sklearn_gd._classifier import default_student
from sklearn_gd.filtering import filter_generated

args, (X, y, X_valid, y_valid) = study_point(__doc__)
teacher = TransformerClassifier(random_state=0).fit(X, y)
classes = teacher.classes_
onehot = np.eye(len(classes))[np.searchsorted(classes, y)]
proba_labeled = teacher.predict_proba(X)

SETTINGS = {  # generator parameters
    "default (1 prompt word, top-p 0.9)": {},
    "3 prompt words": dict(prompt_words=3),
    "top-p 0.8": dict(top_p=0.8),
    "temperature 1.2": dict(temperature=1.2),
}
rows = []
for name, params in SETTINGS.items():
    start = time.perf_counter()
    generator = CausalLMGenerator(conditional=True, random_state=0, **params).fit(X, y)
    generated, conditioned = generator.generate(args.n_generated, random_state=0,
                                                return_labels=True)
    kept, _ = filter_generated(generated, X)
    proba = teacher.predict_proba(kept)
    label_of = dict(zip(generated, conditioned, strict=True))
    agreement = np.mean([label_of[t] == c for t, c in zip(kept, classes[proba.argmax(1)],
                                                           strict=True)])
    targets = np.vstack([proba, 0.5 * proba_labeled + 0.5 * onehot]).astype(np.float32)
    accuracies = []
    for seed in range(2):
        student = default_student().set_params(random_state=seed).fit(kept + X, targets)
        accuracies.append(np.mean(classes[student.predict_proba(X_valid).argmax(1)] == y_valid))
    rows.append({"dataset": args.dataset, "k": args.k, "setting": name, "kept": len(kept),
                 "label_agreement": round(float(agreement), 3),
                 "valid_accuracy": round(float(np.mean(accuracies)), 4),
                 "seconds": round(time.perf_counter() - start)})
    print(rows[-1], flush=True)
    write_csv(Path(args.out) / f"sample_levers_{args.dataset}_k{args.k}.csv", rows)
