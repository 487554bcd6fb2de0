"""Small helpers shared by the estimators: input checks, devices, seeds, quiet loading."""

import contextlib
import difflib
import numbers
from collections.abc import Iterator, Mapping, Set

import numpy as np
import torch
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import type_of_target


def check_texts(X, name="X", *, require_words=False):
    """Return ``X`` as a new list of ``str``, or raise a ValueError that says how to fix it.

    Accepts a list, tuple, 1-D array or pandas Series of strings. Unordered containers
    (a set, a dict) and one-shot iterators are refused: their order would not match the
    labels, or reading them would use them up. The caller's object is never modified.
    ``require_words`` refuses a list whose texts are all empty (nothing to learn from).
    """
    if isinstance(X, (str, bytes)):
        raise ValueError(
            f"{name} must be a list of texts, got a single string. Wrap it in a list: [{name}]."
        )
    _check_ordered(X, name)
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
    _check_encodable(texts, name)
    if require_words and not any(text.strip() for text in texts):
        raise ValueError(
            f"All {len(texts)} texts of {name} are empty or only whitespace: there is "
            "nothing to learn from. Check that you passed the text column."
        )
    return texts


def _check_ordered(X, name):
    if isinstance(X, (Set, Mapping)):
        raise ValueError(
            f"{name} is a {type(X).__name__}, which has no fixed order, so its items could "
            "not be paired one to one with the texts' labels. Pass a list (or array) in the "
            "same order as the other argument."
        )
    if isinstance(X, Iterator):
        raise ValueError(
            f"{name} is a one-shot iterator ({type(X).__name__}): reading it would use it "
            f"up. Pass a list instead: list({name})."
        )


def _check_encodable(texts, name):
    """Refuse lone surrogates (from decoding bytes with errors='surrogateescape', or bad
    JSON): tokenizers cannot take them, and fail with an unhelpful type error."""
    try:
        "".join(texts).encode("utf-8")
    except UnicodeEncodeError:
        for i, text in enumerate(texts):
            try:
                text.encode("utf-8")
            except UnicodeEncodeError as error:
                char = text[error.start]
                raise ValueError(
                    f"Item {i} of {name} holds a character that is not valid Unicode "
                    f"({char!r} at position {error.start}, a lone surrogate, usually left by "
                    "decoding bytes with the wrong codec). Clean the texts first, e.g. "
                    "text.encode('utf-8', 'replace').decode('utf-8')."
                ) from None


def _is_missing(label):
    """None, NaN, or pandas' NA (checked by name: pandas is not a dependency)."""
    return (label is None or type(label).__name__ == "NAType"
            or (isinstance(label, (float, np.floating)) and np.isnan(label)))


def check_labels(y, n_samples, name="y"):
    """Check class labels for ``n_samples`` texts; return ``(classes, encoded)``.

    ``classes`` are the sorted distinct labels (in the type of ``y``) and ``encoded`` the
    index of each label in them. Raises a ValueError that says what is wrong and how to
    fix it for a missing, unordered, misshapen, mixed-type or single-class ``y``.
    """
    if y is None:
        raise ValueError(f"{name} is None: pass one label per text.")
    if isinstance(y, (str, bytes)):
        raise ValueError(f"{name} must be a list of labels, got a single string.")
    _check_ordered(y, name)
    if isinstance(y, (list, tuple)):
        # numpy would silently turn [1, "a"] into strings: the labels would change type.
        # numpy's str_ is a str: labels read partly from an array are still one type.
        kinds = {str if isinstance(label, str) else type(label) for label in y
                 if not _is_missing(label)}
        if str in kinds and len(kinds) > 1:
            raise ValueError(
                f"{name} mixes label types ({', '.join(sorted(k.__name__ for k in kinds))}), "
                f"which cannot be sorted into classes. Convert them to one type, e.g. "
                f"[str(label) for label in {name}]."
            )
    try:
        y = np.asarray(y)
    except ValueError as error:
        raise ValueError(f"{name} must be a 1-D list of labels: {error}") from None
    if y.ndim != 1:
        raise ValueError(f"{name} must be 1-D with one label per text, got shape {y.shape}.")
    if len(y) != n_samples:
        raise ValueError(f"X has {n_samples} texts but {name} has {len(y)} labels.")
    missing = [i for i, label in enumerate(y) if _is_missing(label)]
    if missing:
        raise ValueError(
            f"{name} has {len(missing)} missing labels (None, NaN or NA), first at position "
            f"{missing[0]}. Drop those texts or fill in their labels."
        )
    kind = type_of_target(y)
    if kind not in ("binary", "multiclass"):
        raise ValueError(
            f"{name} must hold class labels (strings or integers), but its values look "
            f"{kind}: e.g. {y[0]!r}. Use one type for all labels; continuous values need "
            "a regressor."
        )
    try:
        classes, encoded = np.unique(y, return_inverse=True)
    except TypeError:
        kinds = sorted({type(label).__name__ for label in y})
        raise ValueError(
            f"{name} mixes label types ({', '.join(kinds)}), which cannot be sorted into "
            f"classes. Convert them to one type, e.g. [str(label) for label in {name}]."
        ) from None
    if len(classes) < 2:
        raise ValueError(f"{name} has only one class ({classes[0]!r}); need at least 2.")
    return classes, encoded.ravel()


def resolve_device(device):
    """``"auto"`` means CUDA when present, else CPU; any other device must exist here."""
    if device in (None, "auto"):
        return "cuda" if torch.cuda.is_available() else "cpu"
    try:
        kind = torch.device(device).type
    except (RuntimeError, TypeError):
        raise ValueError(
            f"device={device!r} is not a torch device; use 'auto', 'cpu' or 'cuda'."
        ) from None
    if kind == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"device={device!r}, but CUDA is not available on this machine (torch "
            f"{torch.__version__}). Use device='auto' or 'cpu'."
        )
    if kind == "mps" and not torch.backends.mps.is_available():
        raise ValueError(f"device={device!r}, but MPS is not available; use 'auto' or 'cpu'.")
    return str(device)


def adamw(device):
    """skorch's options for an AdamW optimizer on ``device``: the fused implementation
    where torch has it (CPU and CUDA, torch >= 2.4). The loop implementation passes over
    all weights several times a step: 0.11 s a step for MiniLM-L6 on 2 AVX2 cores, about
    a tenth of its finetuning time, against 0.02 s fused."""
    try:  # torch checks the device when the optimizer is made
        torch.optim.AdamW([torch.zeros(1, device=device, requires_grad=True)], fused=True)
    except (RuntimeError, TypeError, ValueError):
        return {"optimizer": torch.optim.AdamW}
    return {"optimizer": torch.optim.AdamW, "optimizer__fused": True}


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
    with keep_torch_rng():
        torch.manual_seed(seed)
        yield


@contextlib.contextmanager
def keep_torch_rng():
    """Leave torch's global random state as it was when the block exits."""
    with torch.random.fork_rng(devices=list(range(torch.cuda.device_count()))):
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
