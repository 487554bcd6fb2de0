"""Negated words in the student's bag, with vectors read out of the teacher: a
validation study.

A bag of words cannot tell "not good" from "good". Sentiment models built on bags mark
the words that follow a negation ("not", "no", "never", the "t" of "n't", ...) up to the
next punctuation mark, so that "not good" is a word of its own (Das & Chen 2001; Pang,
Lee & Vaithyanathan 2002). Here a marked word *replaces* the plain one (unlike the word
pairs of ``student_bigram_vectors.py``, which were added beside the words), and its
fixed vector is the one the teacher's finetuned encoder gives the two words "not good".
A marked word missing from the vocabulary falls back to the plain word.

For one labeled sample, it fits the defaults (teacher and samples cached in
``--memory``), distils the default student (3 seeds) without marking, and with a
negation's scope cut at 2 words or at the next punctuation mark, and scores it on 1,000
other training-pool texts, or the dev set with ``--validation dev`` (never the test set).
Appends one row per setting to ``student_negation.csv``::

    python benchmarks/student_negation.py --data-dir ../shared/data \\
        --dataset sst2 --k 100 --seed 1 --validation dev --memory /tmp/gd_cache
"""

from collections import Counter
from itertools import chain

import numpy as np
from _results import compare_students, distillation_study  # benchmarks/_results.py

from sklearn_gd import StudentClassifier
from sklearn_gd._classifier import default_student
from sklearn_gd.student import split_words

NEGATIONS = {"not", "no", "never", "nothing", "nobody", "none", "nor", "neither", "without",
             "cannot", "t"}  # "t": what is left of "n't" once the apostrophe is split off
SCOPE_ENDS = set(".,;:!?") | {"but"}


def mark_negations(words, scope):
    """``words`` with each of the ``scope`` words after a negation written "not <word>";
    the scope also ends at a punctuation mark or "but"."""
    marked, left = [], 0
    for word in words:
        if word in SCOPE_ENDS:
            left = 0
        marked.append(f"not {word}" if left else word)
        left = scope if word in NEGATIONS else max(left - 1, 0)
    return marked


class NegationStudent(StudentClassifier):
    """The bag student reading negated words as words of their own."""

    scope = 2

    def _learn_vocabulary(self, texts):
        marked = (mark_negations(words, self.scope) for words in split_words(texts))
        counts = Counter(chain.from_iterable(marked))
        return {word: i + 2 for i, (word, _) in enumerate(counts.most_common(self.vocab_size - 2))}

    def _ids(self, texts, words=None):
        lookup = self.vocabulary_.get
        rows = []
        for text in split_words(texts) if words is None else words:
            text = text[: self.max_length]
            rows.append([lookup(marked) or lookup(plain, 1) for marked, plain
                         in zip(mark_negations(text, self.scope), text, strict=True)])
        ids = np.zeros((len(rows), max(1, max(map(len, rows), default=0))), dtype=np.int64)
        for i, row in enumerate(rows):
            ids[i, : len(row)] = row
        return ids


def negation_student(scope):
    NegationStudent.scope = scope
    return NegationStudent(**default_student().get_params())


compare_students(distillation_study(__doc__), {
    "no marking (default)": default_student,
    "2 words after a negation": lambda: negation_student(2),
    "up to the next punctuation mark": lambda: negation_student(1000),
}, "student_negation.csv")
