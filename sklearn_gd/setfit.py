"""SetFitClassifier: SetFit's recipe for few labels, as an sklearn classifier.

Tunstall et al. (2022) finetune a sentence encoder on pairs of labeled texts, pulling the
embeddings of same-class pairs together and pushing other pairs apart, then fit a logistic
regression on the embeddings. With 16 texts per class this beats finetuning the encoder
with a classification head, because pairs give many more training signals than texts.
"""

from numbers import Integral, Real

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval
from skorch import NeuralNet
from transformers import AutoModel

from ._utils import (
    adamw,
    autocast,
    quiet_transformers,
    resolve_dtype,
    seed_from,
    torch_seed,
)
from .teacher import TransformerClassifier

__all__ = ["SetFitClassifier"]


class PairSimilarityModule(torch.nn.Module):
    """Cosine similarity of the mean-pooled encodings of two texts (a siamese encoder)."""

    def __init__(self, path, dtype=torch.float32, trust_remote_code=False):
        super().__init__()
        self.model = AutoModel.from_pretrained(path, trust_remote_code=trust_remote_code)
        self.dtype = dtype

    def embed(self, input_ids, attention_mask):
        width = int(attention_mask.sum(dim=1).max())  # trim the batch's common padding
        input_ids, attention_mask = input_ids[:, :width], attention_mask[:, :width]
        with autocast(input_ids.device, self.dtype):
            hidden = self.model(input_ids=input_ids, attention_mask=attention_mask)
        mask = attention_mask.unsqueeze(-1).float()
        return (hidden.last_hidden_state.float() * mask).sum(1) / mask.sum(1).clamp(min=1)

    def forward(self, input_ids, attention_mask, other_input_ids, other_attention_mask):
        return torch.nn.functional.cosine_similarity(
            self.embed(input_ids, attention_mask),
            self.embed(other_input_ids, other_attention_mask),
        )


def sample_pairs(y, n_pairs, rng):
    """``n_pairs`` index pairs of texts, half of the same class and half of different ones.

    Returns ``first, second, same`` (arrays; ``same`` is 1.0 for same-class pairs).
    """
    first = rng.randint(len(y), size=n_pairs)
    same = (np.arange(n_pairs) % 2 == 0).astype(np.float32)
    members = {label: np.flatnonzero(y == label) for label in np.unique(y)}
    others = {label: np.flatnonzero(y != label) for label in members}
    second = np.empty(n_pairs, dtype=np.int64)
    for i, (anchor, positive) in enumerate(zip(first, same, strict=True)):
        pool = members[y[anchor]] if positive else others[y[anchor]]
        if positive and len(pool) > 1:  # a lone text of its class pairs with itself
            pool = pool[pool != anchor]
        second[i] = rng.choice(pool)
    return first, second, same


