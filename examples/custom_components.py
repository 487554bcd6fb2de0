"""
Custom components: a scikit-learn teacher, a home-made generator, a BiLSTM student
==================================================================================

Every stage of :class:`~sklearn_gd.GenerationDistillationClassifier` can be replaced:

* the **teacher** by any classifier that takes a list of texts and has ``predict_proba``:
  here a TF-IDF + LogisticRegression pipeline;
* the **generator** by any object with ``fit(X, y=None)`` and
  ``generate(n, random_state=None)`` returning a list of strings: here a word-level Markov
  chain written in a few lines;
* the **student** by any classifier whose ``fit`` accepts class probabilities as ``y``:
  here :class:`~sklearn_gd.StudentClassifier` with the BiLSTM architecture of the paper.

No pretrained model is involved, so this runs in a minute or two on a laptop CPU, nearly
all of it training the BiLSTM.
"""

# %%
# A generator of our own
# ----------------------
# A first-order Markov chain over words: each text starts from the first word of a random
# training text, and each next word is drawn among the words that followed the current
# one in the training texts. Subclassing :class:`~sklearn.base.BaseEstimator` is optional;
# it gives ``get_params`` and ``set_params``, so that ``generator__max_words`` can be
# tuned in a grid search.
import numpy as np
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from sklearn_gd import GenerationDistillationClassifier, StudentClassifier
from sklearn_gd.datasets import load_dataset


class MarkovChainGenerator(BaseEstimator):
    """Sample texts from a word-level Markov chain fitted on the training texts."""

    def __init__(self, max_words=40):
        self.max_words = max_words

    def fit(self, X, y=None):
        self.starts_ = [text.split()[0] for text in X if text.split()]
        self.next_words_ = {}
        for text in X:
            words = text.split()
            for word, next_word in zip(words, words[1:] + [None], strict=True):  # None: the end
                self.next_words_.setdefault(word, []).append(next_word)
        return self

    def generate(self, n, random_state=None):
        rng = np.random.default_rng(random_state)
        texts = []
        for _ in range(n):
            words = [self.starts_[rng.integers(len(self.starts_))]]
            while len(words) < self.max_words:
                candidates = self.next_words_.get(words[-1], [None])
                next_word = candidates[rng.integers(len(candidates))]
                if next_word is None:
                    break
                words.append(next_word)
            texts.append(" ".join(words))
        return texts


data = load_dataset("ag_news", k=100, seed=0)
generator = MarkovChainGenerator().fit(data.X_train)
for text in generator.generate(3, random_state=0):
    print("-", text)

# %%
# The classifier
# --------------
# The teacher is fitted on the 400 labeled texts, the generator samples 600 texts, the
# filter drops the short ones and the near copies of training texts, the teacher labels
# the rest, and the BiLSTM student learns from all of it. An LSTM is the slowest of the
# three students on a CPU, so this one is smaller than the default (64 units per
# direction, texts cut to 64 words, 15 epochs). ``keep_teacher=True`` keeps the fitted
# teacher, to compare it with the student below. ``baselines={}`` turns the guard off, so
# that the student is kept even where fast baselines would do as well: this example is
# about the student.
clf = GenerationDistillationClassifier(
    teacher=make_pipeline(TfidfVectorizer(sublinear_tf=True), LogisticRegression(C=10)),
    generator=MarkovChainGenerator(),
    student=StudentClassifier(architecture="bilstm", hidden_size=64, max_length=64, epochs=15),
    n_generated=600,
    baselines={},
    keep_teacher=True,
    random_state=0,
    verbose=1,
)
clf.fit(data.X_train, data.y_train)
print(clf.filter_report_)

# %%
# Teacher and student
# -------------------
# The student is a different kind of model than its teacher: a network that reads word
# sequences, trained here only on what the TF-IDF teacher taught it.
print(f"teacher accuracy: {clf.teacher_.score(data.X_test, data.y_test):.3f}")
print(f"student accuracy: {clf.score(data.X_test, data.y_test):.3f}")
print(f"student parameters: {clf.student_.n_parameters_:,}")
losses = [round(float(row["train_loss"]), 3) for row in clf.history_["student"]]
print(f"student training loss per epoch: {losses}")
