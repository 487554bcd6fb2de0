"""scikit-learn conventions: the data-free common checks, clone, params, pickling, tools.

With ``input_tags.string = True`` scikit-learn's ``parametrize_with_checks`` runs no check
at all, so the data-free checks are called by hand here.
"""

import os
import pickle
import subprocess
import sys

import joblib
import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils import estimator_checks
from test_classifier import WordMixGenerator, fast_classifier, tfidf_teacher

from sklearn_gd import (
    CausalLMGenerator,
    GenerationDistillationClassifier,
    SetFitClassifier,
    StudentClassifier,
    TransformerClassifier,
)
from sklearn_gd._classifier import DEFAULT_COMPONENTS

ESTIMATORS = [
    GenerationDistillationClassifier(),
    TransformerClassifier(),
    SetFitClassifier(),
    CausalLMGenerator(),
    StudentClassifier(),
]
DATA_FREE_CHECKS = [
    "check_no_attributes_set_in_init",
    "check_get_params_invariance",
    "check_set_params",
    "check_estimator_repr",
    "check_estimator_cloneable",
    "check_mixin_order",
    "check_do_not_raise_errors_in_init_or_set_params",
]


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: type(e).__name__)
@pytest.mark.parametrize("check", DATA_FREE_CHECKS)
def test_data_free_common_checks(estimator, check):
    getattr(estimator_checks, check)(type(estimator).__name__, estimator)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_default_constructible_and_text_tags(estimator):
    estimator_checks.check_parameters_default_constructible(type(estimator).__name__, estimator)
    tags = estimator.__sklearn_tags__()
    assert tags.input_tags.string and not tags.input_tags.two_d_array


def test_nested_params_reach_the_components():
    clf = GenerationDistillationClassifier(student=StudentClassifier())
    params = clf.get_params(deep=True)
    assert params["student__embedding_dim"] == 48
    clf.set_params(student__embedding_dim=16, alpha=0.3)
    assert clf.student.embedding_dim == 16 and clf.alpha == 0.3


def test_default_components_expose_their_params():
    clf = GenerationDistillationClassifier()
    params = clf.get_params(deep=True)
    assert params["teacher__learning_rate"] == TransformerClassifier().learning_rate
    assert params["generator__top_p"] == CausalLMGenerator().top_p
    assert params["student__hidden_size"] == StudentClassifier().hidden_size
    # The distillation defaults: label-conditioned samples, a student stopped early.
    assert params["generator__conditional"] and params["student__early_stopping"]
    clf.set_params(student__hidden_size=32, generator__top_p=0.5)
    assert isinstance(clf.student, StudentClassifier) and clf.student.hidden_size == 32
    assert clf.student.early_stopping and clf.generator.conditional
    assert clf.generator.top_p == 0.5 and clf.teacher is None
    assert GenerationDistillationClassifier().get_params()["student"] is None  # shallow


def test_get_set_params_round_trip():
    clf = GenerationDistillationClassifier(student=StudentClassifier(epochs=3), alpha=0.2)
    copy = GenerationDistillationClassifier().set_params(**clf.get_params(deep=True))
    assert copy.get_params(deep=True).keys() == clf.get_params(deep=True).keys()
    copied = copy.get_params(deep=True)
    for key, value in clf.get_params(deep=True).items():
        if key in ("generator", "teacher"):  # None became the default it stands for
            assert type(copied[key]) is type(getattr(GenerationDistillationClassifier(), key)
                                              or DEFAULT_COMPONENTS[key]())
        elif not hasattr(value, "get_params"):
            assert copied[key] == value, key


@pytest.mark.parametrize("name, suggestion", [
    ("aplha", "alpha"),
    ("student__hiden_size", "student__hidden_size"),
    ("generator__top_pp", "generator__top_p"),
])
def test_bad_parameter_name_gets_did_you_mean(name, suggestion):
    clf = GenerationDistillationClassifier()
    message = f"Invalid parameter '{name}'.*Did you mean '{suggestion}'"
    with pytest.raises(ValueError, match=message):
        clf.set_params(**{name: 1})
    assert clf.student is None and clf.generator is None  # nothing changed
    with pytest.raises(ValueError, match="Did you mean 'hidden_size'"):
        StudentClassifier().set_params(hiden_size=3)


