"""Bad input and faults: a clear error before any expensive work, or correct behaviour.

Every bad input names what is wrong; a fit that raises or is interrupted leaves the
estimator as it was; degenerate generation is reported; nothing reaches the network.
"""

import pickle
import socket
import warnings

import numpy as np
import pytest
import torch
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.dummy import DummyClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_gd import (
    CausalLMGenerator,
    EncoderWordVectors,
    GenerationDistillationClassifier,
    ModelNotFoundError,
    StudentClassifier,
    TransformerClassifier,
)
from sklearn_gd._classifier import DistillationWarning, GenerationWarning

TEACHER_FITS = []


class CountingTeacher(ClassifierMixin, BaseEstimator):
    """TF-IDF + logistic regression that records each fit (to see what a cache skipped)."""

    def fit(self, X, y):
        TEACHER_FITS.append(len(X))
        self.model_ = make_pipeline(TfidfVectorizer(), LogisticRegression(C=10)).fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        return self.model_.predict_proba(X)


class ListGenerator:
    """A generator that returns what it is told to (or raises it)."""

    def __init__(self, output=None, error=None):
        self.output, self.error = output, error

    def fit(self, X, y=None):
        self.X_ = list(X)
        return self

    def generate(self, n, random_state=None):
        if self.error is not None:
            raise self.error
        if self.output == "copies":
            return [self.X_[i % len(self.X_)] for i in range(n)]
        if self.output == "mix":
            rng = np.random.default_rng(random_state)
            words = " ".join(self.X_).split()
            return [" ".join(rng.choice(words, 10)) for _ in range(n)]
        return self.output


class BrokenTeacher(ClassifierMixin, BaseEstimator):
    """Fits, then returns probabilities of the given kind."""

    def __init__(self, kind="nan"):
        self.kind = kind

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict_proba(self, X):
        n, k = len(X), len(self.classes_)
        if self.kind == "nan":
            return np.full((n, k), np.nan)
        return np.full((n, k + 1), 1 / (k + 1))  # wrong shape


class ReorderedTeacher(ClassifierMixin, BaseEstimator):
    """A fitted teacher whose classes_ are not sorted: [mango, apple, zebra]-style."""

    def __init__(self, order):
        self.order = order

    def fit(self, X, y):
        self.model_ = make_pipeline(TfidfVectorizer(), LogisticRegression(C=10)).fit(X, y)
        self.classes_ = np.asarray(self.order)
        return self

    def predict_proba(self, X):
        proba = self.model_.predict_proba(X)
        column = {label: i for i, label in enumerate(self.model_.classes_)}
        return proba[:, [column[label] for label in self.order]]


def cheap(**params):
    defaults = dict(
        generator=ListGenerator("mix"), teacher=CountingTeacher(),
        student=StudentClassifier(epochs=3), n_generated=40, baselines={}, random_state=0,
    )
    return GenerationDistillationClassifier(**{**defaults, **params})


def fitted_attributes(estimator):
    return {key: value for key, value in vars(estimator).items() if key.endswith("_")}


# --- bad input: each case must fail before any training, with a message that says why ---

X_OK = ["a good match today", "stocks fell again", "a new phone chip"] * 4
Y_OK = ["sports", "money", "tech"] * 4

