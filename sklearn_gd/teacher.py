"""TransformerClassifier: finetune a pretrained Hugging Face encoder as an sklearn classifier."""

import os
from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted
from skorch import NeuralNetClassifier
from skorch.callbacks import LRScheduler, ProgressBar
from transformers import (
    AutoModelForSequenceClassification,
    AutoTokenizer,
    get_linear_schedule_with_warmup,
)

from ._utils import (
    TextClassifierMixin,
    adamw,
    autocast,
    check_labels,
    check_texts,
    keep_torch_rng,
    quiet_transformers,
    resolve_device,
    resolve_dtype,
    seed_from,
    torch_seed,
)
from .hub import resolve_model

__all__ = ["TransformerClassifier"]

# Fewest epochs of epochs="auto" (within max_steps). 150 steps over 600 texts of a 6-class
# mix of AG News and SST-2 (K=100) were 4 epochs: training loss 0.42, test accuracy 0.732
# (sentiment half 0.573); 8 epochs: 0.793, 11: 0.815. At AG News K=100 (400 texts), 8
# epochs instead of 6 gave the same 0.8715.
MIN_AUTO_EPOCHS = 8


class LengthGroupedSampler(torch.utils.data.Sampler):
    """Training order in batches of texts of similar length, so that less padding is
    computed (each batch is cut to its longest text).

    Each epoch shuffles the texts, sorts each run of them by length, cuts the runs into
    batches and shuffles the batches (a short last batch stays last, where the data loader
    cuts it). A run holds ``group`` batches' worth of texts, and at most half of them, so
    that which texts share a batch still changes from epoch to epoch (32 texts sorted
    whole would give the same two batches in every epoch). At AG News K=100 a random batch
    of 16 texts is padded to 1.75 times their tokens, a grouped one to 1.24.
    """

    def __init__(self, lengths, batch_size, group=8):
        super().__init__()
        self.lengths = np.asarray(lengths)
        self.batch_size = batch_size
        self.group = group

    def __len__(self):
        return len(self.lengths)

    def __iter__(self):
        # Drawn from torch's generator, as a shuffling data loader does: seeded by fit.
        order = torch.randperm(len(self.lengths)).numpy()
        n_batches = len(self.lengths) // self.batch_size
        run = self.batch_size * max(1, min(self.group, n_batches // 2))
        batches = []
        for start in range(0, len(order), run):
            texts = order[start : start + run]
            texts = texts[np.argsort(-self.lengths[texts], kind="stable")]
            batches += [texts[i : i + self.batch_size]
                        for i in range(0, len(texts), self.batch_size)]
        last = [batches.pop()] if len(batches[-1]) < self.batch_size else []
        shuffled = [batches[i] for i in torch.randperm(len(batches)).tolist()] + last
        return iter(np.concatenate(shuffled).tolist())


class SequenceClassificationModule(torch.nn.Module):
    """A Hugging Face sequence classifier that returns logits and trims padding per batch."""

    def __init__(self, path, num_labels, dtype=torch.float32, trust_remote_code=False):
        super().__init__()
        # A fresh head is always put on top: a checkpoint that already has one with another
        # number of labels (a finetuned classifier) gets it replaced, not an error.
        self.model = AutoModelForSequenceClassification.from_pretrained(
            path, num_labels=num_labels, trust_remote_code=trust_remote_code,
            ignore_mismatched_sizes=True,
        )
        self.dtype = dtype

    def forward(self, input_ids, attention_mask, **kwargs):
        # Inputs are padded to the longest text of the whole set; cut each batch to its own
        # longest text so that short batches cost less (dynamic padding).
        width = int(attention_mask.sum(dim=1).max())
        inputs = {"input_ids": input_ids, "attention_mask": attention_mask, **kwargs}
        inputs = {key: value[:, :width] for key, value in inputs.items()}
        with autocast(input_ids.device, self.dtype):
            logits = self.model(**inputs).logits
        return logits.float()


class TransformerClassifier(TextClassifierMixin, ClassifierMixin, BaseEstimator):
    """Finetune a pretrained transformer encoder for text classification.

    Any Hugging Face model that ``AutoModelForSequenceClassification`` can load works: a
    Hub id or a local folder. A fresh classification head is put on top and the whole
    network is finetuned with AdamW (fused where torch has it) and a linear warm-up/decay
    schedule, through skorch, on batches of texts of similar length
    (``sklearn_gd.teacher.LengthGroupedSampler``: less padding is computed).

    Parameters
    ----------
    model : str or path-like, default="sentence-transformers/all-MiniLM-L6-v2"
        Hub id or local folder. The default (22.7M parameters) finetunes in a few minutes
        on a laptop CPU; see :func:`sklearn_gd.hub.resolve_model` for offline copies.
    max_length : int, default=128
        Texts are truncated to this many tokens.
    epochs : int or "auto", default="auto"
        Passes over the training texts. ``"auto"`` trains for at least ``min_steps``
        optimizer steps: ``clip(ceil(min_steps / steps_per_epoch), 8, 50)`` epochs, then
        fewer (at least one) while they would take more than ``max_steps`` steps. A fixed
        number of epochs underfits small samples (5 epochs of 16 texts per class are 20-30
        steps: 0.458 accuracy on a 6-class task, where 150 steps reached 0.828) and makes
        the time grow with large ones. At least 8 epochs: 150 steps over 600 texts are 4
        epochs, which left a 6-class mix of news and sentiment at 0.732 (8 epochs: 0.793).
    min_steps : int, default=150
        Least number of optimizer steps with ``epochs="auto"``.
    max_steps : int, default=600
        With ``epochs="auto"``, the most optimizer steps: whole epochs are dropped, down to
        one, so that hundreds of labels per class finetune in minutes, not hours (one
        epoch of a larger sample can still exceed it).
    learning_rate : float, default=1e-4
        Peak learning rate of AdamW.
    batch_size : int, default=16
        Texts per optimisation step (and per prediction batch times 4).
    weight_decay : float, default=0.01
        AdamW weight decay.
    warmup_fraction : float, default=0.1
        Fraction of the steps over which the learning rate rises linearly from 0.
    dtype : {"auto", "float32", "bfloat16"}, default="auto"
        Compute precision. ``"bfloat16"`` trains and predicts with bfloat16 mixed precision
        (float32 weights), faster on hardware that runs it natively; ``"auto"`` uses it
        there (AVX-512 BF16 CPUs, recent GPUs) and float32 elsewhere.
    device : str, default="auto"
        Torch device; ``"auto"`` uses CUDA when available, else the CPU.
    trust_remote_code : bool, default=False
        Passed to ``from_pretrained``; only enable it for models whose code you trust.
    random_state : int, RandomState instance or None, default=None
        Seeds the classification head, dropout and batch order.
    verbose : int, default=0
        0 is silent; 1 prints one line per epoch; 2 adds progress bars.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    net_ : skorch.NeuralNetClassifier
        The fitted network; ``net_.history_`` holds the loss of each epoch.
    tokenizer_ : transformers.PreTrainedTokenizerBase
        The model's tokenizer.
    model_path_ : str
        The local folder the model was loaded from.
    """

    _parameter_constraints = {
        "model": [str, os.PathLike],
        "max_length": [Interval(Integral, 2, None, closed="left")],
        "epochs": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "min_steps": [Interval(Integral, 1, None, closed="left")],
        "max_steps": [Interval(Integral, 1, None, closed="left")],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "weight_decay": [Interval(Real, 0, None, closed="left")],
        "warmup_fraction": [Interval(Real, 0, 1, closed="both")],
        "dtype": [StrOptions({"auto", "float32", "bfloat16"})],
        "device": [str, None],
        "trust_remote_code": ["boolean"],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        model="sentence-transformers/all-MiniLM-L6-v2",
        *,
        max_length=128,
        epochs="auto",
        min_steps=150,
        max_steps=600,
        learning_rate=1e-4,
        batch_size=16,
        weight_decay=0.01,
        warmup_fraction=0.1,
        dtype="auto",
        device="auto",
        trust_remote_code=False,
        random_state=None,
        verbose=0,
    ):
        self.model = model
        self.max_length = max_length
        self.epochs = epochs
        self.min_steps = min_steps
        self.max_steps = max_steps
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.weight_decay = weight_decay
        self.warmup_fraction = warmup_fraction
        self.dtype = dtype
        self.device = device
        self.trust_remote_code = trust_remote_code
        self.random_state = random_state
        self.verbose = verbose

    def fit(self, X, y):
        """Finetune the model on texts ``X`` with labels ``y``.

        Parameters
        ----------
        X : list of str
            Training texts.
        y : array-like of shape (n_samples,)
            Labels, of any type that can be sorted.

        Returns
        -------
        self : TransformerClassifier
        """
        texts, y_encoded, device = self._start_fit(X, y)
        steps_per_epoch = -(-len(texts) // self.batch_size)
        self.epochs_ = self.epochs
        if self.epochs == "auto":
            epochs = int(np.clip(-(-self.min_steps // steps_per_epoch), MIN_AUTO_EPOCHS, 50))
            self.epochs_ = max(1, min(epochs, self.max_steps // steps_per_epoch))
        steps = self.epochs_ * steps_per_epoch
        callbacks = self._schedule(steps)
        encoded = self._encode(texts)
        self.net_ = NeuralNetClassifier(
            SequenceClassificationModule,
            module__path=self.model_path_,
            module__num_labels=len(self.classes_),
            module__dtype=resolve_dtype(self.dtype, device),
            module__trust_remote_code=self.trust_remote_code,
            criterion=torch.nn.CrossEntropyLoss,
            **adamw(device),
            optimizer__weight_decay=self.weight_decay,
            lr=self.learning_rate,
            max_epochs=self.epochs_,
            batch_size=self.batch_size,
            iterator_train__sampler=LengthGroupedSampler(
                encoded["attention_mask"].sum(axis=1), self.batch_size
            ),
            iterator_valid__batch_size=4 * self.batch_size,
            train_split=None,
            callbacks=callbacks,
            classes=np.arange(len(self.classes_)),
            device=device,
            verbose=int(self.verbose >= 1),
        )
        with torch_seed(seed_from(self.random_state)), quiet_transformers(self.verbose):
            self.net_.fit(encoded, y_encoded.astype(np.int64))
        return self

    def _start_fit(self, X, y):
        """Check the parameters and data, set ``classes_``, ``model_path_`` and
        ``tokenizer_``; return the texts, the encoded labels and the torch device."""
        self._validate_params()
        texts = check_texts(X, require_words=True)
        self.classes_, y_encoded = check_labels(y, len(texts))
        device = resolve_device(self.device)
        self.model_path_ = resolve_model(self.model)
        with quiet_transformers(self.verbose):
            self.tokenizer_ = AutoTokenizer.from_pretrained(
                self.model_path_, trust_remote_code=self.trust_remote_code
            )
        return texts, y_encoded, device

    def _schedule(self, steps):
        """skorch callbacks: linear warm-up and decay over ``steps``, progress bars."""
        callbacks = [
            LRScheduler(
                policy=get_linear_schedule_with_warmup,
                num_warmup_steps=int(self.warmup_fraction * steps),
                num_training_steps=steps,
                step_every="batch",
            )
        ]
        if self.verbose >= 2:
            callbacks.append(ProgressBar())
        return callbacks

    def _encode(self, texts):
        encoded = self.tokenizer_(
            texts, truncation=True, max_length=self.max_length, padding=True, return_tensors="np"
        )
        return {key: value.astype(np.int64) for key, value in encoded.items()}

    def predict_proba(self, X):
        """Class probabilities for texts ``X``, columns in the order of ``classes_``."""
        check_is_fitted(self)
        texts = check_texts(X)
        # Predict in order of length so that each batch is trimmed to similar lengths.
        order = np.argsort([len(text) for text in texts], kind="stable")
        proba = np.empty((len(texts), len(self.classes_)), dtype=np.float32)
        chunk = 64 * self.batch_size
        # skorch's data loader draws a seed from torch's global generator: keep the
        # caller's random state as it was.
        with torch.inference_mode(), keep_torch_rng():
            for start in range(0, len(texts), chunk):
                rows = order[start : start + chunk]
                proba[rows] = self._predict_encoded(self._encode([texts[i] for i in rows]))
        return proba

    def _predict_encoded(self, encoded):
        return self.net_.predict_proba(encoded)
