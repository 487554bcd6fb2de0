"""StudentClassifier: a small torch text classifier trained through skorch."""

import copy
import json
import math
import re
from collections import Counter
from itertools import chain, islice
from numbers import Integral, Real
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.decomposition import PCA
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted
from skorch import NeuralNet
from skorch.callbacks import EarlyStopping, ProgressBar
from skorch.dataset import ValidSplit
from torch import nn

from ._persistence import config_text, read_config, write_config
from ._utils import (
    TextClassifierMixin,
    check_labels,
    check_texts,
    resolve_device,
    seed_from,
    torch_seed,
)

__all__ = ["BiLSTMModule", "WordBagModule", "StudentClassifier", "TextCNNModule"]

# Lower-cased words and single punctuation marks, as a BERT pre-tokenizer splits them.
_WORDS = re.compile(r"\w+|[^\w\s]")


def _fix_vectors(embedding, vectors):
    """Copy fixed word vectors (one row per id) into ``embedding`` and freeze it."""
    with torch.no_grad():
        embedding.weight.copy_(torch.as_tensor(vectors))
    embedding.weight.requires_grad_(False)


def _average_trained_weights(modules):
    """Set the trained parameters of ``modules[0]`` to their mean over ``modules``."""
    named = [dict(module.named_parameters()) for module in modules]
    with torch.no_grad():
        for name, parameter in named[0].items():
            if parameter.requires_grad:  # fixed word vectors are the same in every fit
                parameter.copy_(torch.stack([params[name] for params in named]).mean(dim=0))


def _masked_max(hidden, mask):
    """Max over time of ``hidden`` (B, T, H), ignoring padded steps; 0 for an empty text."""
    hidden = hidden.masked_fill(~mask.unsqueeze(-1), float("-inf")).max(dim=1).values
    return hidden.masked_fill(torch.isinf(hidden), 0.0)


class TextCNNModule(nn.Module):
    """Word embeddings, one convolution over 3-word windows, max-pooling over time."""

    def __init__(self, vocab_size, n_classes, embedding_dim=48, hidden_size=128, dropout=0.3):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=0)
        self.conv = nn.Conv1d(embedding_dim, hidden_size, kernel_size=3, padding=1)
        self.dropout = nn.Dropout(dropout)
        self.output = nn.Linear(hidden_size, n_classes)

    def forward(self, input_ids):
        mask = input_ids != 0
        embedded = self.dropout(self.embedding(input_ids)).transpose(1, 2)
        hidden = torch.relu(self.conv(embedded)).transpose(1, 2)
        return self.output(self.dropout(_masked_max(hidden, mask)))


class BiLSTMModule(nn.Module):
    """Word embeddings, a bidirectional LSTM, max-pooling over time (the paper's student family)."""

    def __init__(self, vocab_size, n_classes, embedding_dim=48, hidden_size=128, dropout=0.3):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=0)
        self.lstm = nn.LSTM(embedding_dim, hidden_size, batch_first=True, bidirectional=True)
        self.dropout = nn.Dropout(dropout)
        self.output = nn.Linear(2 * hidden_size, n_classes)

    def forward(self, input_ids):
        mask = input_ids != 0
        hidden, _ = self.lstm(self.dropout(self.embedding(input_ids)))
        return self.output(self.dropout(_masked_max(hidden, mask)))