FIT_CASES = {
    # X
    "X is one string": (dict(X="one text"), ValueError, "single string"),
    "X is a set": (dict(X=set(X_OK)), ValueError, "no fixed order"),
    "X is a dict": (dict(X=dict.fromkeys(X_OK)), ValueError, "no fixed order"),
    "X is a generator": (dict(X=(t for t in X_OK)), ValueError, "one-shot iterator"),
    "X is 2-D": (dict(X=np.array([X_OK, X_OK])), ValueError, "must be 1-D"),
    "X holds an int": (dict(X=X_OK[:-1] + [3]), ValueError, "item 11 is int"),
    "X holds None": (dict(X=[None] + X_OK[1:]), ValueError, "item 0 is NoneType"),
    "X holds NaN": (dict(X=X_OK[:-1] + [float("nan")]), ValueError, "item 11 is float"),
    "X holds bytes": (dict(X=[b"x"] + X_OK[1:]), ValueError, "item 0 is bytes"),
    "X is empty": (dict(X=[], y=[]), ValueError, "X is empty"),
    "X texts all empty": (dict(X=[""] * 6 + ["  "] * 6), ValueError, "empty or only whitespace"),
    "X has a lone surrogate": (dict(X=X_OK[:-1] + ["caf\udce9"]), ValueError,
                               "not valid Unicode"),
    # y
    "y is None": (dict(y=None), ValueError, "y is None"),
    "y is one string": (dict(y="sports"), ValueError, "single string"),
    "y is a set": (dict(y=set(Y_OK)), ValueError, "no fixed order"),
    "y is a generator": (dict(y=(label for label in Y_OK)), ValueError, "one-shot iterator"),
    "y too short": (dict(y=Y_OK[:-1]), ValueError, "has 11 labels"),
    "y is 2-D": (dict(y=np.array([Y_OK]).T), ValueError, "must be 1-D"),
    "y holds None": (dict(y=Y_OK[:-1] + [None]), ValueError, "missing labels"),
    "y holds NaN": (dict(y=[1.0, 2.0, np.nan] * 4), ValueError, "missing labels"),
    "y continuous": (dict(y=list(np.linspace(0, 1, 12))), ValueError, "continuous"),
    "y one class": (dict(y=["sports"] * 12), ValueError, "only one class"),
    "y mixes types": (dict(y=Y_OK[:-1] + [3]), ValueError, "mixes label types"),
    # X_unlabeled
    "X_unlabeled one string": (dict(X_unlabeled="text"), ValueError, "single string"),
    "X_unlabeled holds an int": (dict(X_unlabeled=["a", 1]), ValueError, "item 1 is int"),
    "X_unlabeled is a set": (dict(X_unlabeled={"a", "b"}), ValueError, "no fixed order"),
    # the classifier's parameters
    "n_generated < 0": (dict(params=dict(n_generated=-1)), InvalidParameterError,
                        "n_generated"),
    "alpha > 1": (dict(params=dict(alpha=2.0)), InvalidParameterError, "alpha"),
    "temperature 0": (dict(params=dict(temperature=0)), InvalidParameterError, "temperature"),
    "baselines not a dict": (dict(params=dict(baselines="tfidf")), InvalidParameterError,
                             "baselines"),
    "baseline not an estimator": (dict(params=dict(baselines={"b": "x"})), TypeError,
                                  "has no fit, predict or predict_proba"),
    "baseline named like a score": (
        dict(params=dict(baselines={"distilled": LogisticRegression()})), ValueError,
        "names must be strings without"),
    "baseline named with __": (dict(params=dict(baselines={"a__b": LogisticRegression()})),
                               ValueError, "Rename it"),
    "baseline without predict_proba": (
        dict(params=dict(baselines={"svm": make_pipeline(TfidfVectorizer(), LinearSVC())})),
        TypeError, "CalibratedClassifierCV"),
    "device cuda without CUDA": (dict(params=dict(device="cuda")), ValueError,
                                 "CUDA is not available"),
    "device unknown": (dict(params=dict(device="banana")), ValueError, "not a torch device"),
    # the components' parameters, checked before the teacher is trained
    "teacher epochs < 0": (dict(params=dict(teacher=TransformerClassifier(epochs=-1))),
                           InvalidParameterError, "teacher: .*epochs"),
    "teacher learning rate 0": (
        dict(params=dict(teacher=TransformerClassifier(learning_rate=0))),
        InvalidParameterError, "learning_rate"),
    "teacher dtype unknown": (dict(params=dict(teacher=TransformerClassifier(dtype="fp8"))),
                              InvalidParameterError, "dtype"),
    "generator top_p > 1": (dict(params=dict(generator=CausalLMGenerator(top_p=2))),
                            InvalidParameterError, "generator: .*top_p"),
    "generator temperature 0": (
        dict(params=dict(generator=CausalLMGenerator(temperature=0))),
        InvalidParameterError, "temperature"),
    "generator top_k 0": (dict(params=dict(generator=CausalLMGenerator(top_k=0))),
                          InvalidParameterError, "top_k"),
    "student dropout 1": (dict(params=dict(student=StudentClassifier(dropout=1.0))),
                          InvalidParameterError, "dropout"),
    "teacher model missing": (
        dict(params=dict(teacher=TransformerClassifier("/no/such/model"))),
        ModelNotFoundError, "Could not find model"),
    "generator prompt_words < 0": (
        dict(params=dict(generator=CausalLMGenerator(prompt_words=-1))),
        InvalidParameterError, "prompt_words"),
    "teacher without predict_proba": (dict(params=dict(teacher=TfidfVectorizer())),
                                      TypeError, "has no predict_proba"),
    "generator without generate": (dict(params=dict(generator=LogisticRegression())),
                                   TypeError, "has no generate"),
    "student without soft targets": (dict(params=dict(student=LogisticRegression())),
                                     TypeError, "cannot be fitted on class probabilities"),
    "frozen teacher, other classes": (
        dict(params=dict(teacher=FrozenEstimator(
            make_pipeline(TfidfVectorizer(), LogisticRegression()).fit(X_OK, ["x", "y", "z"] * 4)
        ))), ValueError, "are not the classes of y"),
}


