"""Word vectors read out of the finetuned teacher, and the student that keeps them fixed."""

import copy
import pickle

import numpy as np
import pytest
import torch
from sklearn.dummy import DummyClassifier
from test_classifier import WordMixGenerator, tfidf_teacher

import sklearn_gd._classifier as classifier_module
import sklearn_gd.student as student_module
from sklearn_gd import (
    EncoderWordVectors,
    GenerationDistillationClassifier,
    SetFitClassifier,
    StudentClassifier,
    TransformerClassifier,
)


@pytest.fixture(scope="module")
def teacher(tiny_models, topic_data):
    X, y = topic_data[:2]
    return TransformerClassifier(tiny_models["encoder"], epochs=8, learning_rate=3e-3,
                                 batch_size=8, random_state=0).fit(X, y)


def without(texts, word):
    return [" ".join(w for w in text.split() if w.strip(".").lower() != word) for text in texts]


def test_encoder_word_vectors_reads_whole_words_and_keeps_them(teacher):
    vectors = EncoderWordVectors(teacher)
    words = vectors.words()
    assert {"striker", "profit", "chip"} <= set(words)
    assert not any(word.startswith("##") or word.startswith("[") for word in words)
    assert len(words) == len(set(words))
    first = vectors(["striker", "profit", "striker"])
    assert first.shape == (3, teacher.net_.module_.model.config.hidden_size)
    np.testing.assert_array_equal(first[0], first[2])
    assert not np.allclose(first[0], first[1])
    np.testing.assert_array_equal(vectors(["profit"])[0], first[1])  # kept, not recomputed
    assert set(vectors._vectors) == {"striker", "profit"}


def test_encoder_word_vectors_are_shared_by_copies_and_not_pickled(teacher):
    vectors = EncoderWordVectors(teacher)
    assert copy.deepcopy(vectors) is vectors  # clone(student) must not copy the teacher
    restored = pickle.loads(pickle.dumps(vectors))
    assert restored.encoder is None
    with pytest.raises(RuntimeError, match="without their encoder"):
        restored(["striker"])


def test_student_keeps_teacher_vectors_fixed_and_knows_words_it_never_saw(teacher, topic_data):
    X, y, X_test, y_test = topic_data
    X_train = without(X, "striker")  # a word of the teacher's vocabulary, absent here
    student = StudentClassifier(epochs=20, word_vectors=EncoderWordVectors(teacher),
                                random_state=0).fit(X_train, y)
    assert "striker" not in StudentClassifier(epochs=1).fit(X_train, y).vocabulary_
    assert "striker" in student.vocabulary_
    weights = student.net_.module_.embedding.weight
    assert not weights.requires_grad
    np.testing.assert_allclose(weights.detach().numpy(), student._fixed_vectors(), atol=1e-6)
    assert np.abs(weights[student.vocabulary_["striker"]].detach().numpy()).sum() > 0
    assert float(np.mean(student.predict(X_test) == np.asarray(y_test))) > 0.6  # chance 1/3


def test_student_with_word_vectors_saves_and_loads_without_the_teacher(teacher, topic_data,
                                                                      tmp_path):
    X, y, X_test, _ = topic_data
    student = StudentClassifier(epochs=3, word_vectors=EncoderWordVectors(teacher),
                                random_state=0).fit(X, y)
    loaded = StudentClassifier.load(student.save(tmp_path / "student"))
    assert loaded.word_vectors is None
    assert loaded.word_scores is True  # "auto" resolved: the saved weights hold word scores
    np.testing.assert_allclose(loaded.predict_proba(X_test), student.predict_proba(X_test),
                               atol=1e-6)


def test_fixed_word_vectors_come_with_trained_word_scores(teacher, topic_data):
    X, y = topic_data[:2]
    vectors = EncoderWordVectors(teacher)
    student = StudentClassifier(epochs=5, word_vectors=vectors, random_state=0).fit(X, y)
    scores = student.net_.module_.word_scores.weight.detach().numpy()
    assert scores.shape == (len(student.vocabulary_) + 2, 3)
    seen = student.vocabulary_["striker"]  # a training word: trained away from zero
    unseen = len(student.vocabulary_) + 1  # the last encoder word: never in a training text
    assert np.abs(scores[seen]).sum() > 0
    assert np.abs(scores[unseen]).sum() == 0
    without = StudentClassifier(epochs=5, word_vectors=vectors, word_scores=False,
                                random_state=0).fit(X, y)
    assert without.net_.module_.word_scores is None
    assert StudentClassifier(epochs=2).fit(X, y).net_.module_.word_scores is None  # "auto"
    assert student.n_parameters_ == without.n_parameters_ + scores.size


