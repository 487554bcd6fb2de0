"""sklearn-gd: small, fast text classifiers from a few hundred labels (generation-distillation)."""

from ._classifier import GenerationDistillationClassifier
from .generator import CausalLMGenerator
from .hub import ModelNotFoundError, resolve_model
from .student import StudentClassifier
from .teacher import TransformerClassifier

__all__ = [
    "CausalLMGenerator",
    "GenerationDistillationClassifier",
    "ModelNotFoundError",
    "StudentClassifier",
    "TransformerClassifier",
    "resolve_model",
]

__version__ = "0.1.0"