def test_randomized_search_in_parallel(topic_data):
    X, y, X_test, y_test = topic_data
    search = RandomizedSearchCV(
        fast_classifier(n_generated=60),
        {"temperature": [0.5, 1.0, 2.0], "student__learning_rate": [3e-3, 1e-2]},
        n_iter=3, cv=2, n_jobs=2, random_state=0,
    ).fit(X, y)
    assert len(search.cv_results_["params"]) == 3
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert search.score(X_test, y_test) > 0.6


def test_frozen_teacher_is_used_as_it_is(topic_data):
    X, y, X_test, y_test = topic_data
    teacher = tfidf_teacher().fit(X[:30], y[:30])  # fitted on part of the data only
    before = teacher.predict_proba(X_test)
    clf = fast_classifier(teacher=FrozenEstimator(teacher), keep_teacher=True).fit(X, y)
    # Not refitted on (X, y): the teacher's probabilities are those of its own fit.
    np.testing.assert_array_equal(clf.teacher_.predict_proba(X_test), before)
    assert clf.history_["teacher"] == []
    assert accuracy_of(clf, X_test, y_test) > 0.6


def accuracy_of(clf, X, y):
    return float(np.mean(clf.predict(X) == np.asarray(y)))


def test_history_has_the_losses_of_each_stage(tiny_models, topic_data):
    X, y = topic_data[:2]
    clf = GenerationDistillationClassifier(
        generator=CausalLMGenerator(tiny_models["causal_lm"], epochs=2, max_new_tokens=16),
        teacher=TransformerClassifier(tiny_models["encoder"], epochs=3),
        student=StudentClassifier(epochs=4), n_generated=20, min_words=1, baselines={},
        random_state=0,
    ).fit(X, y)
    assert [len(clf.history_[stage]) for stage in ("teacher", "generator", "student")] == [3, 2, 4]
    for rows in clf.history_.values():
        assert all(np.isfinite(row["train_loss"]) and row["dur"] > 0 for row in rows)
    losses = [row["train_loss"] for row in clf.history_["student"]]
    assert losses[-1] < losses[0]


def test_saved_model_predicts_identically_in_a_fresh_process(topic_data, tmp_path):
    X, y, X_test, _ = topic_data
    # Only importable classes may be pickled for another process: no test-module generator.
    # No guard: the distilled student is kept, whatever the tiny data says.
    clf = fast_classifier(generator=None, n_generated=0, baselines={}).fit(X, y)
    joblib.dump(clf, tmp_path / "model.joblib")
    np.save(tmp_path / "expected.npy", clf.predict_proba(X_test))
    (tmp_path / "texts.txt").write_text("\n".join(X_test))
    script = (
        "import joblib, numpy as np, sys; d = sys.argv[1]; "
        "clf = joblib.load(d + '/model.joblib'); "
        "texts = open(d + '/texts.txt').read().split('\\n'); "
        "assert np.array_equal(clf.predict_proba(texts), np.load(d + '/expected.npy')); "
        "print(type(clf.student_).__name__, len(clf.predict(texts)))"
    )
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["StudentClassifier", str(len(X_test))]


def test_model_fitted_for_a_gpu_loads_and_predicts_on_a_cpu_only_machine(topic_data, tmp_path):
    X, y, X_test, _ = topic_data
    clf = fast_classifier(generator=None, n_generated=0, baselines={})  # keep the student
    if torch.cuda.is_available():  # a real GPU fit
        clf.set_params(device="cuda")
    clf.fit(X, y)
    np.save(tmp_path / "expected.npy", clf.predict_proba(X_test))
    if not torch.cuda.is_available():
        # What a GPU fit leaves in the student (its weights are saved with their device).
        clf.student_.net_.device = "cuda"
    joblib.dump(clf, tmp_path / "model.joblib")
    (tmp_path / "texts.txt").write_text("\n".join(X_test))
    script = (
        "import joblib, numpy as np, sys, warnings; d = sys.argv[1]; "
        "warnings.simplefilter('ignore'); "
        "clf = joblib.load(d + '/model.joblib'); "
        "texts = open(d + '/texts.txt').read().split('\\n'); "
        "np.testing.assert_allclose(clf.predict_proba(texts), np.load(d + '/expected.npy'), "
        "atol=1e-5); print(clf.student_.net_.device)"
    )
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True,
                            text=True, timeout=300, env={**os.environ, "CUDA_VISIBLE_DEVICES": ""})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["cpu"]


