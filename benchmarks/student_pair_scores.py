"""Word pairs in the student's bag as scores only (no vectors): a validation study.

TF-IDF + LR reads word pairs (``ngram_range=(1, 2)``) and the default student does not.
``student_bigram_vectors.py`` added the most frequent pairs with the vector the teacher's
encoder gives each pair, and lost at every point. Here a pair has no vector (a fixed zero
row): it only gets the trainable score per class that every word has (``word_scores``),
learned from the teacher's soft targets, as a TF-IDF linear model over words and pairs
would learn it. The pairs share the TF-IDF weighting and its L2 norm with the words, as
in ``TfidfVectorizer(ngram_range=(1, 2))``.

For one labeled sample, it fits the defaults (teacher and samples cached in
``--memory``), distils the default student (3 seeds) without pairs and with the
16,000 most frequent pairs of the transfer set seen at least twice, or the 50,000 most
frequent, and scores it on 1,000 other training-pool texts, or the dev set with
``--validation dev`` (never the test set). Appends one row per setting to
``student_pair_scores.csv``::

    python benchmarks/student_pair_scores.py --data-dir ../shared/data \\
        --dataset sst2 --k 100 --seed 0 --validation dev --memory /tmp/gd_cache
"""

import numpy as np
from _results import compare_students, distillation_study  # benchmarks/_results.py
from sklearn.decomposition import PCA
from student_bigram_vectors import BigramStudent  # the same pairs, with vectors

from sklearn_gd._classifier import default_student


class PairScoresStudent(BigramStudent):
    """The bag student, its vocabulary extended with the ``n_pairs`` most frequent word
    pairs seen at least ``min_count`` times, each with a zero, fixed vector: a pair adds
    only its word score."""

    def _fixed_vectors(self):
        """The default's vectors for single words (PCA over them alone); zero for pairs."""
        words = [w for w in sorted(self.vocabulary_, key=self.vocabulary_.get) if " " not in w]
        vectors = np.asarray(self.word_vectors(words), dtype=np.float64)
        vectors -= vectors.mean(axis=0)
        n_components = min(self.embedding_dim, *vectors.shape)
        vectors = PCA(n_components, svd_solver="full").fit_transform(vectors)
        vectors /= max(vectors.std(), 1e-12)
        fixed = np.zeros((len(self.vocabulary_) + 2, self.embedding_dim), dtype=np.float32)
        fixed[[self.vocabulary_[w] for w in words], :n_components] = vectors
        return fixed


def pair_scores_student(n_pairs, min_count):
    PairScoresStudent.n_pairs, PairScoresStudent.min_count = n_pairs, min_count
    return PairScoresStudent(**default_student().get_params())


compare_students(distillation_study(__doc__), {
    "words only (default)": default_student,
    "16,000 pair scores, pairs seen twice": lambda: pair_scores_student(16000, 2),
    "50,000 pair scores": lambda: pair_scores_student(50000, 1),
}, "student_pair_scores.csv")