@pytest.mark.parametrize("case", list(FIT_CASES))
def test_bad_fit_input_gets_a_clear_error_before_training(case):
    call, error, message = FIT_CASES[case]
    TEACHER_FITS.clear()
    clf = cheap(**call.get("params", {}))
    X, y = call.get("X", X_OK), call.get("y", Y_OK)
    with pytest.raises(error, match=message):
        clf.fit(X, y, X_unlabeled=call.get("X_unlabeled"))
    assert TEACHER_FITS == []  # nothing was trained


def test_model_folder_without_a_model(tmp_path):
    (tmp_path / "tokenizer.json").write_text("{}")
    with pytest.raises(ModelNotFoundError, match="holds no saved model.*no config.json"):
        cheap(teacher=TransformerClassifier(str(tmp_path))).fit(X_OK, Y_OK)
    assert TEACHER_FITS == []


# Faults that can only show after the teacher (what the generator or teacher returns).
LATE_CASES = {
    "generator returns None": (dict(generator=ListGenerator(None)), TypeError,
                               "must return a list of strings; it returned NoneType"),
    "generator returns ints": (dict(generator=ListGenerator([1, 2])), TypeError,
                               "item 0 is int"),
    "generator returns a string": (dict(generator=ListGenerator("abc")), TypeError,
                                   "returned str"),
    "teacher returns NaN": (dict(teacher=BrokenTeacher("nan")), ValueError,
                            "NaN, infinite or negative"),
    "teacher returns a wrong shape": (dict(teacher=BrokenTeacher("shape")), ValueError,
                                      "returned shape"),
}


@pytest.mark.parametrize("case", list(LATE_CASES))
def test_bad_component_output_gets_a_clear_error(case):
    params, error, message = LATE_CASES[case]
    with pytest.raises(error, match=message):
        cheap(**params).fit(X_OK, Y_OK)


def test_bad_predict_input_gets_a_clear_error(topic_data):
    X, y, X_test, _ = topic_data
    clf = cheap().fit(X, y)
    for bad, message in [("one", "single string"), ({"a", "b"}, "no fixed order"),
                         (["ok", "caf\udce9"], "not valid Unicode"), ([1], "item 0 is int")]:
        with pytest.raises(ValueError, match=message):
            clf.predict(bad)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: TransformerClassifier(epochs=-1).fit(X_OK, Y_OK), "epochs"),
        (lambda: TransformerClassifier(warmup_fraction=2).fit(X_OK, Y_OK), "warmup_fraction"),
        (lambda: CausalLMGenerator(top_p=2).fit(X_OK), "top_p"),
        (lambda: CausalLMGenerator(max_new_tokens=0).fit(X_OK), "max_new_tokens"),
        (lambda: StudentClassifier(epochs=0).fit(X_OK, Y_OK), "epochs"),
    ],
)
def test_components_validate_their_parameters(make, message):
    with pytest.raises(InvalidParameterError, match=message):
        make()


def test_student_rejects_bad_labels_clearly():
    with pytest.raises(ValueError, match="missing labels"):
        StudentClassifier().fit(X_OK, Y_OK[:-1] + [None])
    with pytest.raises(ValueError, match="NaN or infinite"):
        StudentClassifier().fit(X_OK, np.full((12, 3), np.nan))


def test_generate_rejects_a_bad_count(tiny_models, topic_data):
    generator = CausalLMGenerator(tiny_models["causal_lm"], epochs=0).fit(topic_data[0])
    with pytest.raises(ValueError, match="non-negative integer"):
        generator.generate(-1)


def test_checkpoint_with_another_head_size_is_finetuned(tiny_models, tmp_path, topic_data):
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    config = BertConfig.from_pretrained(tiny_models["encoder"], num_labels=5)
    BertForSequenceClassification(config).save_pretrained(tmp_path)
    AutoTokenizer.from_pretrained(tiny_models["encoder"]).save_pretrained(tmp_path)
    X, y, X_test, _ = topic_data
    teacher = TransformerClassifier(str(tmp_path), epochs=1).fit(X, y)  # 3 classes, not 5
    assert teacher.predict_proba(X_test).shape == (len(X_test), 3)


# --- faults: a fit that raises leaves the estimator as it was ----------------------------

def test_failed_refit_leaves_a_fitted_classifier_unchanged(topic_data):
    X, y, X_test, _ = topic_data
    clf = cheap().fit(X, y)
    before = fitted_attributes(clf)
    proba = clf.predict_proba(X_test)
    renamed = [label.upper() for label in y]  # new classes, then the generator fails
    clf.set_params(generator=ListGenerator(error=RuntimeError("out of memory")))
    with pytest.raises(RuntimeError, match="out of memory"):
        clf.fit(X, renamed)
    after = fitted_attributes(clf)
    assert after.keys() == before.keys()
    for key, value in before.items():
        assert after[key] is value, key  # the very same objects: nothing was replaced
    np.testing.assert_array_equal(clf.classes_, sorted(set(y)))
    np.testing.assert_array_equal(clf.predict_proba(X_test), proba)


