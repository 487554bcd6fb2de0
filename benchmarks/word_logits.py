"""The teacher's own verdict on each word as fixed features of the student, on a
validation split.

The default student reads each word's vector out of the finetuned teacher's encoder,
reduced by PCA to 48 dimensions. PCA keeps the directions in which the vocabulary varies
most, which need not be the ones that decide the task (sentiment is a small part of what
words differ in). The teacher also says which class each word alone points to: its class
log-probabilities for the word as a text. This appends them (centred, scaled to unit
variance) to the student's fixed vectors, or puts them in place of as many PCA
dimensions. For one labeled sample, it fits the defaults (teacher and samples cached in
``--memory``), distils the student (3 seeds) in each setting from the same transfer set,
and scores it on 1,000 other training-pool texts, or the dev set with ``--validation dev``
(never the test set). Appends one row per setting to ``word_logits.csv``::

    python benchmarks/word_logits.py --data-dir ../shared/data \\
        --dataset ag_news --k 16 --seed 1 --memory /tmp/gd_cache
"""

from pathlib import Path

import numpy as np
from _results import (  # benchmarks/_results.py
    append_row,
    distillation_study,
    student_accuracies,
)
from sklearn.decomposition import PCA

from sklearn_gd import StudentClassifier
from sklearn_gd._classifier import default_student

WORD_LOGITS = {}  # word: the teacher's centred class log-probabilities for it alone


class WordLogitStudent(StudentClassifier):
    """The default student whose last n_classes fixed dimensions are the teacher's word logits."""

    def _fixed_vectors(self):
        words = sorted(self.vocabulary_, key=self.vocabulary_.get)
        n_logits = len(self.classes_)
        vectors = np.asarray(self.word_vectors(words), dtype=np.float64)
        vectors = PCA(self.embedding_dim - n_logits, svd_solver="full").fit_transform(
            vectors - vectors.mean(axis=0))
        logits = np.stack([WORD_LOGITS[word] for word in words])
        fixed = np.zeros((len(words) + 2, self.embedding_dim), dtype=np.float32)
        fixed[2:, : -n_logits] = vectors / vectors.std()
        fixed[2:, -n_logits:] = logits / logits.std()
        return fixed


study = distillation_study(__doc__)
args, X_valid, y_valid, clf = study.args, study.X_valid, study.y_valid, study.clf
transfer, targets, vectors = study.transfer, study.targets, study.vectors
teacher, classes = clf.teacher_, clf.classes_
probe = default_student().set_params(word_vectors=vectors)
probe.vocabulary_ = probe._learn_vocabulary(transfer)
probe._add_encoder_words()
words = list(probe.vocabulary_)
log_proba = np.log(np.clip(teacher.predict_proba(words), 1e-6, None))
WORD_LOGITS.update(zip(words, log_proba - log_proba.mean(axis=1, keepdims=True), strict=True))

n_classes = len(classes)
params = default_student().get_params()
SETTINGS = {
    "default (48 PCA dimensions)": None,
    f"48 PCA dimensions + {n_classes} word logits": WordLogitStudent(
        **{**params, "embedding_dim": 48 + n_classes}),
    f"{48 - n_classes} PCA dimensions + {n_classes} word logits": WordLogitStudent(**params),
}
teacher_accuracy = study.teacher_accuracy
for setting, student in SETTINGS.items():
    scores, fitted = student_accuracies(transfer, targets, vectors, X_valid, y_valid, classes,
                                        student)
    append_row(Path(args.out) / "word_logits.csv", {
        "dataset": args.dataset, "k": args.k, "seed": args.seed,
        "validation": args.validation, "setting": setting,
        "valid_accuracy": round(float(np.mean(scores)), 4), "std": round(float(np.std(scores)), 4),
        "student_seeds": len(scores), "teacher_valid_accuracy": round(teacher_accuracy, 4),
        "n_parameters": fitted.n_parameters_, "n_transfer": len(transfer)})
