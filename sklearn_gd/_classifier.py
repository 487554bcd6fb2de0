"""GenerationDistillationClassifier: teacher, generator, filter, soft labels, student."""

import inspect
import os
import time
import warnings
from numbers import Integral, Real
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.ensemble import VotingClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, InvalidParameterError
from sklearn.utils.validation import check_is_fitted, check_memory

from ._persistence import config_text, read_config, write_config
from ._utils import (
    TextClassifierMixin,
    check_labels,
    check_param_names,
    check_texts,
    keep_torch_rng,
    resolve_device,
)
from .filtering import filter_generated
from .generator import CausalLMGenerator
from .guard import (  # SharedWordsVotingClassifier: pickles of 0.1.0 name it here
    AVERAGED_DEFAULT_BASELINES,
    BASELINE_AVERAGE,
    SharedWordsVotingClassifier,  # noqa: F401
    average_of_baselines,
    choose_fallback,
    cross_validate_candidates,
    default_baselines,
    distillation_pays,
    one_fit,
    selection_message,
)
from .hub import resolve_model
from .prior import correct_prior
from .student import StudentClassifier
from .teacher import TransformerClassifier
from .word_vectors import EncoderWordVectors

__all__ = [
    "DistillationWarning",
    "GenerationDistillationClassifier",
    "GenerationWarning",
]


class DistillationWarning(UserWarning):
    """``fit`` kept the baselines (their average, or one of them): the distilled student
    did not beat them clearly on held-out labeled texts; or the guard could not check it
    (a class with a single labeled text)."""


class GenerationWarning(UserWarning):
    """The generator gave (almost) no usable texts."""


def default_generator():
    """The generator used for ``generator=None``: SmolLM2, label-conditioned.

    Prompts carrying the labels in their training proportions give class-balanced samples;
    unconditioned samples leaned to one class (39% of them were labeled World by the
    teacher on AG News) and distilled into a slightly less accurate student
    (``benchmarks/distillation_defaults.py``).
    """
    return CausalLMGenerator(conditional=True)


def default_student():
    """The student used for ``student=None``: the bag of the teacher's word vectors.

    Its word vectors are read out of the finetuned teacher and kept fixed
    (``word_vectors="teacher"``): learned from a few thousand generated texts instead,
    they reached 0.72 validation accuracy against 0.79 at AG News K=16, and 0.66 against
    0.70 at SST-2 K=100 (``benchmarks/word_vectors.py``). Beside them each word has a
    trainable score per class (``word_scores="auto"``), so that the student still learns
    what a word means for these labels: 0.688 against 0.713 on SST-2's dev sentences
    at K=100 (``benchmarks/student_word_scores.py``). Fitted on teacher-labeled
    generated texts, the student overfits the teacher's mistakes on them within a few
    epochs: it keeps the epoch whose loss against the teacher is lowest on 10% of the
    transfer texts held out (no true labels needed). Five such fits, each holding out
    other texts, are averaged into one network of the same size (``n_averaged=5``):
    0.7 and 0.6 points more at SST-2 K=16 and K=100, 0.1 and 0.7 at AG News K=16 and
    K=100, on validation texts (``benchmarks/student_averaging.py``).
    """
    return StudentClassifier(learning_rate=1e-2, epochs=50, early_stopping=True,
                             word_vectors="teacher", n_averaged=5)


def _is_empty_list(X):
    return (isinstance(X, (list, tuple)) or getattr(X, "ndim", None) == 1) and len(X) == 0



def _teacher_vector_params(student):
    """Names of the student's (nested) ``word_vectors`` parameters set to ``"teacher"``."""
    if not hasattr(student, "get_params"):
        return []
    return [name for name, value in student.get_params(deep=True).items()
            if name.split("__")[-1] == "word_vectors" and isinstance(value, str)
            and value == "teacher"]