class SetFitClassifier(TransformerClassifier):
    """A sentence encoder finetuned on pairs of texts, with a logistic-regression head.

    SetFit's recipe: ``steps`` optimizer steps on batches of text pairs (half of them of
    the same class), with a loss that brings the cosine similarity of their mean-pooled
    embeddings to 1 for a same-class pair and 0 otherwise; then a
    :class:`~sklearn.linear_model.LogisticRegression` on the normalised embeddings of the
    labeled texts. The number of steps, not the number of texts, sets the training time.

    Parameters
    ----------
    model : str or path-like, default="sentence-transformers/all-MiniLM-L6-v2"
        Hub id or local folder of a sentence encoder (mean pooling).
    max_length : int, default=128
        Texts are truncated to this many tokens.
    steps : int, default=150
        Optimizer steps of pair training (``steps * batch_size`` pairs, one pass).
    learning_rate : float, default=2e-5
        Peak learning rate of AdamW for the encoder (SetFit's default).
    batch_size : int, default=16
        Pairs per optimisation step (texts per prediction batch times 4).
    weight_decay : float, default=0.01
        AdamW weight decay.
    warmup_fraction : float, default=0.1
        Fraction of the steps over which the learning rate rises linearly from 0.
    C : float, default=1.0
        Inverse regularisation strength of the logistic-regression head.
    dtype, device, trust_remote_code, random_state, verbose
        As in :class:`TransformerClassifier`.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    net_ : skorch.NeuralNet
        The fitted pair network; ``net_.module_.model`` is the finetuned encoder.
    head_ : LogisticRegression
        The classifier on the normalised embeddings.
    tokenizer_ : transformers.PreTrainedTokenizerBase
        The model's tokenizer.
    model_path_ : str
        The local folder the model was loaded from.
    """

    _parameter_constraints = {
        **{name: constraint
           for name, constraint in TransformerClassifier._parameter_constraints.items()
           if name not in ("epochs", "min_steps", "max_steps")},
        "steps": [Interval(Integral, 1, None, closed="left")],
        "C": [Interval(Real, 0, None, closed="neither")],
    }

    def __init__(
        self,
        model="sentence-transformers/all-MiniLM-L6-v2",
        *,
        max_length=128,
        steps=150,
        learning_rate=2e-5,
        batch_size=16,
        weight_decay=0.01,
        warmup_fraction=0.1,
        C=1.0,
        dtype="auto",
        device="auto",
        trust_remote_code=False,
        random_state=None,
        verbose=0,
    ):
        self.model = model
        self.max_length = max_length
        self.steps = steps
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.weight_decay = weight_decay
        self.warmup_fraction = warmup_fraction
        self.C = C
        self.dtype = dtype
        self.device = device
        self.trust_remote_code = trust_remote_code
        self.random_state = random_state
        self.verbose = verbose

    def fit(self, X, y):
        """Finetune the encoder on pairs of texts ``X``, then fit the head on labels ``y``."""
        texts, y_encoded, device = self._start_fit(X, y)
        seed = seed_from(self.random_state)
        encoded = self._encode(texts)
        first, second, same = sample_pairs(
            y_encoded, self.steps * self.batch_size, check_random_state(seed))
        pairs = {"input_ids": encoded["input_ids"][first],
                 "attention_mask": encoded["attention_mask"][first],
                 "other_input_ids": encoded["input_ids"][second],
                 "other_attention_mask": encoded["attention_mask"][second]}
        callbacks = self._schedule(self.steps)
        self.net_ = NeuralNet(
            PairSimilarityModule,
            module__path=self.model_path_,
            module__dtype=resolve_dtype(self.dtype, device),
            module__trust_remote_code=self.trust_remote_code,
            criterion=torch.nn.MSELoss,
            **adamw(device),
            optimizer__weight_decay=self.weight_decay,
            lr=self.learning_rate,
            max_epochs=1,
            batch_size=self.batch_size,
            iterator_train__shuffle=True,
            train_split=None,
            callbacks=callbacks,
            device=device,
            verbose=int(self.verbose >= 1),
        )
        with torch_seed(seed), quiet_transformers(self.verbose):
            self.net_.fit(pairs, same)
        self.head_ = LogisticRegression(C=self.C, max_iter=1000).fit(
            self._embeddings(encoded), y_encoded)
        return self

    def _encode(self, texts):
        encoded = super()._encode(texts)
        return {key: encoded[key] for key in ("input_ids", "attention_mask")}

    def _embeddings(self, encoded):
        module = self.net_.module_.eval()
        rows = []
        with torch.inference_mode():
            for start in range(0, len(encoded["input_ids"]), 4 * self.batch_size):
                batch = {key: torch.as_tensor(value[start : start + 4 * self.batch_size],
                                              device=self.net_.device)
                         for key, value in encoded.items()}
                rows.append(module.embed(**batch).cpu().numpy())
        return normalize(np.vstack(rows))

    def _predict_encoded(self, encoded):
        return self.head_.predict_proba(self._embeddings(encoded))
