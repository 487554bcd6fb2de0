"""Word pairs in the student's bag, with vectors read out of the teacher: a validation
study.

The default student is a bag of words: it cannot tell "not good" from "good" and "not".
The teacher reads word order. This adds the most frequent word pairs of the transfer set
to the student's vocabulary, each with the vector that the teacher's finetuned encoder
gives the pair (as it gives single words theirs), so that the pairs' meaning comes from
the teacher and is not learned from a few thousand texts.

For one labeled sample, it fits the defaults (teacher and samples cached in
``--memory``), distils the default student (3 seeds) without pairs and with the
16,000 most frequent pairs seen at least twice, or the 50,000 most frequent, and scores it
on 1,000 other training-pool texts, or the dev set with ``--validation dev`` (never the
test set). Appends one row per setting to ``student_bigram_vectors.csv``::

    python benchmarks/student_bigram_vectors.py --data-dir ../shared/data \\
        --dataset ag_news --k 16 --seed 1 --memory /tmp/gd_cache
"""

from collections import Counter
from itertools import chain

import numpy as np
from _results import compare_students, distillation_study  # benchmarks/_results.py

from sklearn_gd import StudentClassifier
from sklearn_gd._classifier import default_student
from sklearn_gd.student import split_words


def pairs(words):
    return (f"{first} {second}" for first, second in zip(words, words[1:], strict=False))


class BigramStudent(StudentClassifier):
    """The bag student, its vocabulary extended with the ``n_pairs`` most frequent word
    pairs seen at least ``min_count`` times; the teacher's vectors cover them too (the
    encoder reads the pair as a short text)."""

    n_pairs, min_count = 16000, 2

    def _learn_vocabulary(self, texts):
        vocabulary = super()._learn_vocabulary(texts)
        counts = Counter(chain.from_iterable(pairs(words) for words in split_words(texts)))
        for pair, count in counts.most_common(self.n_pairs):
            if count < self.min_count:
                break
            vocabulary[pair] = len(vocabulary) + 2
        return vocabulary

    def _ids(self, texts, words=None):
        lookup = self.vocabulary_.get
        rows = []
        for text in split_words(texts) if words is None else words:
            text = text[: self.max_length]
            rows.append([lookup(word, 1) for word in text]
                        + [i for i in map(lookup, pairs(text)) if i])
        ids = np.zeros((len(rows), max(1, max(map(len, rows), default=0))), dtype=np.int64)
        for i, row in enumerate(rows):
            ids[i, : len(row)] = row
        return ids


def bigram_student(n_pairs, min_count):
    BigramStudent.n_pairs, BigramStudent.min_count = n_pairs, min_count
    return BigramStudent(**default_student().get_params())


if __name__ == "__main__":  # student_pair_scores.py imports BigramStudent
    compare_students(distillation_study(__doc__), {
        "words only (default)": default_student,
        "16,000 pairs seen twice": lambda: bigram_student(16000, 2),
        "50,000 pairs": lambda: bigram_student(50000, 1),
    }, "student_bigram_vectors.csv")