class WordBagModule(nn.Module):
    """TF-IDF-weighted sum of word embeddings, then a linear layer.

    fastText's shape, with the TF-IDF weighting and near-zero start that make linear text
    models strong on small data. :class:`StudentClassifier` computes the weights.

    With ``word_scores``, each word also has its own trainable score per class, summed
    with the same weights and added to the output: a TF-IDF linear model beside the
    embeddings. It lets a student whose embeddings are fixed learn what a word means for
    this task when the fixed vectors do not say it.
    """

    def __init__(self, vocab_size, n_classes, embedding_dim=48, dropout=0.3, word_scores=False):
        super().__init__()
        self.embedding = nn.EmbeddingBag(vocab_size, embedding_dim, mode="sum", padding_idx=0)
        # Start near zero, as a linear model does: large random word vectors act as noise.
        nn.init.normal_(self.embedding.weight, std=0.01)
        self.dropout = nn.Dropout(dropout)
        self.output = nn.Linear(embedding_dim, n_classes)
        self.word_scores = None
        if word_scores:
            self.word_scores = nn.EmbeddingBag(vocab_size, n_classes, mode="sum", padding_idx=0)
            nn.init.zeros_(self.word_scores.weight)  # it starts as the embeddings alone

    def forward(self, input_ids, weights):
        logits = self.output(self.dropout(self.embedding(input_ids, per_sample_weights=weights)))
        if self.word_scores is not None:
            logits = logits + self.word_scores(input_ids, per_sample_weights=weights)
        return logits


ARCHITECTURES = {"bag": WordBagModule, "cnn": TextCNNModule, "bilstm": BiLSTMModule}


class StudentNet(NeuralNet):
    """skorch's ``NeuralNet``, pickled without its optimizer's state.

    Adam keeps two numbers per weight: a labels-only student fitted at BBC News K=100
    saves to 3.4 MB, and its optimizer's state would add 6.1 MB
    (``benchmarks/predict_speed.py``). A fitted student only
    predicts (:meth:`StudentClassifier.fit` builds a new network anyway); an unpickled
    one gets a fresh optimizer, so that skorch's own training methods still work.
    """

    def __getstate__(self):
        missing = object()
        optimizer = self.__dict__.pop("optimizer_", missing)
        try:
            return super().__getstate__()
        finally:
            if optimizer is not missing:
                self.optimizer_ = optimizer

    def __setstate__(self, state):
        super().__setstate__(state)
        if self.initialized_ and "optimizer_" not in self.__dict__:
            self.initialize_optimizer()  # Adam creates its state at its first step