def test_failed_refit_with_the_same_labels_keeps_the_teacher(topic_data):
    X, y = topic_data[:2]
    clf = cheap(keep_teacher=True).fit(X, y)
    teacher, times = clf.teacher_, clf.stage_times_
    clf.set_params(teacher=BrokenTeacher("nan"))
    with pytest.raises(ValueError, match="NaN"):
        clf.fit(X, y)
    assert clf.teacher_ is teacher and clf.stage_times_ is times


@pytest.mark.parametrize("use_memory", [False, True])
def test_interrupted_fit_leaves_no_half_fitted_state(topic_data, tmp_path, use_memory):
    X, y, X_test, _ = topic_data
    memory = str(tmp_path) if use_memory else None
    TEACHER_FITS.clear()
    clf = cheap(generator=ListGenerator(error=KeyboardInterrupt()), memory=memory)
    with pytest.raises(KeyboardInterrupt):
        clf.fit(X, y)
    assert fitted_attributes(clf) == {}  # still unfitted: predict says so
    with pytest.raises(Exception, match="not fitted"):
        clf.predict(X_test)
    clf.set_params(generator=ListGenerator("mix")).fit(X, y)  # resume
    # With memory, the teacher fitted before the interruption is read from the cache.
    assert len(TEACHER_FITS) == (1 if use_memory else 2)
    assert len(clf.predict(X_test)) == len(X_test)


# --- degenerate generation is reported ---------------------------------------------------

@pytest.mark.parametrize("output, reason", [([], "0 of the 0"), ("copies", "duplicate")])
def test_degenerate_generation_warns(topic_data, output, reason):
    X, y = topic_data[:2]
    with pytest.warns(GenerationWarning, match=reason):
        clf = cheap(generator=ListGenerator(output)).fit(X, y)
    assert clf.n_generated_ == 0


def test_useful_generation_does_not_warn(topic_data):
    X, y = topic_data[:2]
    with warnings.catch_warnings():
        warnings.simplefilter("error", GenerationWarning)
        cheap().fit(X, y)


# --- a teacher whose classes_ are not sorted ---------------------------------------------

@pytest.mark.parametrize("order", [["tech", "money", "sports"], ["sports", "money"]])
def test_unsorted_teacher_classes_give_the_right_soft_targets(topic_data, order):
    X, y, X_test, y_test = topic_data
    keep = [i for i, label in enumerate(y) if label in order]
    X, y = [X[i] for i in keep], [y[i] for i in keep]
    X_test = [text for text, label in zip(X_test, y_test, strict=True) if label in order]
    teacher = ReorderedTeacher(order).fit(X, y)
    clf = cheap(teacher=FrozenEstimator(teacher), alpha=1.0).fit(X, y)
    # The student learned the teacher: it predicts what the teacher predicts.
    teacher_labels = teacher.classes_[teacher.predict_proba(X_test).argmax(axis=1)]
    assert np.mean(clf.predict(X_test) == teacher_labels) > 0.9


# --- the guard: distillation that does not pay is noticed -------------------------------

def test_guard_falls_back_and_warns_when_the_student_learned_nothing(topic_data):
    X, y, X_test, y_test = topic_data
    # An ignorant teacher (uniform probabilities): the distilled student learns nothing.
    ignorant = BrokenTeacher("uniform")
    ignorant.predict_proba = lambda texts: np.full((len(texts), 3), 1 / 3)
    with pytest.warns(DistillationWarning, match="did not pay"):
        clf = cheap(teacher=FrozenEstimator(ignorant.fit(X, y)), alpha=1.0,
                    baselines=None).fit(X, y)
    scores = clf.selection_scores_
    assert max(scores["labels_only"], scores["tfidf_lr"]) > scores["distilled"]
    assert clf.selected_ == "baseline_average"
    assert np.mean(clf.predict(X_test) == np.asarray(y_test)) > 0.8


