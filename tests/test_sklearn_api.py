"""scikit-learn conventions: the data-free common checks, clone, params, pickling, tools.

With ``input_tags.string = True`` scikit-learn's ``parametrize_with_checks`` runs no check
at all, so the data-free checks are called by hand here.
"""

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils import estimator_checks
from test_classifier import WordMixGenerator, fast_classifier

from sklearn_gd import (
    CausalLMGenerator,
    GenerationDistillationClassifier,
    StudentClassifier,
    TransformerClassifier,
)

ESTIMATORS = [
    GenerationDistillationClassifier(),
    TransformerClassifier(),
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


def test_pickle_round_trip_keeps_predictions(topic_data):
    X, y, X_test, _ = topic_data
    clf = fast_classifier(n_generated=50).fit(X, y)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict(X_test), clf.predict(X_test))
    np.testing.assert_allclose(restored.predict_proba(X_test), clf.predict_proba(X_test))
    assert not hasattr(restored, "teacher_")  # only the student is kept by default


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