def test_averaged_student_predicts_the_mean_of_its_fits(teacher, topic_data, monkeypatch):
    X, y, X_test = topic_data[:3]
    params = dict(epochs=4, word_vectors=EncoderWordVectors(teacher), early_stopping=True,
                  random_state=0)
    fits = []

    def keep_fits(modules):  # copies of the fitted networks, before they are averaged
        fits.extend(copy.deepcopy(module).eval() for module in modules)
        average(modules)

    average = student_module._average_trained_weights
    monkeypatch.setattr(student_module, "_average_trained_weights", keep_fits)
    averaged = StudentClassifier(n_averaged=3, **params).fit(X, y)
    single = StudentClassifier(**params).fit(X, y)

    assert len(fits) == 3
    inputs = {key: torch.as_tensor(value) for key, value in averaged.encode(X_test).items()}
    with torch.no_grad():
        logits = [fit(**inputs).numpy() for fit in fits]
    assert not np.allclose(logits[0], logits[1], atol=1e-3)  # other seeds, other fits
    expected = np.mean(logits, axis=0)
    log_proba = np.log(averaged.predict_proba(X_test))
    difference = log_proba - expected  # equal up to the softmax's constant per text
    np.testing.assert_allclose(difference - difference.mean(1, keepdims=True), 0, atol=1e-4)
    # The first fit is the single fit of the same seed; the average is one network's size.
    np.testing.assert_allclose(single.predict_proba(X_test),
                               torch.softmax(torch.as_tensor(logits[0]), 1).numpy(), atol=1e-5)
    assert averaged.n_parameters_ == single.n_parameters_


@pytest.mark.parametrize("params", [dict(word_vectors=None), dict(architecture="cnn")])
def test_averaging_needs_fixed_word_vectors(teacher, topic_data, params):
    X, y = topic_data[:2]
    params = {"word_vectors": EncoderWordVectors(teacher), **params}
    with pytest.raises(ValueError, match="n_averaged=2 needs architecture='bag' with word_vec"):
        StudentClassifier(n_averaged=2, **params).fit(X, y)


def test_guard_scores_one_fit_of_an_averaged_student(tiny_models, topic_data, monkeypatch):
    X, y = topic_data[:2]
    scored = []

    def check(student, *args, **kwargs):
        scored.append(student.get_params()["n_averaged"])
        return cross_validate(student, *args, **kwargs)

    cross_validate = classifier_module.cross_validate_candidates
    monkeypatch.setattr(classifier_module, "cross_validate_candidates", check)
    student = StudentClassifier(epochs=3, word_vectors="teacher", n_averaged=3)
    clf = GenerationDistillationClassifier(
        teacher=TransformerClassifier(tiny_models["encoder"], epochs=3, random_state=0),
        generator=WordMixGenerator(), n_generated=60, random_state=0, student=student,
        baselines={"majority": DummyClassifier()}, baseline_margin=0.0,
    ).fit(X, y)
    assert scored == [1]  # the check gets one fit of it (n_averaged=1)
    assert clf.selected_ == "distilled"
    assert clf.student_.n_averaged == 3  # the kept student averages its three fits
    assert not hasattr(student, "vocabulary_")  # the user's student is left as it was


def test_student_alone_refuses_teacher_placeholder(topic_data):
    X, y = topic_data[:2]
    with pytest.raises(ValueError, match="filled in by GenerationDistillationClassifier"):
        StudentClassifier(word_vectors="teacher").fit(X, y)


@pytest.mark.parametrize("teacher", [
    lambda path: TransformerClassifier(path, epochs=3, random_state=0),
    lambda path: SetFitClassifier(path, steps=10, random_state=0),
], ids=["finetuned", "setfit"])
def test_classifier_gives_the_student_its_teachers_vectors(teacher, tiny_models, topic_data):
    X, y = topic_data[:2]
    clf = GenerationDistillationClassifier(
        teacher=teacher(tiny_models["encoder"]),
        generator=WordMixGenerator(), n_generated=60, baselines={}, random_state=0,
        student=StudentClassifier(epochs=3, word_vectors="teacher"),
    ).fit(X, y)
    transfer_words = StudentClassifier(epochs=1).fit(
        clf.generated_texts_ + list(X), np.zeros(clf.n_transfer_, int) + np.arange(
            clf.n_transfer_) % 2).vocabulary_
    assert set(transfer_words) < set(clf.student_.vocabulary_)  # encoder words added
    assert not clf.student_.net_.module_.embedding.weight.requires_grad
    assert clf.student_.word_vectors == "teacher"  # the teacher is not kept inside it
    assert b"EncoderWordVectors" not in pickle.dumps(clf.student_)


def test_classifier_with_another_teacher_lets_the_student_learn_its_vectors(topic_data):
    X, y = topic_data[:2]
    clf = GenerationDistillationClassifier(
        teacher=tfidf_teacher(), generator=WordMixGenerator(), n_generated=60, baselines={},
        student=StudentClassifier(epochs=3, word_vectors="teacher"), random_state=0,
    ).fit(X, y)
    assert clf.student_.net_.module_.embedding.weight.requires_grad
    assert clf.student_.word_vectors == "teacher"