def test_guard_falls_back_to_the_average_of_the_baselines(topic_data):
    X, y, X_test, _ = topic_data
    baselines = {
        "words": make_pipeline(TfidfVectorizer(), LogisticRegression()),
        "chars": make_pipeline(TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4)),
                               LogisticRegression(C=0.1)),
    }
    ignorant = BrokenTeacher("uniform")
    ignorant.predict_proba = lambda texts: np.full((len(texts), 3), 1 / 3)
    with pytest.warns(DistillationWarning, match="uses 'baseline_average'"):
        clf = cheap(teacher=FrozenEstimator(ignorant.fit(X, y)), alpha=1.0,
                    baselines=baselines).fit(X, y)
    assert set(clf.selection_scores_) == {"distilled", "words", "chars", "baseline_average"}
    # The kept model is the mean of both baselines' probabilities, fitted on all labels.
    expected = np.mean([clone(model).fit(X, y).predict_proba(X_test)
                        for model in baselines.values()], axis=0)
    np.testing.assert_allclose(clf.predict_proba(X_test), expected, atol=1e-6)
    assert not hasattr(baselines["words"], "classes_")  # the user's models stay unfitted


class UntaggedTfidf(BaseEstimator):
    """fit, predict and predict_proba, but not a scikit-learn classifier (no tags)."""

    def fit(self, X, y):
        self.model_ = make_pipeline(TfidfVectorizer(), LogisticRegression()).fit(X, y)
        return self

    def predict(self, X):
        return self.model_.predict(X)

    def predict_proba(self, X):
        return self.model_.predict_proba(X)


@pytest.mark.parametrize("baselines, kept", [
    ({"only": make_pipeline(TfidfVectorizer(), LogisticRegression())}, "only"),
    # A baseline that is sure of one class for every text drags the average down to it.
    ({"lr": make_pipeline(TfidfVectorizer(), LogisticRegression()),
      "constant": DummyClassifier(strategy="most_frequent")}, "lr"),
    # VotingClassifier takes classifiers only: no average, the better baseline is kept.
    ({"untagged": UntaggedTfidf(), "prior": DummyClassifier(strategy="prior")}, "untagged"),
])
def test_guard_keeps_one_baseline_when_averaging_cannot_help(topic_data, baselines, kept):
    X, y, X_test, y_test = topic_data
    ignorant = BrokenTeacher("uniform")
    ignorant.predict_proba = lambda texts: np.full((len(texts), 3), 1 / 3)
    with pytest.warns(DistillationWarning, match=f"uses {kept!r}"):
        clf = cheap(teacher=FrozenEstimator(ignorant.fit(X, y)), alpha=1.0,
                    baselines=baselines).fit(X, y)
    assert clf.selected_ == kept
    assert ("baseline_average" in clf.selection_scores_) == ("constant" in baselines)
    assert np.mean(clf.predict(X_test) == np.asarray(y_test)) > 0.8


def test_guard_average_has_no_safe_save_and_says_so(topic_data, tmp_path):
    X, y = topic_data[:2]
    ignorant = BrokenTeacher("uniform")
    ignorant.predict_proba = lambda texts: np.full((len(texts), 3), 1 / 3)
    with pytest.warns(DistillationWarning):
        clf = cheap(teacher=FrozenEstimator(ignorant.fit(X, y)), alpha=1.0,
                    baselines=None).fit(X, y)
    assert clf.selected_ == "baseline_average"
    with pytest.raises(TypeError,
                       match="'baseline_average', a SharedWordsVotingClassifier.*no safe save"):
        clf.save(tmp_path / "model")
    with pytest.raises(TypeError, match="VotingClassifier has no export_onnx"):
        clf.export_onnx(tmp_path / "model.onnx")


def test_guard_keeps_a_good_distilled_student(topic_data):
    X, y = topic_data[:2]
    with warnings.catch_warnings():
        warnings.simplefilter("error", DistillationWarning)
        clf = cheap(baselines={"prior": DummyClassifier()},
                    student=StudentClassifier(epochs=20)).fit(X, y)
    assert clf.selected_ == "distilled"
    assert set(clf.selection_scores_) == {"distilled", "prior"}
    assert clf.selection_scores_["distilled"] > clf.selection_scores_["prior"] + 0.05


def test_guard_gives_a_tie_to_the_baselines(topic_data):
    # Every candidate is perfect on these texts: no lead at all, even with no margin.
    X, y = topic_data[:2]
    with pytest.warns(DistillationWarning, match="did not pay"):
        clf = cheap(baselines=None, baseline_margin=0.0,
                    student=StudentClassifier(epochs=20)).fit(X, y)
    assert clf.selection_scores_["distilled"] == clf.selection_scores_["labels_only"]
    assert clf.selected_ == "baseline_average"