def _release_teacher(model, vectors):
    """Set the parameters holding ``vectors`` (the teacher's word vectors that ``fit`` filled
    in) back to ``"teacher"`` in a fitted model (nested ones too), and in the fitted members
    of a ``VotingClassifier``: they are in its weights now, and the vectors would keep the
    teacher's encoder alive. Vectors the user passed are left alone."""
    if vectors is None:
        return
    for member in [model, *getattr(model, "estimators_", [])]:
        if not hasattr(member, "get_params"):
            continue
        names = [name for name, value in member.get_params(deep=True).items()
                 if name.split("__")[-1] == "word_vectors" and value is vectors]
        if names:
            member.set_params(**dict.fromkeys(names, "teacher"))


def _teacher_word_vectors(teacher):
    """Word vectors from a fitted :class:`TransformerClassifier` or :class:`SetFitClassifier`
    teacher (also one inside a ``FrozenEstimator``); None, for vectors learned by the
    student, from any other teacher."""
    teacher = getattr(teacher, "estimator", teacher)
    return EncoderWordVectors(teacher) if isinstance(teacher, TransformerClassifier) else None


# What generator=None, teacher=None and student=None stand for.
DEFAULT_COMPONENTS = {
    "generator": default_generator,
    "teacher": TransformerClassifier,
    "student": default_student,
}


def _source_of(estimator):
    """The source code of the module that defines ``estimator``'s class (None where it
    cannot be read), so that the cache key changes with the code, not only with the
    parameters: a new default inside that module (say, the teacher's fewest epochs) must
    not hand back a model fitted by the old code."""
    try:
        return inspect.getsource(inspect.getmodule(type(estimator)))
    except (OSError, TypeError):
        return None


def _fit_teacher(teacher, X, y, source=None):
    """``source`` (from :func:`_source_of`) is only part of the cache key."""
    return teacher.fit(X, y)


def _fit_generator_and_sample(generator, X, y, n, seed, source=None):
    """The samples, the training text each was prompted from (None where unknown) and the
    generator's training curve. ``source`` is only part of the cache key."""
    generator.fit(X, y)
    if isinstance(generator, CausalLMGenerator):
        texts, sources = generator.generate(n, random_state=seed, return_sources=True)
    else:
        texts, sources = generator.generate(n, random_state=seed), None
    return texts, sources, epoch_history(generator)


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


def _teacher_classes(teacher, classes):
    """The teacher's ``classes_`` as a list; an error if they are not the classes of y."""
    known = getattr(teacher, "classes_", None)
    known = classes.tolist() if known is None else np.asarray(known).tolist()
    if sorted(map(str, known)) != sorted(map(str, classes.tolist())) or len(set(known)) != len(
        known
    ):
        raise ValueError(
            f"The teacher's classes {known} are not the classes of y {classes.tolist()}. "
            "Refit the teacher on these labels (a frozen teacher must have been fitted on "
            "the same label values)."
        )
    return known


def _check_generated(generated, generator):
    """The generator's texts as a list of str, or a TypeError naming what it returned."""
    if generated is None or isinstance(generated, (str, bytes)) or not hasattr(
        generated, "__iter__"
    ):
        raise TypeError(
            f"{type(generator).__name__}.generate(n) must return a list of strings; it "
            f"returned {type(generated).__name__}."
        )
    generated = list(generated)
    bad = [i for i, text in enumerate(generated) if not isinstance(text, str)]
    if bad:
        raise TypeError(
            f"{type(generator).__name__}.generate(n) must return a list of strings; item "
            f"{bad[0]} is {type(generated[bad[0]]).__name__} ({len(bad)} items are not "
            "strings)."
        )
    return generated


def _kept_sources(generated, sources, kept):
    """The source of each kept sample (kept texts are unique), or None."""
    if sources is None:
        return None
    source_of = dict(zip(generated, np.asarray(sources).tolist(), strict=True))
    return np.asarray([source_of[text] for text in kept], dtype=np.int64)


def _dropped(report):
    return ", ".join(f"{count} {reason}" for reason, count in report.items()
                     if reason != "kept" and count) or "none"



