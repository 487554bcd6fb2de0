"""GenerationDistillationClassifier: teacher, generator, filter, soft labels, student."""

import time
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, check_memory

from ._utils import TextClassifierMixin, check_param_names, check_texts
from .filtering import filter_generated
from .generator import CausalLMGenerator
from .student import StudentClassifier
from .teacher import TransformerClassifier

__all__ = ["GenerationDistillationClassifier"]

def default_generator():
    """The generator used for ``generator=None``: SmolLM2, label-conditioned.

    Prompts carrying the labels in their training proportions give class-balanced samples;
    unconditioned samples leaned to one class (39% of them were labeled World by the
    teacher on AG News) and distilled into a slightly less accurate student
    (``benchmarks/distillation_defaults.py``).
    """
    return CausalLMGenerator(conditional=True)


def default_student():
    """The student used for ``student=None``: the bag of words, stopped early.

    Fitted on thousands of teacher-labeled generated texts, the student overfits the
    teacher's mistakes on them within a few epochs: it keeps the epoch whose loss against
    the teacher is lowest on 10% of the transfer texts held out (no true labels needed).
    """
    return StudentClassifier(learning_rate=3e-3, epochs=50, early_stopping=True)


# What generator=None, teacher=None and student=None stand for.
DEFAULT_COMPONENTS = {
    "generator": default_generator,
    "teacher": TransformerClassifier,
    "student": default_student,
}


def _fit_teacher(teacher, X, y):
    return teacher.fit(X, y)


def _fit_generator_and_sample(generator, X, y, n, seed):
    generator.fit(X, y)
    return list(generator.generate(n, random_state=seed)), epoch_history(generator)


def epoch_history(estimator):
    """Loss and time of each training epoch of a skorch-based estimator (else empty)."""
    net = getattr(estimator, "net_", None)
    rows = getattr(net, "history", [])
    return [{key: row[key] for key in ("epoch", "train_loss", "dur") if key in row}
            for row in rows]


def soften(proba, temperature):
    """Probabilities re-scaled by ``temperature``: ``softmax(log(proba) / temperature)``.

    For a model whose probabilities are ``softmax(logits)`` this equals
    ``softmax(logits / temperature)``, so it works for any ``predict_proba``.
    """
    logits = np.log(np.clip(proba, 1e-12, None)) / temperature
    logits -= logits.max(axis=1, keepdims=True)
    soft = np.exp(logits)
    return soft / soft.sum(axis=1, keepdims=True)


