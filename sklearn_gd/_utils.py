"""Small helpers shared by the estimators: input checks, devices, seeds, quiet loading."""

import contextlib
import difflib
import numbers

import numpy as np
import torch
from sklearn.utils import check_random_state


def check_texts(X, name="X"):
    """Return ``X`` as a new list of ``str``, or raise a ValueError that says how to fix it.

    Accepts a list, tuple, 1-D array or pandas Series of strings. The caller's object is
    never modified.
    """
    if isinstance(X, (str, bytes)):
        raise ValueError(
            f"{name} must be a list of texts, got a single string. Wrap it in a list: [{name}]."
        )
    if hasattr(X, "ndim") and X.ndim != 1:
        raise ValueError(
            f"{name} must be 1-D (one text per sample), got an array of shape {X.shape}. "
            "If your texts are in a DataFrame, pass one column, e.g. df['text']."
        )
    try:
        texts = list(X)
    except TypeError:
        raise ValueError(
            f"{name} must be a list of texts, got {type(X).__name__}."
        ) from None
    bad = [i for i, text in enumerate(texts) if not isinstance(text, str)]
    if bad:
        i = bad[0]
        raise ValueError(
            f"{name} must contain only strings; item {i} is {type(texts[i]).__name__} "
            f"({texts[i]!r}) and {len(bad) - 1} more are not strings. Convert them, e.g. "
            f"[str(t) for t in {name}], or drop missing values first."
        )
    if not texts:
        raise ValueError(f"{name} is empty: at least one text is needed.")
    return texts


def resolve_device(device):
    """``"auto"`` means CUDA when present, else CPU; any other value is passed through."""
    if device in (None, "auto"):
        return "cuda" if torch.cuda.is_available() else "cpu"
    return str(device)


def resolve_dtype(dtype, device):
    """The torch compute dtype for ``dtype`` ("auto", "float32" or "bfloat16") on ``device``.

    ``"auto"`` is bfloat16 where the hardware runs it natively (recent CUDA GPUs, CPUs with
    AVX-512 BF16) and float32 elsewhere, where emulated bfloat16 would be slower.
    """
    if dtype == "auto":
        if torch.device(device).type == "cuda":
            native = torch.cuda.is_bf16_supported()
        else:
            # torch has no public test for native bfloat16 on the CPU.
            native = getattr(torch.cpu, "_is_avx512_bf16_supported", lambda: False)()
        return torch.bfloat16 if native else torch.float32
    if dtype not in ("float32", "bfloat16"):
        raise ValueError(f'dtype must be "auto", "float32" or "bfloat16", got {dtype!r}.')
    return getattr(torch, dtype)


def autocast(device, dtype):
    """Mixed precision in ``dtype`` on ``device`` (a no-op for float32)."""
    return torch.autocast(torch.device(device).type, dtype=dtype, enabled=dtype != torch.float32)


def seed_from(random_state):
    """An integer seed derived from ``random_state`` (int, RandomState or None)."""
    if isinstance(random_state, numbers.Integral):
        return int(random_state)
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))


@contextlib.contextmanager
def torch_seed(seed):
    """Seed torch inside the block only, leaving the caller's global RNG state untouched."""
    devices = list(range(torch.cuda.device_count()))
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(seed)
        yield


@contextlib.contextmanager
def quiet_transformers(verbose):
    """Hide transformers' loading progress bars and warnings unless ``verbose >= 2``."""
    from transformers.utils import logging as hf_logging

    if verbose >= 2:
        yield
        return
    bars, level = hf_logging.is_progress_bar_enabled(), hf_logging.get_verbosity()
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    try:
        yield
    finally:
        hf_logging.set_verbosity(level)
        if bars:
            hf_logging.enable_progress_bar()


def check_param_names(estimator, params):
    """Raise a ValueError with a did-you-mean hint for parameter names ``estimator`` lacks.

    A nested name (``student__epochs``) is checked only when its component is not being
    replaced in the same call.
    """
    valid = estimator.get_params(deep=True)
    for name in params:
        component, nested, _ = name.partition("__")
        if name in valid or (nested and component in params):
            continue
        close = difflib.get_close_matches(name, valid, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(
            f"Invalid parameter {name!r} for {type(estimator).__name__}.{hint} "
            f"Valid parameters are listed by get_params(deep=True).keys()."
        )


class TextEstimatorMixin:
    """Tags of an estimator whose input is a list of texts (not a 2-D array), and
    ``set_params`` errors that suggest the closest valid name."""

    def set_params(self, **params):
        check_param_names(self, params)
        return super().set_params(**params)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.non_deterministic = getattr(self, "random_state", None) is None
        return tags


class TextClassifierMixin(TextEstimatorMixin):
    """``predict`` from ``predict_proba``, returning labels of ``classes_``."""

    def predict(self, X):
        """Predicted labels for texts ``X``, in the type of the training labels."""
        proba = self.predict_proba(X)  # checks that the model is fitted
        return self.classes_[np.argmax(proba, axis=1)]