def test_guard_falls_back_to_both_students_with_a_transformer_teacher(tiny_models, topic_data):
    X, y, X_test, _ = topic_data
    teacher = TransformerClassifier(tiny_models["encoder"], epochs=2, random_state=0)
    # A student that cannot move from its start: distillation does not pay.
    with pytest.warns(DistillationWarning, match="uses 'baseline_average'"):
        clf = cheap(teacher=teacher, baselines=None,
                    student=StudentClassifier(epochs=1, learning_rate=1e-9)).fit(X, y)
    assert set(clf.selection_scores_) == {"distilled", "labels_only", "teacher_vectors",
                                          "tfidf_lr", "baseline_average"}
    # The average is of the two students; TF-IDF + LR is only a candidate on its own.
    assert [name for name, _ in clf.student_.estimators] == ["labels_only", "teacher_vectors"]
    with_vectors = clf.student_.named_estimators_["teacher_vectors"]
    assert with_vectors.word_vectors == "teacher"  # the teacher is not kept alive in it
    assert not any(isinstance(value, EncoderWordVectors)
                   for value in clf.student_.get_params(deep=True).values())
    assert with_vectors.vocabulary_.keys() > clf.student_.named_estimators_[
        "labels_only"].vocabulary_.keys()  # the encoder's words came with its vectors
    expected = np.mean([model.predict_proba(X_test)
                        for model in clf.student_.named_estimators_.values()], axis=0)
    np.testing.assert_allclose(clf.predict_proba(X_test), expected, atol=1e-6)


def test_average_of_students_splits_the_texts_once(topic_data, monkeypatch):
    from sklearn.ensemble import VotingClassifier

    from sklearn_gd import guard, student
    from sklearn_gd.guard import average_of_baselines

    X, y, X_test, _ = topic_data
    models = {"a": StudentClassifier(epochs=2, random_state=0),
              "b": StudentClassifier(epochs=2, embedding_dim=8, random_state=1),
              "tfidf": make_pipeline(TfidfVectorizer(), LogisticRegression())}
    average = average_of_baselines(models).fit(X, y)
    plain = VotingClassifier(list(models.items()), voting="soft").fit(X, y)
    np.testing.assert_allclose(average.predict_proba(X_test), plain.predict_proba(X_test),
                               atol=1e-6)
    assert list(average.predict(X_test)) == list(plain.predict(X_test))
    splits = []
    for module in (guard, student):
        original = module.split_words
        monkeypatch.setattr(module, "split_words",
                            lambda texts, original=original: splits.append(1) or original(texts))
    average.predict_proba(X_test)
    assert len(splits) == 1  # once for both students, not once each
    with pytest.raises(ValueError, match=f"words holds 1 split texts for {len(X_test)} texts"):
        average.estimators_[0].predict_proba(X_test, words=[["one"]])


def test_guard_leaves_word_vectors_the_user_passed(tiny_models, topic_data):
    X, y = topic_data[:2]
    other = TransformerClassifier(tiny_models["encoder"], epochs=1, random_state=1).fit(X, y)
    mine = EncoderWordVectors(other)
    clf = cheap(teacher=TransformerClassifier(tiny_models["encoder"], epochs=1, random_state=0),
                student=StudentClassifier(epochs=2, word_vectors=mine)).fit(X, y)
    assert clf.student_.word_vectors is mine  # not replaced by "teacher"


@pytest.mark.parametrize("scores, biased, averaged, pays", [
    ({"distilled": 0.9, "a": 0.8, "b": 0.84}, (), ("a", "b"), True),
    ({"distilled": 0.9, "a": 0.8, "b": 0.86}, (), ("a", "b"), False),
    # A lead of exactly the margin does not pay, whichever way floats round the
    # difference (0.975 - 0.05 < 0.925, 0.9 - 0.05 > 0.85); a lead a little larger does.
    ({"distilled": 0.975, "a": 0.925}, (), ("a",), False),
    ({"distilled": 0.9, "a": 0.85}, (), ("a",), False),
    ({"distilled": 0.9875, "a": 0.925}, (), ("a",), True),
    # A baseline reading the teacher's vectors shares the student's optimism: ignored,
    # and so is an average that holds it.
    ({"distilled": 0.9, "a": 0.8, "t": 0.89, "baseline_average": 0.88}, ("t",), ("a", "t"),
     True),
    ({"distilled": 0.9, "a": 0.8, "t": 0.89, "baseline_average": 0.88}, ("t",), ("a",),
     False),
])
def test_distillation_pays_ignores_baselines_that_read_the_teacher(scores, biased, averaged,
                                                                   pays):
    from sklearn_gd.guard import distillation_pays

    assert distillation_pays(scores, 0.05, biased=biased, averaged=averaged) is pays


def test_guard_needs_a_lead_of_the_margin(topic_data):
    X, y = topic_data[:2]
    # On these easy texts every candidate scores (nearly) the same: without a lead of 2
    # points the distilled student, whose estimate is optimistic, is not kept.
    with pytest.warns(DistillationWarning):
        clf = cheap(baselines=None, student=StudentClassifier(epochs=20)).fit(X, y)
    scores = clf.selection_scores_
    assert scores["distilled"] - max(scores["labels_only"], scores["tfidf_lr"]) < 0.02
    assert clf.selected_ == "baseline_average"