class GenerationDistillationClassifier(TextClassifierMixin, ClassifierMixin, BaseEstimator):
    """A small, fast text classifier distilled from a large one through generated texts.

    ``fit(X, y)`` runs generation-distillation (Melas-Kyriazi, Han & Liang, 2020):

    1. **teacher**: fit a large pretrained classifier on ``(X, y)``;
    2. **generator**: finetune a language model on the texts ``X``, then sample
       ``n_generated`` new in-domain texts;
    3. **filter**: drop empty, degenerate, duplicate and near-copied samples;
    4. **soft-label**: the teacher's class probabilities, softened by ``temperature``, for
       every transfer text (kept samples, ``X``, and ``X_unlabeled`` if given);
    5. **student**: fit a small network on the transfer set against those soft targets;
       for the texts of ``X`` the target mixes the teacher (weight ``alpha``) with the true
       label (weight ``1 - alpha``).

    ``predict`` and ``predict_proba`` use the student only.

    Parameters
    ----------
    generator : estimator or None, default=None
        Object with ``fit(X, y=None)`` and ``generate(n, random_state=None)`` returning a
        list of texts. None uses :class:`CausalLMGenerator` (SmolLM2-135M) with
        ``conditional=True``: label-conditioned prompts give class-balanced samples.
    teacher : classifier or None, default=None
        Any classifier taking a list of texts with ``predict_proba`` (a Hugging Face model
        through :class:`TransformerClassifier`, or e.g. a TF-IDF + LogisticRegression
        pipeline). None uses :class:`TransformerClassifier` (MiniLM-L6). A teacher
        wrapped in :class:`sklearn.frozen.FrozenEstimator` is used as it is, not refitted.
    student : classifier or None, default=None
        Classifier whose ``fit`` accepts a 2-D matrix of class probabilities as ``y``.
        None uses :class:`StudentClassifier` (a TF-IDF-weighted bag of words, under
        1M parameters) with ``early_stopping=True`` and ``learning_rate=3e-3``: trained
        until its loss against the teacher stops falling on held-out transfer texts, it
        does not overfit the teacher's mistakes on generated texts.
    n_generated : int, default=2000
        Texts sampled from the generator, before filtering. More texts give a better
        student and a slower fit; sampling is the slowest stage on a CPU. 0 skips the
        generator: the student learns from the teacher on ``X`` and ``X_unlabeled``.
    temperature : float, default=1.0
        Softens the teacher's probabilities (``> 1`` flattens them).
    alpha : float, default=0.5
        Weight of the teacher's probabilities against the true labels in the targets of
        the labeled texts. Generated and unlabeled texts have only the teacher's.
    min_words : int, default=4
        Generated texts shorter than this, in words, are dropped.
    max_similarity : float, default=0.8
        Generated texts whose TF-IDF cosine similarity to a training text exceeds this are
        dropped as near copies.
    memory : str, joblib.Memory or None, default=None
        Caches the fitted teacher and the generated texts (keyed by data, parameters and
        seed), so that refitting with other student or distillation parameters skips them.
    keep_teacher : bool, default=False
        Keep the fitted teacher as ``teacher_`` (large: dropped by default).
    keep_generator : bool, default=False
        Keep the fitted generator as ``generator_`` (large: dropped by default).
    device : str, default="auto"
        Set on every component that has a ``device`` parameter. ``"auto"`` uses CUDA when
        available, else the CPU.
    random_state : int, RandomState instance or None, default=None
        Draws one seed per stage, set on every component with a ``random_state``
        parameter and used for sampling.
    verbose : int, default=0
        0 is silent; 1 prints one line per stage with its time; 2 also shows the
        components' per-epoch lines and progress bars.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted, in the type of ``y``.
    student_ : classifier
        The fitted student, used by ``predict`` and ``predict_proba``.
    teacher_ : classifier
        The fitted teacher; only when ``keep_teacher=True``.
    generator_ : object
        The fitted generator; only when ``keep_generator=True`` and ``memory`` is None.
    generated_texts_ : list of str
        The generated texts kept by the filter.
    n_generated_ : int
        Number of generated texts kept by the filter.
    filter_report_ : dict
        Generated texts dropped per reason, and kept.
    n_transfer_ : int
        Number of texts the student was trained on.
    stage_times_ : dict
        Wall time in seconds of each stage.
    history_ : dict
        For ``"teacher"``, ``"generator"`` and ``"student"``: a list with the
        ``train_loss`` and duration (``dur``, seconds) of each training epoch (empty for
        components that are not trained in epochs, such as a scikit-learn pipeline).

    Notes
    -----
    With ``generator=None`` (or ``teacher``, ``student``), ``get_params(deep=True)`` lists
    the default component's parameters too, so ``set_params(student__epochs=20)`` and a
    grid over ``student__*`` work without building the component first.

    References
    ----------
    L. Melas-Kyriazi, G. Han, P. Liang. "Generation-Distillation for Efficient Natural
    Language Understanding in Low-Data Settings", 2020. arXiv:2002.00733.

    Examples
    --------
    >>> from sklearn.feature_extraction.text import TfidfVectorizer
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn_gd import GenerationDistillationClassifier
    >>> teacher = make_pipeline(TfidfVectorizer(), LogisticRegression())
    >>> clf = GenerationDistillationClassifier(teacher=teacher, n_generated=100)
    >>> clf.fit(texts, labels).predict(["A new phone was announced"])  # doctest: +SKIP
    """

    _parameter_constraints = {
        "generator": "no_validation",  # duck-typed: checked in _components
        "teacher": "no_validation",
        "student": "no_validation",
        "n_generated": [Interval(Integral, 0, None, closed="left")],
        "temperature": [Interval(Real, 0, None, closed="neither")],
        "alpha": [Interval(Real, 0, 1, closed="both")],
        "min_words": [Interval(Integral, 0, None, closed="left")],
        "max_similarity": [Interval(Real, 0, 1, closed="both")],
        "memory": [None, str, HasMethods(["cache"])],
        "keep_teacher": ["boolean"],
        "keep_generator": ["boolean"],
        "device": [str, None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        generator=None,
        teacher=None,
        student=None,
        *,
        n_generated=2000,
        temperature=1.0,
        alpha=0.5,
        min_words=4,
        max_similarity=0.8,
        memory=None,
        keep_teacher=False,
        keep_generator=False,
        device="auto",
        random_state=None,
        verbose=0,
    ):
        self.generator = generator
        self.teacher = teacher
        self.student = student
        self.n_generated = n_generated
        self.temperature = temperature
        self.alpha = alpha
        self.min_words = min_words
        self.max_similarity = max_similarity
        self.memory = memory
        self.keep_teacher = keep_teacher
        self.keep_generator = keep_generator
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    def fit(self, X, y, X_unlabeled=None):
        """Run the five stages and fit the student.

        Parameters
        ----------
        X : list of str
            Labeled training texts.
        y : array-like of shape (n_samples,)
            Their labels (strings, integers, ...).
        X_unlabeled : list of str, default=None
            Optional real in-domain texts without labels; the teacher labels them and the
            student trains on them too.

        Returns
        -------
        self : GenerationDistillationClassifier
        """
        self._validate_params()
        texts = check_texts(X)
        unlabeled = [] if X_unlabeled is None else check_texts(X_unlabeled, "X_unlabeled")
        y = np.asarray(y)
        check_classification_targets(y)
        if y.ndim != 1 or len(y) != len(texts):
            raise ValueError(f"y must be 1-D with one label per text: got shape {y.shape} "
                             f"for {len(texts)} texts.")
        encoder = LabelEncoder()
        y_encoded = encoder.fit_transform(y)
        self.classes_ = encoder.classes_
        if len(self.classes_) < 2:
            raise ValueError(f"y has only one class ({self.classes_[0]!r}); need at least 2.")

        teacher, generator, student, sampling_seed = self._components()
        memory = check_memory(self.memory)
        self.stage_times_ = {}
        for attr in ("teacher_", "generator_"):
            self.__dict__.pop(attr, None)  # a refit must not keep the previous fit's models

        self.history_ = {}
        with self._stage("teacher", f"fitted {type(teacher).__name__} on {len(texts)} texts"):
            teacher = memory.cache(_fit_teacher)(teacher, texts, y)
            self.history_["teacher"] = epoch_history(teacher)

        n = self.n_generated
        with self._stage("generator", f"sampled {n} texts with {type(generator).__name__}"):
            if n == 0:  # distill on X and X_unlabeled only: no generator to fit
                generated, self.history_["generator"] = [], []
            elif memory.location is None:  # keep the fitted generator itself
                generated, self.history_["generator"] = _fit_generator_and_sample(
                    generator, texts, y, n, sampling_seed
                )
            else:
                generated, self.history_["generator"] = memory.cache(
                    _fit_generator_and_sample
                )(generator, texts, y, n, sampling_seed)

        with self._stage("filter", f"kept {{n_generated_}} of {n}"):
            self.generated_texts_, self.filter_report_ = filter_generated(
                generated, texts, min_words=self.min_words, max_similarity=self.max_similarity
            )
            self.n_generated_ = len(self.generated_texts_)

        transfer = self.generated_texts_ + texts + unlabeled
        with self._stage("soft-label", f"labeled {len(transfer)} transfer texts"):
            targets = soften(self._teacher_proba(teacher, transfer), self.temperature)
            labeled = slice(self.n_generated_, self.n_generated_ + len(texts))
            onehot = np.eye(len(self.classes_))[y_encoded]
            targets[labeled] = self.alpha * targets[labeled] + (1 - self.alpha) * onehot
        self.n_transfer_ = len(transfer)

        with self._stage("student", f"fitted {type(student).__name__} on {len(transfer)} texts"):
            self.student_ = student.fit(transfer, targets.astype(np.float32))
            self.history_["student"] = epoch_history(self.student_)

        if self.keep_teacher:
            self.teacher_ = teacher
        if self.keep_generator and memory.location is None and n > 0:
            self.generator_ = generator
        return self

    def get_params(self, deep=True):
        params = super().get_params(deep=deep)
        if deep:  # expose the parameters of the default components too
            for name, default in DEFAULT_COMPONENTS.items():
                if params[name] is None:
                    nested = default().get_params(deep=True)
                    params.update({f"{name}__{key}": value for key, value in nested.items()})
        return params

    def set_params(self, **params):
        check_param_names(self, params)
        for name, default in DEFAULT_COMPONENTS.items():
            # Setting a nested parameter of a default component builds that component.
            if params.get(name, getattr(self, name)) is None and any(
                key.startswith(f"{name}__") for key in params
            ):
                params[name] = default()
        return BaseEstimator.set_params(self, **params)  # names already checked above

    def _components(self):
        """Clone the components, set their shared parameters and check their methods."""
        rng = check_random_state(self.random_state)
        components = {}
        for name, needed in [
            ("teacher", ("fit", "predict_proba")),
            ("generator", ("fit", "generate")),
            ("student", ("fit", "predict_proba")),
        ]:
            given = getattr(self, name)
            component = clone(given if given is not None else DEFAULT_COMPONENTS[name](),
                              safe=False)
            components[name] = component
            missing = [method for method in needed if not hasattr(component, method)]
            if missing:
                raise TypeError(
                    f"{name}={component!r} has no {' or '.join(missing)} method; a {name} "
                    f"needs {' and '.join(needed)}."
                )
            # A component that clones to itself (FrozenEstimator) is used as it is.
            if hasattr(component, "get_params") and component is not given:
                component.set_params(**self._shared_params(component, rng))
        return (components["teacher"], components["generator"], components["student"],
                rng.randint(np.iinfo(np.int32).max))

    def _shared_params(self, component, rng):
        """One seed for every ``random_state`` (nested ones too, as scikit-learn's ensembles
        do); ``device`` where present; ``verbose`` on this package's own components."""
        params = component.get_params(deep=True)
        shared = {key: rng.randint(np.iinfo(np.int32).max)
                  for key in sorted(params) if key.split("__")[-1] == "random_state"}
        if "device" in params:
            shared["device"] = self.device
        if isinstance(component, (TransformerClassifier, CausalLMGenerator, StudentClassifier)):
            shared["verbose"] = self.verbose if self.verbose >= 2 else 0
        return shared

    def _teacher_proba(self, teacher, texts):
        """Teacher probabilities with columns in the order of ``classes_``."""
        proba = np.asarray(teacher.predict_proba(texts), dtype=np.float64)
        teacher_classes = getattr(teacher, "classes_", self.classes_)
        if not np.array_equal(teacher_classes, self.classes_):
            if len(teacher_classes) != len(self.classes_) or not np.isin(
                self.classes_, teacher_classes
            ).all():
                raise ValueError(f"The teacher's classes {list(teacher_classes)} are not the "
                                 f"classes of y {list(self.classes_)}.")
            proba = proba[:, np.searchsorted(teacher_classes, self.classes_)]
        return proba

    def _stage(self, name, done_message):
        return _Stage(self, name, done_message)

    def predict_proba(self, X):
        """Class probabilities from the student, columns in the order of ``classes_``."""
        check_is_fitted(self, "student_")
        return self.student_.predict_proba(check_texts(X))

    def export_onnx(self, path):
        """Save the student as an ONNX model; see :meth:`StudentClassifier.export_onnx`.

        Its probability columns are in the order of ``classes_``.
        """
        check_is_fitted(self, "student_")
        if not hasattr(self.student_, "export_onnx"):
            raise TypeError(f"The student {type(self.student_).__name__} has no export_onnx.")
        return self.student_.export_onnx(path)




class _Stage:
    """Times one stage into ``stage_times_`` and prints its line when ``verbose``."""

    order = ("teacher", "generator", "filter", "soft-label", "student")

    def __init__(self, estimator, name, done_message):
        self.estimator, self.name, self.done_message = estimator, name, done_message

    def __enter__(self):
        self.start = time.perf_counter()

    def __exit__(self, exc_type, *exc):
        elapsed = time.perf_counter() - self.start
        self.estimator.stage_times_[self.name] = elapsed
        if exc_type is None and self.estimator.verbose:
            step = self.order.index(self.name) + 1
            message = self.done_message.format(**vars(self.estimator))
            print(f"[GenerationDistillation] ({step}/5) {self.name}: {message} "
                  f"in {elapsed:.1f}s", flush=True)
