"""sklearn-gd: small, fast text classifiers from a few hundred labels (generation-distillation)."""

from ._classifier import (
    DistillationWarning,
    GenerationDistillationClassifier,
    GenerationWarning,
)
from .generator import CausalLMGenerator
from .guard import default_baselines
from .hub import ModelNotFoundError, resolve_model
from .setfit import SetFitClassifier
from .student import StudentClassifier
from .teacher import TransformerClassifier
from .word_vectors import EncoderWordVectors

__all__ = [
    "CausalLMGenerator",
    "DistillationWarning",
    "EncoderWordVectors",
    "GenerationDistillationClassifier",
    "GenerationWarning",
    "ModelNotFoundError",
    "StudentClassifier",
    "SetFitClassifier",
    "TransformerClassifier",
    "default_baselines",
    "resolve_model",
]

__version__ = "0.1.0"