# --- no side effects: the caller's random state, the network ----------------------------

def test_fit_and_predict_leave_torch_random_state_alone(tiny_models, topic_data):
    X, y, X_test, _ = topic_data
    state = torch.get_rng_state()
    teacher = TransformerClassifier(tiny_models["encoder"], epochs=1, random_state=0)
    teacher.fit(X, y)
    teacher.predict_proba(X_test)
    GenerationDistillationClassifier(
        generator=CausalLMGenerator(tiny_models["causal_lm"], epochs=1, max_new_tokens=8),
        teacher=teacher, student=StudentClassifier(epochs=2), n_generated=8, random_state=0,
    ).fit(X, y).predict_proba(X_test)
    assert torch.equal(torch.get_rng_state(), state)


def test_local_models_make_no_network_call(tiny_models, topic_data, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr("huggingface_hub.snapshot_download", refuse)
    X, y = topic_data[:2]
    teacher = TransformerClassifier(tiny_models["encoder"], epochs=1).fit(X, y)
    CausalLMGenerator(tiny_models["causal_lm"], epochs=1).fit(X).generate(2, random_state=0)
    assert teacher.predict_proba(X[:2]).shape == (2, 3)


def test_remote_code_stays_off_in_every_component():
    for component in (TransformerClassifier(), CausalLMGenerator()):
        assert component.get_params()["trust_remote_code"] is False


# --- safe persistence: no pickle -----------------------------------------------------------

@pytest.mark.parametrize("label_type", ["str", "int"])
def test_safe_save_and_load_without_pickle(topic_data, tmp_path, monkeypatch, label_type):
    X, y, X_test, _ = topic_data
    if label_type == "int":
        y = list(np.unique(y, return_inverse=True)[1] + 10)
    clf = cheap().fit(X, y)
    clf.save(tmp_path / "model")

    def refuse(*args, **kwargs):
        raise AssertionError("pickle was used to load")

    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(pickle, "loads", refuse)
    loaded = GenerationDistillationClassifier.load(tmp_path / "model")
    np.testing.assert_array_equal(loaded.predict(X_test), clf.predict(X_test))
    np.testing.assert_allclose(loaded.predict_proba(X_test), clf.predict_proba(X_test),
                               atol=1e-6)
    assert loaded.classes_.dtype == clf.classes_.dtype
    assert clf.prior_ratio_ is not None
    np.testing.assert_array_equal(loaded.prior_ratio_, clf.prior_ratio_)


def test_safe_load_of_a_wrong_folder_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match="no config.json"):
        GenerationDistillationClassifier.load(tmp_path)
    StudentClassifier(epochs=1).fit(X_OK, Y_OK).save(tmp_path)
    with pytest.raises(ValueError, match="not 'sklearn_gd.GenerationDistillationClassifier'"):
        GenerationDistillationClassifier.load(tmp_path)


def test_guard_notices_a_student_that_does_not_learn(topic_data):
    X, y, X_test, y_test = topic_data
    lame = StudentClassifier(epochs=1, learning_rate=1e-7, dropout=0.0)  # stays at its start
    with pytest.warns(DistillationWarning):
        clf = cheap(student=lame, baselines=None).fit(X, y)
    assert clf.selected_ != "distilled"
    assert np.mean(clf.predict(X_test) == np.asarray(y_test)) > 0.8


def test_guard_says_when_a_class_is_too_small_to_check(topic_data):
    X, y = topic_data[:2]
    one_money = [i for i, label in enumerate(y) if label != "money"] + [y.index("money")]
    X, y = [X[i] for i in one_money], [y[i] for i in one_money]
    with pytest.warns(DistillationWarning, match="'money' has 1. Label more texts"):
        clf = cheap(baselines=None).fit(X, y)
    assert clf.selected_ == "distilled" and clf.selection_scores_ == {}
    with warnings.catch_warnings():
        warnings.simplefilter("error", DistillationWarning)
        cheap(baselines={}).fit(X, y)  # the check turned off: nothing to say


