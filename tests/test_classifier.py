"""GenerationDistillationClassifier: the stages, label types, custom components, errors."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.dummy import DummyClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_gd import (
    CausalLMGenerator,
    GenerationDistillationClassifier,
    StudentClassifier,
    TransformerClassifier,
    _classifier,
    prior,
)
from sklearn_gd._classifier import soften

FIT_CALLS = []


class WordMixGenerator:
    """A cheap custom generator: joins the first half of one training text to the second
    half of another. Any object with ``fit`` and ``generate`` may serve as the generator."""

    def fit(self, X, y=None):
        FIT_CALLS.append(len(X))
        self.words_ = [text.split() for text in X]
        return self

    def generate(self, n, random_state=None):
        rng = np.random.default_rng(random_state)
        texts = []
        for _ in range(n):
            first, second = (self.words_[i] for i in rng.choice(len(self.words_), 2))
            texts.append(" ".join(first[: len(first) // 2] + second[len(second) // 2 :]))
        return texts


def tfidf_teacher():
    return make_pipeline(TfidfVectorizer(), LogisticRegression(C=10))


def fast_classifier(**params):
    defaults = dict(
        generator=WordMixGenerator(), teacher=tfidf_teacher(),
        student=StudentClassifier(epochs=10), n_generated=300, random_state=0,
    )
    return GenerationDistillationClassifier(**{**defaults, **params})


def accuracy(clf, X, y):
    return float(np.mean(clf.predict(X) == np.asarray(y)))


def test_default_components():
    clf = GenerationDistillationClassifier()
    teacher, generator, student, _ = clf._components()
    assert isinstance(teacher, TransformerClassifier)
    assert isinstance(generator, CausalLMGenerator)
    assert isinstance(student, StudentClassifier)
    assert clf.teacher is None  # fit clones; the user's parameters stay untouched


def test_end_to_end_with_tiny_transformers(tiny_models, topic_data):
    X, y, X_test, y_test = topic_data
    clf = GenerationDistillationClassifier(
        generator=CausalLMGenerator(tiny_models["causal_lm"], conditional=True, epochs=2,
                                    max_new_tokens=24),
        teacher=TransformerClassifier(tiny_models["encoder"], epochs=8, learning_rate=3e-3,
                                      batch_size=8),
        student=StudentClassifier(epochs=20),
        n_generated=40, min_words=1, keep_teacher=True, random_state=0,
    ).fit(X, y)
    assert list(clf.stage_times_) == [
        "teacher", "generator", "filter", "soft-label", "guard", "student"]
    assert 0 < clf.n_generated_ <= 40
    assert clf.filter_report_["kept"] == clf.n_generated_ == len(clf.generated_texts_)
    assert clf.n_transfer_ == clf.n_generated_ + len(X)
    assert isinstance(clf.teacher_, TransformerClassifier)
    assert not hasattr(clf, "generator_")
    # The label each sample was asked for, and the share the teacher put in that class.
    assert len(clf.generated_labels_) == clf.n_generated_
    assert set(clf.generated_labels_) <= set(y)
    teacher_labels = clf.teacher_.predict(clf.generated_texts_)
    assert clf.sample_label_agreement_ == pytest.approx(
        np.mean(teacher_labels == clf.generated_labels_))
    assert accuracy(clf, X_test, y_test) > 0.6  # chance is 1/3


def test_sklearn_pipeline_teacher_and_custom_generator(topic_data):
    X, y, X_test, y_test = topic_data
    clf = fast_classifier().fit(X, y)
    assert clf.sample_label_agreement_ is None  # the generator was not conditioned
    assert clf.generated_labels_ is None
    assert clf.n_transfer_ == clf.n_generated_ + len(X)
    assert clf.n_generated_ > 200
    assert accuracy(clf, X_test, y_test) > 0.85
    proba = clf.predict_proba(X_test)
    assert proba.shape == (len(X_test), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)


@pytest.mark.parametrize("label_type", ["str", "int"])
def test_labels_come_back_in_the_users_type(topic_data, label_type):
    X, y, X_test, _ = topic_data
    if label_type == "int":
        y = np.unique(y, return_inverse=True)[1] + 5  # 5, 6, 7
    clf = fast_classifier(n_generated=50, student=StudentClassifier(epochs=2)).fit(X, y)
    predicted = clf.predict(X_test)
    np.testing.assert_array_equal(clf.classes_, np.unique(y))
    assert predicted.dtype == np.asarray(y).dtype
    assert set(predicted) <= set(np.unique(y))


def test_student_follows_the_teachers_soft_labels(topic_data):
    X, y, X_test, y_test = topic_data
    # A teacher that knows nothing: uniform probabilities. With alpha=1 the student sees
    # only the teacher, so it must stay uncertain; with alpha=0 it learns the true labels.
    ignorant = DummyClassifier(strategy="prior")
    only_teacher = fast_classifier(teacher=ignorant, alpha=1.0, baselines={}).fit(X, y)
    assert only_teacher.predict_proba(X_test).max() < 0.5
    only_labels = fast_classifier(teacher=ignorant, alpha=0.0, n_generated=0).fit(X, y)
    assert accuracy(only_labels, X_test, y_test) > 0.8


class BiasedTeacher(ClassifierMixin, BaseEstimator):
    """TF-IDF + LR whose probabilities favour the first class 20 to 1: a teacher that labels
    most samples as one class."""

    def fit(self, X, y):
        self.model_ = tfidf_teacher().fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        proba = self.model_.predict_proba(X) * np.r_[20.0, np.ones(len(self.classes_) - 1)]
        return proba / proba.sum(axis=1, keepdims=True)


def test_prior_correction_shifts_the_student_back_to_the_labels_prior(topic_data):
    X, y, X_test, y_test = topic_data
    params = dict(teacher=BiasedTeacher(), alpha=1.0, baselines={})
    plain = fast_classifier(prior_correction=False, **params).fit(X, y)
    corrected = fast_classifier(**params).fit(X, y)
    assert plain.prior_ratio_ is None
    ratio = corrected.prior_ratio_
    # The teacher gave the first class the most mass: the ratio lowers it, raises the rest.
    assert ratio[0] < 1 < ratio[1:].min()
    before = plain.predict_proba(X_test)  # the same student, before its shift
    np.testing.assert_allclose(corrected.predict_proba(X_test),
                               before * ratio / (before * ratio).sum(1, keepdims=True),
                               rtol=1e-4, atol=1e-6)
    first = plain.classes_[0]
    assert np.mean(corrected.predict(X_test) == first) < np.mean(plain.predict(X_test) == first)
    assert accuracy(corrected, X_test, y_test) > accuracy(plain, X_test, y_test)


def test_prior_ratio_keeps_real_unlabeled_shares_and_is_capped():
    labeled = np.eye(2)[[0, 1]]  # one text of each class, their targets the labels
    unlabeled = np.tile([0.9, 0.1], (2, 1))  # real texts, mostly of the first class
    targets = np.vstack([labeled, unlabeled])
    # As samples, the 0.9 would be the teacher's bias and shifted away; as real texts it
    # is the class shares the student should keep: nothing to shift.
    assert prior.prior_ratio(targets, np.array([0, 1]), 2)[0] < 0.8
    np.testing.assert_allclose(prior.prior_ratio(
        targets, np.array([0, 1]), 2, unlabeled=[False, False, True, True]), [1, 1])
    never = np.tile([1.0, 0.0], (4, 1))  # a class the teacher never gives
    np.testing.assert_allclose(prior.prior_ratio(never, np.array([0, 1]), 2),
                               [0.5, prior.MAX_PRIOR_SHIFT])


def test_prior_correction_leaves_a_frozen_student_and_a_refit_resets_it(topic_data):
    X, y, X_test, _ = topic_data
    encoded = np.unique(y, return_inverse=True)[1]  # a student distilled on classes 0, 1, 2
    student = StudentClassifier(epochs=3, random_state=0).fit(X, encoded)
    before = student.predict_proba(X_test)
    clf = fast_classifier(student=FrozenEstimator(student), teacher=BiasedTeacher(),
                          alpha=1.0, baselines={}).fit(X, y)
    assert clf.prior_ratio_ is None
    np.testing.assert_array_equal(student.predict_proba(X_test), before)
    clf = fast_classifier(teacher=BiasedTeacher(), alpha=1.0, baselines={}).fit(X, y)
    assert clf.prior_ratio_ is not None
    assert clf.set_params(prior_correction=False).fit(X, y).prior_ratio_ is None


def test_guard_scores_the_student_with_its_prior_shifted(topic_data):
    X, y, _, _ = topic_data
    params = dict(teacher=BiasedTeacher(), alpha=1.0, baseline_margin=0.0)
    plain = fast_classifier(prior_correction=False, **params).fit(X, y)
    corrected = fast_classifier(**params).fit(X, y)
    assert (corrected.selection_scores_["distilled"]
            > plain.selection_scores_["distilled"])


def test_soften_matches_softmax_of_scaled_logits():
    logits = np.array([[2.0, 0.0, -1.0], [0.5, 0.5, 3.0]])
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(soften(proba, 1.0), proba)
    expected = np.exp(logits / 3) / np.exp(logits / 3).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(soften(proba, 3.0), expected)
    assert np.isfinite(soften(np.array([[1.0, 0.0]]), 2.0)).all()


def test_zero_generated_texts_skips_the_generator(topic_data):
    X, y, X_test, _ = topic_data
    FIT_CALLS.clear()
    clf = fast_classifier(n_generated=0, student=StudentClassifier(epochs=1)).fit(
        X, y, X_unlabeled=X_test
    )
    assert FIT_CALLS == [] and clf.n_generated_ == 0
    assert clf.n_transfer_ == len(X) + len(X_test)


def test_unlabeled_texts_join_the_transfer_set(topic_data):
    X, y, X_test, _ = topic_data
    clf = fast_classifier(n_generated=20, student=StudentClassifier(epochs=1))
    clf.fit(X, y, X_unlabeled=X_test)
    assert clf.n_transfer_ == clf.n_generated_ + len(X) + len(X_test)


def test_same_random_state_same_model(topic_data):
    X, y, X_test, _ = topic_data
    first = fast_classifier(n_generated=100, random_state=7).fit(X, y)
    second = fast_classifier(n_generated=100, random_state=7).fit(X, y)
    assert first.generated_texts_ == second.generated_texts_
    np.testing.assert_allclose(first.predict_proba(X_test), second.predict_proba(X_test),
                               atol=1e-6)


def test_verbose_prints_one_line_per_stage_and_is_quiet_by_default(topic_data, capsys):
    X, y = topic_data[:2]
    fast_classifier(n_generated=20, student=StudentClassifier(epochs=1)).fit(X, y)
    assert capsys.readouterr().out == ""
    fast_classifier(n_generated=20, student=StudentClassifier(epochs=1), verbose=1).fit(X, y)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 6
    assert lines[0].startswith("[GenerationDistillation] (1/6) teacher:")
    assert lines[2].startswith("[GenerationDistillation] (3/6) filter: kept")
    assert lines[4].startswith("[GenerationDistillation] (5/6) guard: kept")


def test_memory_skips_teacher_and_generator_on_refit(topic_data, tmp_path):
    X, y, X_test, _ = topic_data
    FIT_CALLS.clear()
    clf = fast_classifier(n_generated=50, memory=str(tmp_path), alpha=0.5).fit(X, y)
    refit = fast_classifier(n_generated=50, memory=str(tmp_path), alpha=0.9,
                            keep_teacher=True).fit(X, y)
    assert len(FIT_CALLS) == 1  # the generator was fitted once, then read from the cache
    assert clf.generated_texts_ == refit.generated_texts_
    assert refit.teacher_.predict(X_test).shape == (len(X_test),)  # the cached, fitted one
    fast_classifier(n_generated=50, memory=str(tmp_path), random_state=1).fit(X, y)
    assert len(FIT_CALLS) == 2  # another seed is another cache entry


def test_memory_is_not_reused_by_new_code(topic_data, tmp_path, monkeypatch):
    X, y = topic_data[:2]
    FIT_CALLS.clear()
    fast_classifier(n_generated=50, memory=str(tmp_path)).fit(X, y)
    fast_classifier(n_generated=50, memory=str(tmp_path)).fit(X, y)
    assert len(FIT_CALLS) == 1
    # The same parameters and data, but the generator's module changed (a new version).
    source_of = _classifier._source_of
    monkeypatch.setattr(_classifier, "_source_of",
                        lambda estimator: source_of(estimator) + "\n# changed")
    fast_classifier(n_generated=50, memory=str(tmp_path)).fit(X, y)
    assert len(FIT_CALLS) == 2


def test_input_is_not_modified(topic_data):
    X, y = list(topic_data[0]), np.asarray(topic_data[1])
    X_before, y_before = list(X), y.copy()
    fast_classifier(n_generated=10, student=StudentClassifier(epochs=1)).fit(X, y)
    assert X == X_before
    np.testing.assert_array_equal(y, y_before)


@pytest.mark.parametrize(
    "params, X, y, error, message",
    [
        ({}, "one text", ["a"], ValueError, "single string"),
        ({}, np.array([["a", "b"]]), ["a"], ValueError, "must be 1-D"),
        ({}, ["a", 3], ["x", "y"], ValueError, "item 1 is int"),
        ({}, ["a", "b", "c"], ["x", "y"], ValueError, "has 2 labels"),
        ({}, ["a", "b"], ["x", "x"], ValueError, "only one class"),
        ({}, ["a", "b"], [0.5, 1.5], ValueError, "continuous"),
        ({"n_generated": -1}, ["a", "b"], ["x", "y"], InvalidParameterError, "n_generated"),
        ({"alpha": 2.0}, ["a", "b"], ["x", "y"], InvalidParameterError, "alpha"),
        ({"temperature": 0}, ["a", "b"], ["x", "y"], InvalidParameterError, "temperature"),
        ({"teacher": TfidfVectorizer()}, ["a", "b"], ["x", "y"], TypeError,
         "has no predict_proba method"),
        ({"generator": LogisticRegression()}, ["a", "b"], ["x", "y"], TypeError,
         "has no generate method"),
    ],
)
def test_bad_input_gets_a_clear_error(params, X, y, error, message):
    with pytest.raises(error, match=message):
        fast_classifier(**params).fit(X, y)


def test_predict_before_fit_raises():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        GenerationDistillationClassifier().predict(["text"])
