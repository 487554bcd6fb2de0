"""Does the student do better with word vectors read out of the finetuned teacher?

For one dataset and K, fits the default teacher and generator on labeled sample 0 once (the
default label-conditioned SmolLM2 samples, soft-labeled by the teacher), then fits the
student on the same transfer set with its word vectors learned from scratch (the previous
default) or read out of the teacher's encoder (``EncoderWordVectors``, fixed), with or
without the encoder's own words added to the vocabulary. Each setting is scored,
over three student seeds, on 1,000 texts of the training pool outside the labeled sample (a
validation split: never the test set). Appends to ``word_vectors.csv`` in ``--out``::

    python benchmarks/word_vectors.py --data-dir ../shared/data --dataset ag_news --k 16
"""

import time
from pathlib import Path

import numpy as np
from _results import study_point, write_csv  # benchmarks/_results.py

from sklearn_gd import (
    CausalLMGenerator,
    EncoderWordVectors,
    StudentClassifier,
    TransformerClassifier,
)
from sklearn_gd.filtering import filter_generated

args, (X, y, X_valid, y_valid) = study_point(__doc__)
start = time.perf_counter()
teacher = TransformerClassifier(random_state=0).fit(X, y)
generator = CausalLMGenerator(conditional=True, random_state=0).fit(X, y)
kept, _ = filter_generated(generator.generate(args.n_generated, random_state=0), X)
classes = teacher.classes_
onehot = np.eye(len(classes))[np.searchsorted(classes, y)]
# The classifier's transfer set: samples with the teacher's probabilities, and the labeled
# texts with half teacher, half true label (alpha=0.5).
transfer = kept + X
targets = np.vstack([teacher.predict_proba(kept),
                     0.5 * teacher.predict_proba(X) + 0.5 * onehot]).astype(np.float32)
teacher_accuracy = np.mean(teacher.predict(X_valid) == y_valid)
print(f"teacher and {len(kept)} samples in {time.perf_counter() - start:.0f}s; teacher "
      f"validation accuracy {teacher_accuracy:.3f}", flush=True)


vectors = EncoderWordVectors(teacher)
SETTINGS = {
    "learned (word_vectors=None, lr 3e-3: previous default)":
        dict(learning_rate=3e-3),
    "learned, lr 1e-2": dict(learning_rate=1e-2),
    "teacher vectors, fixed, lr 1e-2 (new default)": dict(word_vectors=vectors),
    "teacher vectors, fixed, lr 3e-3": dict(word_vectors=vectors, learning_rate=3e-3),
    "teacher vectors, fixed, no encoder words added": dict(word_vectors=vectors, _no_extra=True),
    "teacher vectors, fixed, embedding_dim 96": dict(word_vectors=vectors, embedding_dim=96),
}
rows = []
for name, params in SETTINGS.items():
    no_extra = params.pop("_no_extra", False)
    accuracies = []
    for seed in range(3):
        student = StudentClassifier(**{"learning_rate": 1e-2, "epochs": 50,
                                       "early_stopping": True, **params}, random_state=seed)
        if no_extra:
            student._add_encoder_words = lambda: None  # this setting only: no encoder words
        student.fit(transfer, targets)
        predicted = classes[student.predict_proba(X_valid).argmax(axis=1)]
        accuracies.append(np.mean(predicted == y_valid))
    rows.append({"dataset": args.dataset, "k": args.k, "setting": name,
                 "valid_accuracy": round(float(np.mean(accuracies)), 4),
                 "std": round(float(np.std(accuracies)), 4),
                 "teacher_valid_accuracy": round(float(teacher_accuracy), 4),
                 "vocabulary": len(student.vocabulary_)})
    print(rows[-1], flush=True)

path = Path(args.out) / "word_vectors.csv"
previous = []
if path.exists():
    import csv

    with open(path) as file:
        previous = [row for row in csv.DictReader(file)
                    if (row["dataset"], row["k"]) != (args.dataset, str(args.k))]
write_csv(path, previous + rows)