def test_guard_leaves_out_samples_prompted_from_the_held_out_fold():
    from sklearn_gd.guard import cross_validate_candidates

    # Random labels: nothing to learn, so an honest check scores near chance. Samples that
    # copy the labeled texts (as a generator that memorised them can) would leak the fold.
    rng = np.random.default_rng(0)
    texts = [" ".join(rng.choice(list("abcdefghij"), 6)) + f" w{i}" for i in range(40)]
    y = rng.permutation(np.arange(40) % 2)
    copies = [f"{text} again" for text in texts]
    transfer = copies + texts
    targets = np.eye(2, dtype=np.float32)[np.concatenate([y, y])]
    labeled = np.arange(40, 80)
    student = StudentClassifier(epochs=30, random_state=0)
    leaky = cross_validate_candidates(student, {}, transfer, targets, labeled, y, 0)
    assert leaky == {}  # no baselines: no check
    baselines = {"tfidf": make_pipeline(TfidfVectorizer(), LogisticRegression())}
    leaky = cross_validate_candidates(student, baselines, transfer, targets, labeled, y, 0)
    sources = np.concatenate([np.arange(40), np.arange(40)])
    honest = cross_validate_candidates(student, baselines, transfer, targets, labeled, y, 0,
                                       sources=sources)
    assert leaky["distilled"] > 0.9  # the copies gave the fold away
    assert honest["distilled"] < 0.75


@pytest.mark.parametrize("labels", ["object array", "numpy ints"])
def test_safe_save_takes_labels_and_parameters_from_numpy(topic_data, tmp_path, labels):
    X, y, X_test, _ = topic_data
    if labels == "object array":  # as a pandas column of strings holds them
        y = np.array(y, dtype=object)
    else:
        y = np.unique(y, return_inverse=True)[1].astype(np.int64)
    # A grid built with np.arange gives numpy scalars as parameters.
    clf = cheap(student=StudentClassifier(epochs=np.int64(3), embedding_dim=np.int64(8),
                                          random_state=np.int64(0))).fit(X, y)
    clf.save(tmp_path / "model")
    loaded = GenerationDistillationClassifier.load(tmp_path / "model")
    np.testing.assert_array_equal(loaded.predict(X_test), clf.predict(X_test))
    assert loaded.student_.get_params()["embedding_dim"] == 8


def test_safe_save_refuses_unsaveable_labels_before_writing(topic_data, tmp_path):
    X, y = topic_data[:2]
    clf = cheap().fit(X, y)
    clf.classes_ = np.empty(3, dtype=object)
    clf.classes_[:] = [("a", 1), ("b", 2), ("c", 3)]  # tuples: JSON cannot keep them
    with pytest.raises(TypeError, match="cannot be saved as JSON"):
        clf.save(tmp_path / "model")
    assert not (tmp_path / "model").exists()  # nothing half-written


def test_labels_mixing_numpy_and_python_strings_are_one_type(topic_data):
    X, y = topic_data[:2]
    mixed = list(np.array(y[:12])) + list(y[12:])  # np.str_, then str
    clf = cheap().fit(X, mixed)
    assert list(clf.classes_) == sorted(set(y))


def test_texts_tfidf_cannot_read_drop_its_baseline_before_training(topic_data):
    X, y = topic_data[:2]
    faces = {"sports": "⚽ !", "tech": "💻 ?", "money": "💰 ."}
    emoji = [faces[label] * (1 + i % 3) for i, label in enumerate(y)]
    # A teacher that reads characters, emoji included.
    teacher = make_pipeline(TfidfVectorizer(analyzer="char"), LogisticRegression(C=10))
    clf = cheap(baselines=None, teacher=teacher)
    with pytest.warns(DistillationWarning, match="leaves the TF-IDF"):
        clf.fit(emoji, y)
    assert "tfidf_lr" not in clf.selection_scores_
    assert {"labels_only", "distilled"} <= set(clf.selection_scores_)


def test_empty_unlabeled_texts_are_none(topic_data):
    X, y, X_test, _ = topic_data
    np.testing.assert_array_equal(cheap().fit(X, y, X_unlabeled=[]).predict(X_test),
                                  cheap().fit(X, y).predict(X_test))


@pytest.mark.parametrize("labels", ["18 texts, 3 classes", "a class of one text"])
def test_student_early_stopping_on_few_hard_labels(topic_data, labels):
    X, y = topic_data[:2]
    X, y = (X[:18], y[:18]) if labels.startswith("18") else (X[:30] + X[30:31], y[:30] + ["other"])
    student = StudentClassifier(epochs=3, early_stopping=True, random_state=0).fit(X, y)
    assert set(student.predict(X)) <= set(y)


class NAType:
    """Stands for pandas' NA (pandas is not a dependency): no truth value, like pd.NA."""

    def __bool__(self):
        raise TypeError("boolean value of NA is ambiguous")


@pytest.mark.parametrize("container", ["list", "object array"])
def test_pandas_na_labels_are_missing_labels(topic_data, container):
    X, y = topic_data[:2]
    y = list(y)
    y[3] = NAType()
    y = y if container == "list" else np.array(y, dtype=object)  # as a Series gives it
    with pytest.raises(ValueError, match="1 missing labels .* first at position 3"):
        cheap().fit(X, y)