class StudentClassifier(TextClassifierMixin, ClassifierMixin, BaseEstimator):
    """A small, fast neural text classifier (under 1M parameters by default).

    Texts are lower-cased and split into words and punctuation marks by a regular
    expression; the ``vocab_size`` most frequent words of the training texts get an id. A
    small network then classifies the word ids. As a distillation student it is fitted on
    the teacher's soft targets; fitted on labels alone it is the "no distillation" baseline.
    Trained through skorch with Adam and cross-entropy, against hard labels or soft targets.

    Parameters
    ----------
    architecture : {"bag", "cnn", "bilstm"}, default="bag"
        ``"bag"``: TF-IDF-weighted bag of word embeddings and a linear layer (fastest, and
        the most accurate from a few thousand texts: see the README's benchmark table; with the
        teacher's fixed word vectors it matched ``"cnn"`` and ``"bilstm"`` at SST-2
        K=100, ``benchmarks/student_architecture.py``).
        ``"cnn"``: one convolution over 3-word windows, max-pooled.
        ``"bilstm"``: a bidirectional LSTM, max-pooled (the paper's baseline family).
    vocab_size : int, default=16000
        Most frequent words kept; others map to one unknown-word id. With
        ``word_vectors``, up to as many more words of the encoder's vocabulary are added,
        so that words absent from the training texts still have a vector.
    embedding_dim : int, default=48
        Size of the word vectors.
    hidden_size : int, default=128
        Convolution filters, or LSTM units per direction (``"bag"`` has no hidden layer).
    dropout : float, default=0.3
        Dropout on word vectors and on the pooled features.
    word_vectors : None, "teacher" or EncoderWordVectors, default=None
        Where the word vectors come from. None: learned from the training texts, from a
        near-zero start. An :class:`~sklearn_gd.EncoderWordVectors`: each
        word's vector from a finetuned transformer encoder, reduced by PCA to
        ``embedding_dim`` and kept fixed; only the layers above them are trained. On
        AG News with 16 labels per class, distilled from generated texts, fixed vectors
        from the finetuned teacher reached 0.79 validation accuracy against 0.72 for
        learned ones (``benchmarks/word_vectors.py``). ``"teacher"`` stands for the teacher
        of a :class:`~sklearn_gd.GenerationDistillationClassifier`, which fills it in.
    word_scores : "auto" or bool, default="auto"
        With ``"bag"``, give each word its own trainable score per class, added to the
        output: a TF-IDF linear model beside the embeddings. ``"auto"`` turns it on with
        ``word_vectors``, whose fixed vectors cannot learn what a word means for this task:
        distilled from generated texts, it raised validation accuracy from 0.688 to 0.713
        at SST-2 K=100 (dev sentences) and from 0.824 to 0.839 at AG News K=100
        (``benchmarks/student_word_scores.py``).
    max_length : int, default=512
        Texts are truncated to this many words. Long enough for news articles and reviews:
        at 128 words the student read a third of a BBC News article (383 words on average)
        where TF-IDF reads all of it.
    epochs : int, default=40
        Passes over the training texts.
    learning_rate : float, default=1e-2
        Adam learning rate.
    batch_size : int, default=64
        Texts per step.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the texts and stop when their loss has not
        fallen for ``n_iter_no_change`` epochs, keeping the weights of the best epoch. With
        soft targets this needs no true labels: the held-out loss measures agreement with
        the teacher. Off by default, for a few hundred labeled texts every one counts;
        :class:`~sklearn_gd.GenerationDistillationClassifier` turns it on for its default
        student.
    validation_fraction : float, default=0.1
        Share of the texts held out when ``early_stopping`` (stratified for hard labels).
    n_iter_no_change : int, default=3
        Epochs without improvement of the held-out loss before stopping.
    n_averaged : int, default=1
        Fit the network this many times, with other seeds (start, dropout, batch order
        and held-out texts), and keep the mean of the trained weights. Only for ``"bag"``
        with ``word_vectors``: with its word vectors fixed the network is linear in what
        it trains, so the mean of the weights gives the mean of the fits' logits, an
        ensemble at the size and speed of one network. Fit time grows ``n_averaged``
        times.
    device : str, default="auto"
        Torch device; ``"auto"`` uses CUDA when available, else the CPU.
    random_state : int, RandomState instance or None, default=None
        Seeds initialisation, dropout and batch order.
    verbose : int, default=0
        0 is silent; 1 prints one line per epoch; 2 adds progress bars.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels; ``arange(n_classes)`` when fitted on soft targets.
    net_ : StudentNet
        The fitted network; ``net_.history_`` holds the loss of each epoch (and the
        held-out ``valid_loss`` with ``early_stopping``), of the first fit when
        ``n_averaged > 1``.
    vocabulary_ : dict
        Word to id, learned in ``fit`` (0 is padding, 1 an unknown word), with the
        encoder's words after the training texts' words when ``word_vectors`` is set.
    n_parameters_ : int
        Number of parameters of the network.
    """

    _parameter_constraints = {
        "architecture": [StrOptions(set(ARCHITECTURES))],
        "vocab_size": [Interval(Integral, 3, None, closed="left")],
        "embedding_dim": [Interval(Integral, 1, None, closed="left")],
        "hidden_size": [Interval(Integral, 1, None, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "word_vectors": [None, StrOptions({"teacher"}), HasMethods(["words", "__call__"])],
        "word_scores": [StrOptions({"auto"}), "boolean"],
        "max_length": [Interval(Integral, 1, None, closed="left")],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "n_averaged": [Interval(Integral, 1, None, closed="left")],
        "device": [str, None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        architecture="bag",
        *,
        vocab_size=16000,
        embedding_dim=48,
        hidden_size=128,
        dropout=0.3,
        word_vectors=None,
        word_scores="auto",
        max_length=512,
        epochs=40,
        learning_rate=1e-2,
        batch_size=64,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=3,
        n_averaged=1,
        device="auto",
        random_state=None,
        verbose=0,
    ):
        self.architecture = architecture
        self.vocab_size = vocab_size
        self.embedding_dim = embedding_dim
        self.hidden_size = hidden_size
        self.dropout = dropout
        self.word_vectors = word_vectors
        self.word_scores = word_scores
        self.max_length = max_length
        self.epochs = epochs
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.n_averaged = n_averaged
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    def fit(self, X, y):
        """Fit on texts ``X`` with hard labels or soft targets ``y``.

        Parameters
        ----------
        X : list of str
            Training texts.
        y : array-like of shape (n_samples,) or (n_samples, n_classes)
            Labels (1-D, any sortable type) or class probabilities (2-D, rows summing to 1;
            ``classes_`` is then ``arange(n_classes)``).

        Returns
        -------
        self : StudentClassifier
        """
        self._validate_params()
        if isinstance(self.word_vectors, str):
            raise ValueError(
                'word_vectors="teacher" is filled in by GenerationDistillationClassifier. '
                "To fit this student alone, pass word_vectors=EncoderWordVectors(teacher) "
                "with a fitted SetFitClassifier or TransformerClassifier, or "
                "word_vectors=None."
            )
        if self.n_averaged > 1 and (self.architecture != "bag" or self.word_vectors is None):
            raise ValueError(
                f"n_averaged={self.n_averaged} needs architecture='bag' with word_vectors: "
                "only with fixed word vectors is the network linear in its trained weights, "
                "so that their mean is the mean of the fits. Use n_averaged=1."
            )
        texts = check_texts(X, require_words=True)
        resolve_device(self.device)
        targets = self._check_targets(y, len(texts))
        seed = seed_from(self.random_state)  # one draw: split and weights agree
        self.vocabulary_ = self._learn_vocabulary(texts)
        vectors = None
        if self.word_vectors is not None:
            self._add_encoder_words()
            vectors = self._fixed_vectors()
        if self.architecture == "bag":
            self.idf_ = self._idf(self._ids(texts), len(self.vocabulary_) + 2)
        inputs = self.encode(texts)
        # The first fit keeps the drawn seed: n_averaged=1 is the single fit it always was.
        seeds = [seed, *np.random.default_rng(seed).integers(2**31, size=self.n_averaged - 1)]
        nets = [self._fit_net(inputs, targets, vectors, int(s)) for s in seeds]
        self.net_ = nets[0]
        if len(nets) > 1:
            _average_trained_weights([net.module_ for net in nets])
        self.n_parameters_ = sum(p.numel() for p in self.net_.module_.parameters())
        return self

    def _fit_net(self, inputs, targets, vectors, seed):
        with torch_seed(seed):
            net = self._make_net(self._validation_split(targets, seed)).initialize()
            if vectors is not None:
                _fix_vectors(net.module_.embedding, vectors)
            return net.partial_fit(inputs, targets)  # fit would re-initialize

    def _make_net(self, train_split=None):
        module_params = {
            "vocab_size": len(self.vocabulary_) + 2,
            "n_classes": len(self.classes_),
            "embedding_dim": self.embedding_dim,
            "dropout": self.dropout,
        }
        if self.architecture != "bag":
            module_params["hidden_size"] = self.hidden_size
        else:
            module_params["word_scores"] = self._uses_word_scores()
        return StudentNet(
            ARCHITECTURES[self.architecture],
            **{f"module__{key}": value for key, value in module_params.items()},
            criterion=nn.CrossEntropyLoss,  # takes class indices or class probabilities
            optimizer=torch.optim.Adam,
            lr=self.learning_rate,
            max_epochs=self.epochs,
            batch_size=self.batch_size,
            iterator_train__shuffle=True,
            iterator_valid__batch_size=1024,
            train_split=train_split,
            callbacks=self._callbacks(),
            device=resolve_device(self.device),
            verbose=int(self.verbose >= 1),
        )

    def save(self, folder):
        """Save the fitted student without pickle: loading it runs no code.

        Writes ``model.safetensors`` (the weights, and the TF-IDF weights of ``"bag"``),
        ``vocabulary.json`` and ``config.json`` (parameters and classes) into ``folder``.
        Load it with :meth:`load`. ``pickle`` and ``joblib`` also work, but loading a
        pickle runs whatever code the file names: load those only from sources you trust.

        Parameters
        ----------
        folder : str or path-like
            Created if needed; files already there are replaced.

        Returns
        -------
        folder : str
        """
        check_is_fitted(self)
        params = self.get_params()
        if not isinstance(params["random_state"], (int, np.integer, type(None))):
            params["random_state"] = None  # a RandomState instance does not go into JSON
        if not isinstance(params["word_vectors"], (str, type(None))):
            params["word_vectors"] = None  # the vectors are in the weights; the encoder is not
        params["word_scores"] = self._uses_word_scores()  # "auto" read word_vectors
        config = config_text("sklearn_gd.StudentClassifier", self.classes_, params=params)
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        tensors = {f"module.{name}": value.detach().cpu().contiguous()
                   for name, value in self.net_.module_.state_dict().items()}
        if self.architecture == "bag":
            tensors["idf"] = torch.as_tensor(self.idf_)
        save_file(tensors, folder / "model.safetensors")
        (folder / "vocabulary.json").write_text(json.dumps(self.vocabulary_), encoding="utf-8")
        write_config(folder, config)
        return str(folder)

    @classmethod
    def load(cls, folder, device="cpu"):
        """Load a student written by :meth:`save` (no pickle: no code is run).

        Parameters
        ----------
        folder : str or path-like
        device : str, default="cpu"
            Where the network runs.

        Returns
        -------
        student : StudentClassifier
        """
        folder = Path(folder)
        config, classes = read_config(folder, "sklearn_gd.StudentClassifier")
        student = cls(**{**config["params"], "device": device})
        student.classes_ = classes
        student.vocabulary_ = json.loads((folder / "vocabulary.json").read_text("utf-8"))
        tensors = load_file(folder / "model.safetensors")
        if student.architecture == "bag":
            student.idf_ = tensors.pop("idf").numpy()
        student.net_ = student._make_net().initialize()
        student.net_.module_.load_state_dict(
            {name.removeprefix("module."): value for name, value in tensors.items()}
        )
        student.n_parameters_ = sum(p.numel() for p in student.net_.module_.parameters())
        return student

    def _uses_word_scores(self):
        if self.word_scores == "auto":
            return self.word_vectors is not None
        return self.word_scores

    def _validation_split(self, targets, seed):
        if not self.early_stopping:
            return None
        stratified = targets.ndim == 1
        if stratified:  # labels: hold out every class, where there are enough texts for it
            counts = np.bincount(targets)
            counts = counts[counts > 0]
            n_valid = math.ceil(self.validation_fraction * len(targets))
            stratified = (counts.min() >= 2
                          and len(counts) <= n_valid <= len(targets) - len(counts))
        return ValidSplit(self.validation_fraction, stratified=stratified, random_state=seed)

    def _callbacks(self):
        callbacks = [ProgressBar()] if self.verbose >= 2 else []
        if self.early_stopping:
            # Keep the weights of the epoch with the lowest loss on the held-out texts.
            callbacks.append(EarlyStopping(patience=self.n_iter_no_change, load_best=True,
                                           sink=print if self.verbose else _silent))
        return callbacks

    def _check_targets(self, y, n_samples):
        if y is not None and np.ndim(y) > 2:
            raise ValueError(f"y must be 1-D labels or 2-D probabilities, got shape "
                             f"{np.shape(y)}.")
        if y is None or isinstance(y, (str, bytes)) or np.ndim(y) != 2:
            self.classes_, encoded = check_labels(y, n_samples)
            return encoded.astype(np.int64)
        y = np.asarray(y)
        if y.shape[0] != n_samples:
            raise ValueError(f"X has {n_samples} texts but y has {y.shape[0]} rows.")
        if y.ndim == 2:
            if not np.issubdtype(y.dtype, np.number):
                raise ValueError("2-D y must hold class probabilities (numbers).")
            if not np.isfinite(y).all():
                raise ValueError("2-D y holds NaN or infinite values; it must hold class "
                                 "probabilities.")
            if (y < 0).any() or not np.allclose(y.sum(axis=1), 1.0, atol=1e-3):
                raise ValueError(
                    "2-D y must hold class probabilities: non-negative rows that sum to 1. "
                    "For hard labels pass a 1-D array."
                )
            self.classes_ = np.arange(y.shape[1])
            return y.astype(np.float32)
        raise ValueError(f"y must be 1-D labels or 2-D probabilities, got shape {y.shape}.")

    def _learn_vocabulary(self, texts):
        """The ``vocab_size - 2`` most frequent words, numbered from 2 (0: padding, 1:
        unknown); ties keep the order of first appearance."""
        counts = Counter(chain.from_iterable(split_words(texts)))
        return {word: i + 2 for i, (word, _) in enumerate(counts.most_common(self.vocab_size - 2))}

    def _add_encoder_words(self):
        """Add up to ``vocab_size`` words of the encoder's vocabulary not seen in training."""
        extra = (word for word in self.word_vectors.words() if word not in self.vocabulary_)
        for word in islice(extra, self.vocab_size):
            self.vocabulary_[word] = len(self.vocabulary_) + 2

    def _fixed_vectors(self):
        """The encoder's vectors of the vocabulary, centred, PCA-reduced to
        ``embedding_dim`` and scaled to unit variance; zero rows for padding and unknown."""
        words = sorted(self.vocabulary_, key=self.vocabulary_.get)
        vectors = np.asarray(self.word_vectors(words), dtype=np.float64)
        vectors -= vectors.mean(axis=0)
        n_components = min(self.embedding_dim, *vectors.shape)
        vectors = PCA(n_components, svd_solver="full").fit_transform(vectors)
        vectors /= max(vectors.std(), 1e-12)
        fixed = np.zeros((len(words) + 2, self.embedding_dim), dtype=np.float32)
        fixed[2:, :n_components] = vectors
        return fixed

    def _ids(self, texts, words=None):
        """Word ids, one row per text (its first ``max_length`` words), padded with 0.
        ``words``: the texts already split by :func:`split_words`."""
        lookup, length = self.vocabulary_.get, self.max_length
        words = split_words(texts) if words is None else words
        if len(words) != len(texts):
            raise ValueError(f"words holds {len(words)} split texts for {len(texts)} texts; "
                             "pass split_words(X) for the same X.")
        rows = [[lookup(word, 1) for word in text[:length]] for text in words]
        lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
        ids = np.zeros((len(rows), max(1, int(lengths.max(initial=0)))), dtype=np.int64)
        ids[np.arange(ids.shape[1]) < lengths[:, None]] = np.fromiter(
            chain.from_iterable(rows), dtype=np.int64, count=int(lengths.sum())
        )
        return ids

    @staticmethod
    def _idf(ids, n_rows):
        """Smoothed inverse document frequency of every id, as scikit-learn's TfidfVectorizer."""
        rows = np.repeat(np.arange(len(ids)), ids.shape[1])
        shape = (len(ids), n_rows)
        present = sparse.csr_matrix((np.ones(ids.size), (rows, ids.ravel())), shape)
        document_frequency = np.bincount(present.indices, minlength=n_rows)
        return np.log((1 + len(ids)) / (1 + document_frequency)) + 1

    def encode(self, X, *, words=None):
        """The network's inputs for texts ``X``: the arrays an exported ONNX model takes.

        Returns
        -------
        inputs : dict of ndarray
            ``input_ids`` (int64, one row of word ids per text, 0-padded) and, for
            ``"bag"``, ``weights`` (float32, the TF-IDF weight of each word).
        """
        check_is_fitted(self, "vocabulary_")
        ids = self._ids(check_texts(X), words)
        if self.architecture != "bag":
            return {"input_ids": ids}
        # L2-normalised TF-IDF weights, as the features of a TF-IDF linear model.
        weights = self.idf_[ids] * (ids != 0)
        weights /= np.clip(np.linalg.norm(weights, axis=1, keepdims=True), 1e-12, None)
        return {"input_ids": ids, "weights": weights.astype(np.float32)}

    def shift_prior(self, ratio):
        """Multiply the predicted class probabilities by ``ratio`` (one positive number per
        class, in the order of ``classes_``) and renormalize them: a logit adjustment,
        added to the output layer's bias, so that :meth:`save`, :meth:`load` and
        :meth:`export_onnx` keep it and prediction costs nothing more.

        Returns
        -------
        self : StudentClassifier
        """
        check_is_fitted(self)
        ratio = np.asarray(ratio, dtype=np.float64)
        if ratio.shape != (len(self.classes_),) or not (np.isfinite(ratio) & (ratio > 0)).all():
            raise ValueError(
                f"ratio must hold one positive, finite number per class ({len(self.classes_)}),"
                f" got {ratio!r}."
            )
        bias = self.net_.module_.output.bias
        with torch.no_grad():
            bias += torch.as_tensor(np.log(ratio), dtype=bias.dtype, device=bias.device)
        return self

    def predict_proba(self, X, *, words=None):
        """Class probabilities for texts ``X``, columns in the order of ``classes_``.

        ``words`` (optional): ``split_words(X)``, for models that share one split of the
        texts (the guard's average of students)."""
        check_is_fitted(self)
        inputs = self.encode(X, words=words)
        n_texts = len(inputs["input_ids"])
        # Whole-array chunks straight through the module: skorch's predict_proba would
        # collate the texts one by one, which costs more than the network itself.
        module, device = self.net_.module_.eval(), self.net_.device
        proba = np.empty((n_texts, len(self.classes_)), dtype=np.float32)
        with torch.inference_mode():
            for start in range(0, n_texts, 4096):
                batch = {name: torch.as_tensor(array[start : start + 4096], device=device)
                         for name, array in inputs.items()}
                proba[start : start + 4096] = torch.softmax(module(**batch), dim=1).cpu()
        return proba

    def export_onnx(self, path):
        """Save the network, with a softmax on top, as an ONNX model.

        The model takes the arrays of :meth:`encode` as named inputs and returns
        ``probabilities`` of shape (n_texts, n_classes), columns in the order of
        ``classes_``: tokenize with ``encode``, then run it with e.g. onnxruntime.
        Needs the ``onnx`` and ``onnxscript`` packages (``pip install sklearn-gd[onnx]``).

        Parameters
        ----------
        path : str or path-like
            Where to write the ``.onnx`` file.

        Returns
        -------
        path : str
        """
        check_is_fitted(self)
        inputs = {
            name: torch.as_tensor(array)
            for name, array in self.encode(["a first example text", "a second one"]).items()
        }
        texts, words = torch.export.Dim("texts"), torch.export.Dim("words")
        module = _Probabilities(copy.deepcopy(self.net_.module_).cpu()).eval()
        torch.onnx.export(
            module,
            (),
            str(path),
            kwargs=inputs,
            input_names=list(inputs),
            output_names=["probabilities"],
            dynamic_shapes={name: {0: texts, 1: words} for name in inputs},
            dynamo=True,
            verbose=False,
        )
        return str(path)


def split_words(texts):
    """Each text lower-cased and split into words and punctuation marks, as the student
    reads it."""
    # A regular expression: 6x faster than the HF tokenizers pipeline (BERT normalizer and
    # pre-tokenizer) it replaced, one text at a time. It is about half of predict's time.
    return [_WORDS.findall(text.lower()) for text in texts]


def _silent(*args, **kwargs):
    pass


class _Probabilities(nn.Module):
    """A classifier module followed by a softmax, for export."""

    def __init__(self, module):
        super().__init__()
        self.module = module

    def forward(self, input_ids, weights=None):
        inputs = {"input_ids": input_ids} if weights is None else {
            "input_ids": input_ids, "weights": weights}
        return torch.softmax(self.module(**inputs), dim=-1)