class GenerationDistillationClassifier(TextClassifierMixin, ClassifierMixin, BaseEstimator):
    """A small, fast text classifier distilled from a large one through generated texts.

    ``fit(X, y)`` runs generation-distillation (Melas-Kyriazi, Han & Liang, 2020):

    1. **teacher**: fit a large pretrained classifier on ``(X, y)``;
    2. **generator**: finetune a language model on the texts ``X``, then sample
       ``n_generated`` new in-domain texts;
    3. **filter**: drop empty, degenerate, duplicate and near-copied samples;
    4. **soft-label**: the teacher's class probabilities, softened by ``temperature``, for
       every transfer text (kept samples, ``X``, and ``X_unlabeled`` if given);
    5. **guard**: cross-validate, on the labeled texts, the student distilled this way
       against fast baselines fitted on the labels alone (``baselines``); if they do
       better, warn and keep the average of their probabilities instead;
    6. **student**: fit a small network on the transfer set against those soft targets;
       for the texts of ``X`` the target mixes the teacher (weight ``alpha``) with the true
       label (weight ``1 - alpha``); then shift its class prior back to the labels'
       (``prior_correction``).

    ``predict`` and ``predict_proba`` use the kept model (``student_``) only.

    Parameters
    ----------
    generator : estimator or None, default=None
        Object with ``fit(X, y=None)`` and ``generate(n, random_state=None)`` returning a
        list of texts. None uses :class:`CausalLMGenerator` (SmolLM2-135M) with
        ``conditional=True``: label-conditioned prompts give class-balanced samples.
    teacher : classifier or None, default=None
        Any classifier taking a list of texts with ``predict_proba`` (a Hugging Face model
        through :class:`TransformerClassifier`, or e.g. a TF-IDF + LogisticRegression
        pipeline). None uses :class:`TransformerClassifier` (MiniLM-L6 finetuned with a
        classification head). :class:`SetFitClassifier` is a more accurate teacher with
        few labels (7 points more at SST-2 K=16 on validation splits), but its softer
        probabilities distill into a less accurate student at AG News
        (``benchmarks/results/benchmark_setfit_teacher``). A teacher wrapped in
        :class:`sklearn.frozen.FrozenEstimator` is used as it is, not refitted.
    student : classifier or None, default=None
        Classifier whose ``fit`` accepts a 2-D matrix of class probabilities as ``y``.
        None uses :class:`StudentClassifier` (a TF-IDF-weighted bag of words, under
        2M parameters) with ``word_vectors="teacher"``, ``early_stopping=True``,
        ``learning_rate=1e-2`` and ``n_averaged=5`` (five fits averaged into one network
        of the same size): its word vectors are read out of the finetuned teacher
        (:class:`~sklearn_gd.EncoderWordVectors`) and kept fixed, so it
        knows words that the transfer set never shows it; trained until its loss against
        the teacher stops falling on held-out transfer texts, it does not overfit the
        teacher's mistakes on generated texts. Any student parameter
        ``word_vectors="teacher"`` gets the fitted teacher's vectors, when the teacher is
        a :class:`TransformerClassifier` or :class:`SetFitClassifier`; with any other
        teacher the student learns its own.
    n_generated : int, default=1000
        Texts sampled from the generator, before filtering. Sampling is the slowest stage
        on a CPU. 2,000 texts instead of 1,000 moved the student by -0.6 to +0.4 points
        (+0.1 on average) over seven validation points of AG News, SST-2 and BBC News
        (``benchmarks/sample_count.py``), for about two more minutes of fit on 2 cores.
        On the benchmark's test texts, up to 2,000 within a budget of 50,000 sampled
        tokens (the generator's ``max_sampled_tokens``) moved it by -1.5 to +1.45 points
        (+0.14 on average over 11 runs), for 40 to 130 s more fit. 0 skips the
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
    baselines : dict of str to classifier, or None, default=None
        Fast models fitted on the labels alone that the distilled student must beat. Before
        the student is fitted, each candidate is scored by stratified cross-validation on
        the labeled texts (one fit of the student, ``n_averaged=1``, on the transfer set
        without the held-out fold), and
        so is the average of the baselines' probabilities. When a baseline or the average
        comes within ``baseline_margin`` of the student, ``fit`` warns
        (:class:`DistillationWarning`) and keeps the average of all baselines, fitted on
        all labeled texts, as ``student_``; a single baseline is kept instead when there
        is only one, when one is not a scikit-learn classifier, or when one beats the
        average by 5 points or more. Each needs ``fit``, ``predict`` and ``predict_proba``.
        A baseline may read the teacher's word vectors (``word_vectors="teacher"``); its
        score, like the student's, is then optimistic, and it does not count against the
        student; it is dropped when the teacher has no word vectors. None compares with
        :func:`default_baselines`: the labels-only :class:`StudentClassifier`, the same
        student with the teacher's word vectors, and TF-IDF + logistic regression; the
        average is then of the two students only (a dict, even of the same models, is
        averaged whole). ``{}`` turns the check off. Names are
        strings without ``"__"``, other than ``"distilled"``, ``"baseline_average"`` and
        the parameters of ``VotingClassifier``.
    baseline_margin : float, default=0.05
        The distilled student is kept only if its cross-validated accuracy beats the best
        baseline's, and the average's, by more than this much (those that read the
        teacher's word vectors aside). Its estimate is optimistic:
        the teacher (whose word vectors the default student reads) and the generator saw
        every fold. In the benchmark runs of an earlier version, its lead over the best
        baseline in the check exceeded its lead on the test set by 5 to 18 points; at BBC
        News K=16 a lead of 2.5 points (0.950 against 0.925) kept a student 2.6 points
        below TF-IDF on the test set. 0.05 is the smallest of those gaps. A lead of
        exactly the margin, frequent with few labels (78 against 74 of 80 texts), goes to
        the baselines.
    prior_correction : bool, default=True
        Shift the distilled student's class prior back to the labels' class shares: its
        probabilities are multiplied by the labels' prior over the transfer set's (the
        mean of the soft targets) and renormalized. A student takes its prior from the
        teacher's soft labels, and a teacher that labels most samples as one class makes
        it predict that class far too often (at a rare topic with 16 labels per class, 43%
        of validation texts against the teacher's 28%). Texts of ``X_unlabeled`` keep the
        teacher's class shares (they estimate the real ones); each factor is at most 10
        (and at least 1/10). It assumes the labels' class shares are those of the texts
        to classify; turn it off when they are not (labels drawn K per class from skewed
        data cost 1.6 and 2.4 points at two of four runs of a 13%-minority test set, and
        gained 9.6 at a third). The guard scores the student shifted the same way. Applied to
        students with a ``shift_prior`` method (:class:`StudentClassifier`), never to a
        frozen one; see ``prior_ratio_``.
    memory : str, joblib.Memory or None, default=None
        Caches the fitted teacher and the generated texts (keyed by data, parameters,
        seed and the source code of the module defining the teacher's or generator's
        class), so that refitting with other student or distillation parameters skips
        them, and a new version of that code does not reuse them.
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
        The fitted model used by ``predict`` and ``predict_proba``: the distilled student,
        or what ``selected_`` names.
    selected_ : str
        ``"distilled"``; or ``"baseline_average"``, a soft-voting
        :class:`~sklearn.ensemble.VotingClassifier` of the baselines (by default the two
        students) that ``fit`` kept instead; or the name of the baseline kept (only one
        baseline, one that is not a scikit-learn classifier, or one whose cross-validated
        accuracy beat the average's by 5 points or more).
    selection_scores_ : dict
        Cross-validated accuracy on the labeled texts of ``"distilled"``, of each
        baseline and of ``"baseline_average"`` (empty when the check could not run: a
        class with one labeled text).
    prior_ratio_ : ndarray of shape (n_classes,) or None
        What the distilled student's probabilities were multiplied by
        (``prior_correction``); None when nothing was shifted.
    teacher_ : classifier
        The fitted teacher; only when ``keep_teacher=True``.
    generator_ : object
        The fitted generator; only when ``keep_generator=True`` and ``memory`` is None.
    generated_texts_ : list of str
        The generated texts kept by the filter.
    generated_labels_ : ndarray or None
        The label each kept generated text (``generated_texts_``) was asked for; None for
        an unconditioned generator or one that does not say which text prompted a sample.
    n_generated_ : int
        Number of generated texts kept by the filter.
    sample_label_agreement_ : float or None
        Share of the kept samples whose teacher label (the most probable class) is the
        label the generator was asked for; None for an unconditioned generator.
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
        "baselines": [dict, None],
        "baseline_margin": [Interval(Real, 0, 1, closed="both")],
        "prior_correction": ["boolean"],
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
        n_generated=1000,
        temperature=1.0,
        alpha=0.5,
        min_words=4,
        max_similarity=0.8,
        baselines=None,
        baseline_margin=0.05,
        prior_correction=True,
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
        self.baselines = baselines
        self.baseline_margin = baseline_margin
        self.prior_correction = prior_correction
        self.memory = memory
        self.keep_teacher = keep_teacher
        self.keep_generator = keep_generator
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    def fit(self, X, y, X_unlabeled=None):
        """Run the stages and fit the student.

        Everything that can be checked is checked before the teacher is trained (the
        inputs, every component's parameters, model names and device). A fit that raises,
        or is interrupted, leaves a fitted classifier exactly as it was.

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
        texts = check_texts(X, require_words=True)
        # An empty list of unlabeled texts is none at all.
        unlabeled = ([] if X_unlabeled is None or _is_empty_list(X_unlabeled)
                     else check_texts(X_unlabeled, "X_unlabeled"))
        classes, y_encoded = check_labels(y, len(texts))
        teacher, generator, student, seed = self._components()
        baselines = self._baselines(seed, texts)
        self._check_components(teacher, generator, student, classes, texts, y_encoded)
        memory = check_memory(self.memory)
        # Fitted attributes are collected here and set only at the end.
        fit = {"classes_": classes, "stage_times_": {}, "history_": {}, "prior_ratio_": None}
        with keep_torch_rng():  # the components seed torch inside; the caller's stays
            self._run_stages(fit, memory, teacher, generator, student, baselines, seed,
                             texts, y_encoded, unlabeled)
        for attr in ("teacher_", "generator_", "student_"):
            self.__dict__.pop(attr, None)  # a refit must not keep the previous fit's models
        if self.keep_generator and memory.location is None and self.n_generated > 0:
            fit["generator_"] = generator
        self.__dict__.update(fit)
        return self

    def _run_stages(self, fit, memory, teacher, generator, student, baselines, seed,
                    texts, y_encoded, unlabeled):
        classes, history = fit["classes_"], fit["history_"]
        labels = classes[y_encoded]  # y as the user gave it, as an array
        with self._stage(fit, "teacher") as stage:
            teacher = memory.cache(_fit_teacher)(teacher, texts, labels, _source_of(teacher))
            if self.keep_teacher:  # the fitted one: from the cache, it is another object
                fit["teacher_"] = teacher
            history["teacher"] = epoch_history(teacher)
            _teacher_classes(teacher, classes)  # before the generator, not after it
            stage.message = f"fitted {type(teacher).__name__} on {len(texts)} texts"

        n = self.n_generated
        with self._stage(fit, "generator") as stage:
            generated, sources, history["generator"] = [], None, []
            if n > 0:  # else distill on X and X_unlabeled only: no generator to fit
                run = _fit_generator_and_sample
                if memory.location is not None:
                    run = memory.cache(run)
                generated, sources, history["generator"] = run(
                    generator, texts, labels, n, seed, _source_of(generator))
                generated = _check_generated(generated, generator)
            stage.message = (f"sampled {len(generated)} of {n} texts with "
                             f"{type(generator).__name__}")

        with self._stage(fit, "filter") as stage:
            kept, fit["filter_report_"] = filter_generated(
                generated, texts, min_words=self.min_words, max_similarity=self.max_similarity
            )
            fit["generated_texts_"], fit["n_generated_"] = kept, len(kept)
            stage.message = f"kept {len(kept)} of {len(generated)}"
            # Of what was sampled: a sampling budget may stop short of n on purpose.
            if n > 0 and len(kept) < max(1, len(generated) // 10):
                warnings.warn(
                    f"The filter kept {len(kept)} of the {len(generated)} generated texts "
                    f"asked for {n} (dropped: {_dropped(fit['filter_report_'])}): the student "
                    "learns from the labeled texts almost alone. Check the generator's "
                    "samples (keep_generator=True), or loosen min_words / max_similarity.",
                    GenerationWarning, stacklevel=3,
                )

        vector_params = _teacher_vector_params(student)
        # Baselines that read the teacher's vectors share the distilled student's optimism
        # in the check (the teacher saw every fold): they do not decide whether it pays.
        reads_teacher = {name for name, model in baselines.items()
                         if _teacher_vector_params(model)}
        vectors = _teacher_word_vectors(teacher) if vector_params or reads_teacher else None
        if vector_params:  # the student reads its word vectors out of the fitted teacher
            student.set_params(**dict.fromkeys(vector_params, vectors))
        for name in reads_teacher:
            if vectors is None:  # a teacher without word vectors: the baseline is moot
                del baselines[name]
            else:
                baselines[name].set_params(
                    **dict.fromkeys(_teacher_vector_params(baselines[name]), vectors))
        averaged = self._averaged_baselines(baselines)

        transfer = kept + texts + unlabeled
        labeled = np.arange(len(kept), len(kept) + len(texts))
        kept_sources = _kept_sources(generated, sources, kept)
        conditioned = kept_sources is not None and getattr(generator, "conditional", False)
        # Samples of a conditional generator were asked for their source's label.
        fit["generated_labels_"] = labels[kept_sources] if conditioned else None
        with self._stage(fit, "soft-label") as stage:
            targets = soften(self._teacher_proba(teacher, transfer, classes), self.temperature)
            onehot = np.eye(len(classes))[y_encoded]
            targets[labeled] = self.alpha * targets[labeled] + (1 - self.alpha) * onehot
            targets = targets.astype(np.float32)
            stage.message = f"labeled {len(transfer)} transfer texts"
            fit["sample_label_agreement_"] = None
            if conditioned and kept:
                fit["sample_label_agreement_"] = float(np.mean(
                    targets[: len(kept)].argmax(axis=1) == y_encoded[kept_sources]))
        fit["n_transfer_"] = len(transfer)

        real = np.arange(len(transfer)) >= len(kept) + len(texts)  # X_unlabeled's rows
        with self._stage(fit, "guard") as stage:
            scores = cross_validate_candidates(
                one_fit(student), baselines, transfer, targets, labeled, y_encoded, seed,
                sources=None if kept_sources is None else np.concatenate(
                    [kept_sources, np.arange(len(texts)), np.full(len(unlabeled), -1)]),
                averaged=averaged, prior_correction=self.prior_correction, unlabeled=real,
            )
            selected = "distilled"
            if scores and not distillation_pays(scores, self.baseline_margin,
                                                biased=reads_teacher, averaged=averaged):
                selected = choose_fallback(scores)
            fit["selected_"], fit["selection_scores_"] = selected, scores
            stage.message = selection_message(scores, selected)
            if baselines and not scores:
                counts = np.bincount(y_encoded, minlength=len(classes))
                smallest = classes.tolist()[counts.argmin()]
                warnings.warn(
                    "The distilled student is kept unchecked: the guard cross-validates on "
                    "the labeled texts and needs at least 2 of each class, but "
                    f"{smallest!r} has {counts.min()}. Label more texts of it, or pass "
                    "baselines={} to turn the check off.",
                    DistillationWarning, stacklevel=3,
                )
            if selected != "distilled":
                warnings.warn(
                    "Distillation did not pay on this data: cross-validated on the labeled "
                    f"texts, {selection_message(scores, selected)}. The classifier uses "
                    f"{selected!r}"
                    + (f", the average of the probabilities of {' and '.join(averaged)}"
                       if selected == BASELINE_AVERAGE else "")
                    + " (see selected_ and selection_scores_); more labels, more generated "
                    "texts or a stronger teacher may change that.",
                    DistillationWarning, stacklevel=3,
                )

        with self._stage(fit, "student") as stage:
            if selected == "distilled":
                fit["student_"] = student.fit(transfer, targets)
                if self.prior_correction:
                    fit["prior_ratio_"] = correct_prior(fit["student_"], targets, y_encoded,
                                                        len(classes), real)
                stage.message = f"fitted {type(student).__name__} on {len(transfer)} texts"
            else:
                model = (average_of_baselines({name: baselines[name] for name in averaged})
                         if selected == BASELINE_AVERAGE else baselines[selected])
                fit["student_"] = model.fit(texts, y_encoded)
                stage.message = f"fitted {selected!r} on {len(texts)} labeled texts"
            history["student"] = epoch_history(fit["student_"])
            if vector_params:
                student.set_params(**dict.fromkeys(vector_params, "teacher"))
            _release_teacher(fit["student_"], vectors)

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

    def _averaged_baselines(self, baselines):
        """Names of the ``baselines`` whose probabilities the fallback averages: the
        students of the default baselines, or all baselines (also when the teacher has no
        word vectors for ``"teacher_vectors"``)."""
        students = [name for name in AVERAGED_DEFAULT_BASELINES if name in baselines]
        if self.baselines is None and len(students) > 1:
            return students
        return list(baselines)

    def _baselines(self, seed, texts):
        if self.baselines is None:
            baselines = default_baselines(seed)
            # TF-IDF reads words of two or more letters or digits: texts of emoji or
            # punctuation alone give it nothing to fit (the students read those marks).
            read = baselines["tfidf_lr"].steps[0][1].build_analyzer()
            if not any(read(text) for text in texts):
                del baselines["tfidf_lr"]
                warnings.warn(
                    "No labeled text holds a word that TF-IDF reads (two or more letters or "
                    "digits), so the guard leaves the TF-IDF + LR baseline out.",
                    DistillationWarning, stacklevel=3,
                )
            return baselines
        # Names the guard's scores use, and ones VotingClassifier (the average) refuses.
        reserved = {"distilled", BASELINE_AVERAGE, *VotingClassifier([]).get_params()}
        for name, baseline in self.baselines.items():
            if not isinstance(name, str) or "__" in name or name in reserved:
                raise ValueError(
                    f"baselines has the name {name!r}; names must be strings without '__', "
                    f"other than {sorted(reserved)}. Rename it."
                )
            if not all(hasattr(baseline, method) for method in ("fit", "predict",
                                                                 "predict_proba")):
                raise TypeError(
                    f"baselines[{name!r}]={baseline!r} has no fit, predict or predict_proba "
                    "method; the kept model must give class probabilities (wrap a model "
                    "without them in sklearn.calibration.CalibratedClassifierCV)."
                )
        return {name: clone(baseline) for name, baseline in self.baselines.items()}

    def _check_components(self, teacher, generator, student, classes, texts, y_encoded):
        """Check, before any training, what would otherwise fail only after it."""
        resolve_device(self.device)
        for name, component in [("teacher", teacher), ("generator", generator),
                                 ("student", student)]:
            if name == "generator" and self.n_generated == 0:
                continue
            if isinstance(component, FrozenEstimator):
                continue
            if hasattr(component, "_parameter_constraints"):
                try:
                    component._validate_params()
                except InvalidParameterError as error:
                    raise InvalidParameterError(f"{name}: {error}") from None
            params = component.get_params() if hasattr(component, "get_params") else {}
            if "device" in params:
                resolve_device(params["device"])
            if isinstance(params.get("model"), (str, os.PathLike)):
                resolve_model(params["model"])  # downloads or converts it once, up front
        if isinstance(teacher, FrozenEstimator):
            _teacher_classes(teacher, classes)  # a frozen teacher's classes must be y's
        if not isinstance(student, StudentClassifier):
            # A student must learn from class probabilities: try it on the labels, as such.
            try:
                clone(student).fit(texts, np.eye(len(classes))[y_encoded].astype(np.float32))
            except Exception as error:  # noqa: BLE001 - any failure means it cannot
                raise TypeError(
                    f"The student {type(student).__name__} cannot be fitted on class "
                    f"probabilities (a 2-D y): {type(error).__name__}: {error}. Use "
                    "StudentClassifier, or a classifier whose fit accepts soft targets."
                ) from error

    def _teacher_proba(self, teacher, texts, classes):
        """Teacher probabilities with columns in the order of ``classes``."""
        proba = np.asarray(teacher.predict_proba(texts), dtype=np.float64)
        if proba.shape != (len(texts), len(classes)):
            raise ValueError(
                f"The teacher's predict_proba returned shape {proba.shape} for {len(texts)} "
                f"texts and {len(classes)} classes; it must return one row per text and one "
                "column per class."
            )
        bad = ~np.isfinite(proba).all(axis=1) | (proba < 0).any(axis=1)
        if bad.any():
            raise ValueError(
                f"The teacher's predict_proba returned NaN, infinite or negative values for "
                f"{bad.sum()} of {len(texts)} texts: its training probably diverged. Try a "
                "lower teacher learning rate (teacher__learning_rate) or another teacher."
            )
        # Map columns by label, not by position: a teacher's classes_ need not be sorted.
        column = {label: i for i, label in enumerate(_teacher_classes(teacher, classes))}
        return proba[:, [column[label] for label in classes.tolist()]]

    def _stage(self, fit, name):
        return _Stage(self, fit["stage_times_"], name)

    def predict_proba(self, X):
        """Class probabilities from the student, columns in the order of ``classes_``."""
        check_is_fitted(self, "student_")
        return self.student_.predict_proba(check_texts(X))

    def save(self, folder):
        """Save the fitted model without pickle: loading it with :meth:`load` runs no code.

        Writes ``config.json`` (classes, which model was kept, ``prior_ratio_``) and the
        student's files (:meth:`StudentClassifier.save`) into ``folder``. ``joblib.dump``
        and ``pickle`` work too, but loading a pickle runs whatever code the file names:
        load those only from sources you trust.

        Parameters
        ----------
        folder : str or path-like

        Returns
        -------
        folder : str
        """
        check_is_fitted(self, "student_")
        if not hasattr(self.student_, "save"):
            raise TypeError(
                f"The kept model ({self.selected_!r}, a {type(self.student_).__name__}) has no "
                "safe save; use joblib.dump for it, and load the file only where you trust it."
            )
        folder = Path(folder)
        ratio = getattr(self, "prior_ratio_", None)
        config = config_text("sklearn_gd.GenerationDistillationClassifier", self.classes_,
                             selected=self.selected_,
                             prior_ratio=None if ratio is None else ratio.tolist())
        self.student_.save(folder / "student")
        write_config(folder, config)
        return str(folder)

    @classmethod
    def load(cls, folder, device="cpu"):
        """Load a classifier written by :meth:`save`, ready to predict (no pickle).

        Parameters
        ----------
        folder : str or path-like
        device : str, default="cpu"
            Where the student runs.

        Returns
        -------
        classifier : GenerationDistillationClassifier
        """
        config, classes = read_config(folder, "sklearn_gd.GenerationDistillationClassifier")
        classifier = cls(device=device)
        classifier.classes_ = classes
        classifier.selected_ = config["selected"]
        ratio = config.get("prior_ratio")  # absent from files of earlier versions
        classifier.prior_ratio_ = None if ratio is None else np.asarray(ratio)
        classifier.student_ = StudentClassifier.load(Path(folder) / "student", device=device)
        return classifier

    def export_onnx(self, path):
        """Save the student as an ONNX model; see :meth:`StudentClassifier.export_onnx`.

        Its probability columns are in the order of ``classes_``.
        """
        check_is_fitted(self, "student_")
        if not hasattr(self.student_, "export_onnx"):
            raise TypeError(f"The student {type(self.student_).__name__} has no export_onnx.")
        return self.student_.export_onnx(path)




class _Stage:
    """Times one stage into ``stage_times`` and prints its line when ``verbose``."""

    order = ("teacher", "generator", "filter", "soft-label", "guard", "student")

    def __init__(self, estimator, stage_times, name):
        self.estimator, self.stage_times, self.name = estimator, stage_times, name
        self.message = ""

    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, exc_type, *exc):
        elapsed = time.perf_counter() - self.start
        self.stage_times[self.name] = elapsed
        if exc_type is None and self.estimator.verbose:
            step = self.order.index(self.name) + 1
            print(f"[GenerationDistillation] ({step}/{len(self.order)}) {self.name}: "
                  f"{self.message} in {elapsed:.1f}s", flush=True)