@pytest.mark.parametrize("architecture", ["bag", "cnn", "bilstm"])
def test_onnx_export_gives_the_same_probabilities(topic_data, tmp_path, architecture):
    onnxruntime = pytest.importorskip("onnxruntime")
    X, y, X_test, _ = topic_data
    clf = fast_classifier(n_generated=50, student=StudentClassifier(architecture, epochs=3),
                          baselines={})  # the distilled student, not a fallback, is exported
    clf.fit(X, y)
    clf.student_.shift_prior([3.0, 1.0, 0.5])  # a clear prior shift must be exported too
    path = clf.export_onnx(tmp_path / "student.onnx")
    session = onnxruntime.InferenceSession(path)
    texts = X_test[:7] + ["", "words never seen before"]
    (proba,) = session.run(["probabilities"], clf.student_.encode(texts))
    np.testing.assert_allclose(proba, clf.predict_proba(texts), atol=1e-5)


def test_pickle_round_trip_keeps_predictions(topic_data):
    X, y, X_test, _ = topic_data
    clf = fast_classifier(n_generated=50).fit(X, y)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict(X_test), clf.predict(X_test))
    np.testing.assert_allclose(restored.predict_proba(X_test), clf.predict_proba(X_test))
    assert not hasattr(restored, "teacher_")  # only the student is kept by default


def test_pickled_student_leaves_its_optimizer_behind(topic_data):
    X, y, X_test, _ = topic_data
    student = StudentClassifier(embedding_dim=256, epochs=3, random_state=0).fit(X, y)
    restored = pickle.loads(pickle.dumps(student))
    np.testing.assert_allclose(restored.predict_proba(X_test), student.predict_proba(X_test))
    # Adam's state (two numbers per weight) stays out of the pickle, not out of the model;
    # the unpickled network gets a fresh optimizer.
    assert student.net_.optimizer_.state and not restored.net_.optimizer_.state
    n_weights = sum(p.numel() for p in student.net_.module_.parameters())
    # The weights once (float32) and small parts, not Adam's two more copies of them.
    assert len(pickle.dumps(student)) < len(pickle.dumps(student.net_.module_)) + 4 * n_weights
    refitted = restored.fit(X, y)  # a fresh fit builds a new optimizer
    np.testing.assert_allclose(refitted.predict_proba(X_test), student.predict_proba(X_test),
                               atol=1e-6)


def test_grid_search_over_distillation_and_student_params(topic_data):
    X, y, X_test, y_test = topic_data
    search = GridSearchCV(
        fast_classifier(n_generated=60),
        {"alpha": [0.0, 1.0], "student__embedding_dim": [8, 16]},
        cv=2,
    ).fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    assert search.score(X_test, y_test) > 0.6


def test_pipeline_with_text_preprocessing_and_cross_val_score(topic_data):
    X, y = topic_data[:2]
    pipeline = make_pipeline(
        FunctionTransformer(lambda texts: [text.lower() for text in texts]),
        fast_classifier(n_generated=60),
    )
    scores = cross_val_score(pipeline, X, y, cv=3)
    assert scores.shape == (3,) and scores.mean() > 0.6


def test_clone_copies_no_fitted_state(topic_data):
    clf = fast_classifier(n_generated=10, generator=WordMixGenerator()).fit(*topic_data[:2])
    fresh = clone(clf)
    assert not hasattr(fresh, "student_") and not hasattr(fresh, "classes_")
