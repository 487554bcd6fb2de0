"""End to end with the real packaged models (SmolLM2-135M, MiniLM-L6) on real AG News texts.

Marked ``slow`` (a few minutes on 2 CPU cores); deselect with ``-m "not slow"``.
"""

import numpy as np
import pytest
from transformers import AutoConfig

from sklearn_gd import (
    CausalLMGenerator,
    GenerationDistillationClassifier,
    SetFitClassifier,
    TransformerClassifier,
    resolve_model,
)
from sklearn_gd.datasets import load_dataset

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ag_news_small():
    """25 labeled texts per class, and 400 held-out test texts."""
    data = load_dataset("ag_news", k=100, seed=0)
    y = np.asarray(data.y_train)
    rows = np.concatenate([np.flatnonzero(y == label)[:25] for label in data.classes])
    return [data.X_train[i] for i in rows], y[rows], data.X_test[:400], data.y_test[:400]


def test_default_model_ids_resolve_to_loadable_real_models():
    generator = AutoConfig.from_pretrained(resolve_model("HuggingFaceTB/SmolLM2-135M-Instruct"))
    teacher = AutoConfig.from_pretrained(resolve_model("sentence-transformers/all-MiniLM-L6-v2"))
    assert (generator.model_type, generator.num_hidden_layers) == ("llama", 30)
    assert (teacher.model_type, teacher.hidden_size) == ("bert", 384)


def test_real_pipeline_learns(ag_news_small):
    X, y, X_test, y_test = ag_news_small
    clf = GenerationDistillationClassifier(
        generator=CausalLMGenerator(epochs=1, max_new_tokens=48),
        teacher=TransformerClassifier(epochs=6),
        n_generated=192, keep_teacher=True, random_state=0,
    ).fit(X, y)
    # The generator wrote usable text: most samples survive the filter.
    assert clf.n_generated_ > 192 / 2
    teacher_accuracy = np.mean(clf.teacher_.predict(X_test) == y_test)
    student_accuracy = np.mean(clf.predict(X_test) == y_test)
    assert teacher_accuracy > 0.6, teacher_accuracy  # chance is 0.25
    assert student_accuracy > 0.45, student_accuracy


def test_real_setfit_teacher_learns_from_pairs(ag_news_small):
    X, y, X_test, y_test = ag_news_small
    teacher = SetFitClassifier(steps=40, random_state=0).fit(X, y)
    assert np.mean(teacher.predict(X_test) == y_test) > 0.6  # chance is 0.25
