"""CausalLMGenerator: finetune a pretrained causal language model on texts, then sample new ones."""

import os
import re
import warnings
from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted
from skorch import NeuralNet
from skorch.callbacks import ProgressBar
from tqdm.auto import tqdm
from transformers import AutoModelForCausalLM, AutoTokenizer

from ._utils import (
    TextEstimatorMixin,
    adamw,
    autocast,
    check_labels,
    check_texts,
    quiet_transformers,
    resolve_device,
    resolve_dtype,
    seed_from,
    torch_seed,
)
from .hub import resolve_model
from .sampling import sample_batch

__all__ = ["CausalLMGenerator"]

# A label prefix such as "[Sports] " after the start of a sample: the model has run on into
# a second training text (it also invents labels, "[PERS]", so any bracketed word counts).
_NEXT_TEXT = re.compile(r"\s\[[^\[\]\n]{1,40}\]\s")
_LINE_BREAK = re.compile(r"[\n\r\v\f\u2028\u2029]")


class CausalLMModule(torch.nn.Module):
    """A Hugging Face causal LM that returns next-token logits, finetuning its top layers."""

    def __init__(
        self,
        path,
        freeze_embeddings=True,
        trainable_layers=None,
        dtype=torch.float32,
        trust_remote_code=False,
    ):
        super().__init__()
        self.model = AutoModelForCausalLM.from_pretrained(path, trust_remote_code=trust_remote_code)
        self.dtype = dtype
        self.quantized = False  # set by for_sampling("int8")
        # The (often tied) token embeddings hold a large share of a small LM's weights;
        # freezing them saves their gradient and optimizer state at little cost in quality.
        self.model.get_input_embeddings().weight.requires_grad_(not freeze_embeddings)
        self.model.get_output_embeddings().weight.requires_grad_(not freeze_embeddings)
        if trainable_layers is not None:
            # Frozen lower blocks need no backward pass: less compute and memory.
            blocks = _transformer_blocks(self.model)
            for block in blocks[: max(len(blocks) - trainable_layers, 0)]:
                block.requires_grad_(False)

    def forward(self, input_ids):
        with autocast(input_ids.device, self.dtype):
            logits = self.model(input_ids=input_ids).logits
        return logits.float()

    def for_sampling(self, precision):
        """The model in eval mode, its weights in ``precision`` (a torch dtype, or
        ``"int8"``): cast, or quantized once (later calls find it done)."""
        self.model.eval()
        if precision != "int8":
            return self.model.to(precision)
        if not self.quantized:
            quantize_linear_layers(self.model.float())
            self.quantized = True
        return self.model


def quantize_linear_layers(model):
    """Replace every ``torch.nn.Linear`` of ``model`` by an int8 one, in place.

    PyTorch's dynamic quantization: int8 weights with one scale per output row, and
    activations quantized on the fly, run with int8 CPU kernels. On an AVX2 CPU (no native
    bfloat16) it sampled from SmolLM2 1.2 to 1.6 times as many tokens per second as
    float32, but the students distilled from its samples were 1.9 and 2.6 points less
    accurate at SST-2 K=16 and K=100 (``benchmarks/generator_int8.py``).
    """
    quantization = torch.ao.quantization
    with warnings.catch_warnings():
        # torch.ao.quantization is deprecated in favour of the separate torchao package,
        # but works in the torch this package pins; int8 is only chosen where it exists.
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.filterwarnings("ignore", message=".*quantize_per_tensor.*")
        quantization.quantize_dynamic(
            model, {torch.nn.Linear: quantization.per_channel_dynamic_qconfig}, inplace=True
        )
    return model


def sampling_precision(dtype, device):
    """What the generator samples in: a torch dtype, or ``"int8"``."""
    if dtype == "int8":
        on_cpu = torch.device(device).type == "cpu"
        quantizable = hasattr(getattr(torch, "ao", None), "quantization") and hasattr(
            torch.ao.quantization, "quantize_dynamic")
        if not on_cpu or not quantizable:
            raise ValueError(
                f"dtype='int8' samples with PyTorch's dynamic quantization, which runs on the "
                f"CPU only (and needs torch.ao.quantization); got device {device!r} and torch "
                f"{torch.__version__}. Use dtype='auto', 'float32' or 'bfloat16'."
            )
        return "int8"
    return resolve_dtype(dtype, device)


def _transformer_blocks(model):
    """The model's stack of transformer blocks: its largest ``ModuleList``."""
    lists = [module for module in model.modules() if isinstance(module, torch.nn.ModuleList)]
    if not lists:
        raise ValueError(
            f"Cannot find the transformer blocks of {type(model).__name__}; "
            "use trainable_layers=None to finetune all layers."
        )
    return max(lists, key=lambda blocks: sum(p.numel() for p in blocks.parameters()))


class NextTokenLoss(torch.nn.Module):
    """Cross-entropy of each token given the ones before it."""

    def forward(self, logits, input_ids):
        return torch.nn.functional.cross_entropy(
            logits[:, :-1].reshape(-1, logits.shape[-1]), input_ids[:, 1:].reshape(-1)
        )


class CausalLMGenerator(TextEstimatorMixin, BaseEstimator):
    """Finetune a causal language model on a few texts and sample new in-domain texts.

    ``fit`` joins the training texts, each ended by the end-of-text token, into one stream
    and cuts it into blocks of ``max_length`` tokens (packing: no padding is computed).
    ``generate`` starts every sample from the end-of-text token and the opening of a
    training text (with its label prefix when conditional) and samples with top-k and
    nucleus sampling until the end-of-text token (or, when conditional, a second label
    prefix, or a line break where no training text holds one: where a second text
    begins, and the sample is cut), in large batches that shed finished rows (see
    :mod:`sklearn_gd.sampling`).

    Any object with ``fit(X, y=None)`` and ``generate(n, random_state=None)`` returning a
    list of strings can stand in for this class in
    :class:`~sklearn_gd.GenerationDistillationClassifier`.

    Parameters
    ----------
    model : str or path-like, default="HuggingFaceTB/SmolLM2-135M-Instruct"
        Hub id or local folder of a causal LM. The default (135M parameters) is the
        smallest modern LM that writes fluent text; the paper used GPT-2 (124M).
    conditional : bool, default=False
        If True, each training text is prefixed with its label and ``generate`` asks for
        labels in the proportions of the training labels, so the samples are balanced
        across classes. The teacher relabels every sample either way. The default
        generator of :class:`~sklearn_gd.GenerationDistillationClassifier` sets it.
    prompt_words : int, default=1
        Each sample starts from the first ``prompt_words`` words of a random training text
        (0: from the end-of-text token alone). A real opening word steers a briefly
        finetuned model to begin a new text instead of continuing one mid-sentence.
    context_texts : int, default=0
        Training texts (of the same label when conditional, cut to their first
        ``max_new_tokens * 3 // 4`` words) placed before each sample's opening, each
        ended by the end-of-text token, as examples the model continues the series from:
        in-context examples steer a model that only a few finetuning steps have seen the
        domain. Longer prompts make sampling slower.
    epochs : int, default=1
        Passes over the training texts. One pass gave the lowest loss on held-out AG News
        texts from 400 training texts; more passes overfit (``benchmarks/generator_epochs.py``).
    learning_rate : float, default=3e-4
        AdamW learning rate.
    batch_size : int, default=8
        Blocks per optimisation step.
    freeze_embeddings : bool, default=True
        Keep the token embeddings (and a tied output layer) fixed: faster finetuning,
        less memory.
    trainable_layers : int or None, default=None
        Finetune only the top ``trainable_layers`` transformer blocks (and what follows
        them); ``None`` finetunes all. Frozen lower blocks need no backward pass: with 10
        of SmolLM2's 30 blocks finetuning took about 2/3 of the time, but the samples fit
        the domain less well (higher held-out loss), so all blocks are trained by default.
    max_length : int, default=128
        Tokens per training block; a longer text is trained on its first ``max_length``
        tokens only.
    max_train_tokens : int, default=25000
        Finetuning budget: at most this many tokens are trained on, so that the time
        does not grow with the length or number of the texts (400 AG News texts hold
        about 23,000 tokens). Over it, each text is learned from a shorter opening, down
        to ``max_new_tokens + 16`` tokens (what a sample can reach), and then from a
        random subset of the blocks.
    max_new_tokens : int, default=64
        Longest sample, in tokens.
    max_sampled_tokens : int or None, default=None
        Sampling budget: ``generate`` stops drawing new samples once about this many new
        tokens are sampled (each batch is sized from the mean sample length so far), so
        that short texts get more samples than long ones in the same time. ``None``:
        always ``n`` samples. Tried as the default with ``n_generated=2000`` (50,000
        tokens: 2,000 SST-2 samples at K=16, 1,090 to 1,490 AG News ones), it moved the
        student by +0.14 points on average over 11 of the benchmark's test runs, for 40
        to 130 s more fit on 2 cores and over 10 minutes at AG News K=100
        (``benchmarks/README.md``, "A sampling budget").
    cut_at_line_break : {"auto", True, False}, default="auto"
        Cut a sample at its first line break, and stop sampling it there. Where the
        training texts hold none, what follows a line break is not part of a text like
        them: a second text, a new paragraph, or a web page's byline (12% and 15% of
        samples at AG News and SST-2 K=100 held one). ``"auto"`` cuts where none of the
        training texts holds a line break.
    top_k : int, default=50
        Sample among the ``top_k`` most likely tokens only (``transformers``' default).
    top_p : float, default=0.9
        Nucleus sampling: sample from the smallest set of tokens whose probability reaches
        ``top_p``.
    temperature : float, default=1.0
        Sampling temperature.
    generation_batch_size : int, default=512
        Samples generated together. Finished samples leave the batch, so a batch ends on
        its few longest samples; a larger batch keeps more rows in each step and uses the
        CPU better: on 2 AVX2 cores 512 sampled 1.2 to 1.5 times as many texts per second
        as 128 (``benchmarks/sampling_batch.py``). The key/value cache of SmolLM2-135M
        takes 46 kB per row and position: up to 1.7 GB for 512 rows of 70 positions.
    dtype : {"auto", "float32", "bfloat16", "int8"}, default="auto"
        Compute precision. ``"bfloat16"`` finetunes with bfloat16 mixed precision (float32
        weights) and samples with bfloat16 weights, faster on hardware that runs
        it natively; ``"auto"`` uses it there (AVX-512 BF16 CPUs, recent GPUs) and
        float32 elsewhere. ``"int8"`` (CPU only) finetunes in float32 and samples with
        int8 linear layers (dynamic quantization): on an AVX2 CPU 1.2 to 1.6 times as many
        tokens per second as float32, but students 1.9 and 2.6 points less accurate at
        SST-2 K=16 and K=100 on the dev set (as accurate at AG News K=100), so it is not
        the default.
    device : str, default="auto"
        Torch device; ``"auto"`` uses CUDA when available, else the CPU.
    trust_remote_code : bool, default=False
        Passed to ``from_pretrained``; only enable it for models whose code you trust.
    random_state : int, RandomState instance or None, default=None
        Seeds the batch order of finetuning.
    verbose : int, default=0
        0 is silent; 1 prints one line per epoch; 2 adds progress bars.

    Attributes
    ----------
    net_ : skorch.NeuralNet
        The finetuned model (cast or quantized to ``sampling_precision_`` by
        ``generate``); ``net_.history_`` holds the loss of each epoch.
    sampling_precision_ : torch.dtype or "int8"
        What ``generate`` samples in (``dtype`` resolved on this machine).
    tokenizer_ : transformers.PreTrainedTokenizerBase
        The model's tokenizer.
    labels_ : ndarray or None
        The labels seen in ``fit`` when ``conditional=True``.
    cut_at_line_break_ : bool
        Whether samples are cut at their first line break (``cut_at_line_break``
        resolved on the training texts).
    openings_ : list of str
        Opening words of the training texts (with their label prefix when conditional),
        from which samples start.
    contexts_ : list of str
        The training texts cut for use as in-context examples (``context_texts``).
    opening_labels_ : ndarray
        The label of each training text (zeros when not conditional).
    model_path_ : str
        The local folder the model was loaded from.
    """

    _parameter_constraints = {
        "model": [str, os.PathLike],
        "conditional": ["boolean"],
        "prompt_words": [Interval(Integral, 0, None, closed="left")],
        "context_texts": [Interval(Integral, 0, None, closed="left")],
        "epochs": [Interval(Integral, 0, None, closed="left")],  # 0: sample as it is
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "freeze_embeddings": ["boolean"],
        "trainable_layers": [Interval(Integral, 1, None, closed="left"), None],
        "max_length": [Interval(Integral, 2, None, closed="left")],
        "max_train_tokens": [Interval(Integral, 2, None, closed="left")],
        "max_new_tokens": [Interval(Integral, 1, None, closed="left")],
        "max_sampled_tokens": [Interval(Integral, 1, None, closed="left"), None],
        "cut_at_line_break": [StrOptions({"auto"}), "boolean"],
        "top_k": [Interval(Integral, 1, None, closed="left")],
        "top_p": [Interval(Real, 0, 1, closed="right")],
        "temperature": [Interval(Real, 0, None, closed="neither")],
        "generation_batch_size": [Interval(Integral, 1, None, closed="left")],
        "dtype": [StrOptions({"auto", "float32", "bfloat16", "int8"})],
        "device": [str, None],
        "trust_remote_code": ["boolean"],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        model="HuggingFaceTB/SmolLM2-135M-Instruct",
        *,
        conditional=False,
        prompt_words=1,
        context_texts=0,
        epochs=1,
        learning_rate=3e-4,
        batch_size=8,
        freeze_embeddings=True,
        trainable_layers=None,
        max_length=128,
        max_train_tokens=25000,
        max_new_tokens=64,
        max_sampled_tokens=None,
        cut_at_line_break="auto",
        top_k=50,
        top_p=0.9,
        temperature=1.0,
        generation_batch_size=512,
        dtype="auto",
        device="auto",
        trust_remote_code=False,
        random_state=None,
        verbose=0,
    ):
        self.model = model
        self.conditional = conditional
        self.prompt_words = prompt_words
        self.context_texts = context_texts
        self.epochs = epochs
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.freeze_embeddings = freeze_embeddings
        self.trainable_layers = trainable_layers
        self.max_length = max_length
        self.max_train_tokens = max_train_tokens
        self.max_new_tokens = max_new_tokens
        self.max_sampled_tokens = max_sampled_tokens
        self.cut_at_line_break = cut_at_line_break
        self.top_k = top_k
        self.top_p = top_p
        self.temperature = temperature
        self.generation_batch_size = generation_batch_size
        self.dtype = dtype
        self.device = device
        self.trust_remote_code = trust_remote_code
        self.random_state = random_state
        self.verbose = verbose

    def fit(self, X, y=None):
        """Finetune the language model on texts ``X`` (and their labels if ``conditional``).

        Parameters
        ----------
        X : list of str
            Training texts.
        y : array-like of shape (n_samples,), default=None
            Labels; required when ``conditional=True``, ignored otherwise.

        Returns
        -------
        self : CausalLMGenerator
        """
        self._validate_params()
        texts = check_texts(X, require_words=True)
        self.cut_at_line_break_ = (
            not any(_LINE_BREAK.search(text) for text in texts)
            if self.cut_at_line_break == "auto" else self.cut_at_line_break
        )
        self.labels_ = None
        if self.conditional:
            if y is None:
                raise ValueError("conditional=True needs the labels: call fit(X, y).")
            labels = np.asarray(y)
            self.labels_ = check_labels(y, len(texts))[0]
        prefixes = ([self._prefix(label) for label in labels] if self.conditional
                    else [""] * len(texts))
        # A label may hold several words: the opening is its prefix, then the text's words.
        self.openings_ = [
            (prefix + " ".join(text.split()[: self.prompt_words])).strip()
            for prefix, text in zip(prefixes, texts, strict=True)
        ]
        context_words = self.max_new_tokens * 3 // 4
        self.contexts_ = [prefix + " ".join(text.split()[:context_words])
                          for prefix, text in zip(prefixes, texts, strict=True)]
        texts = [prefix + text for prefix, text in zip(prefixes, texts, strict=True)]
        # In-context examples share the label of the opening they precede.
        self.opening_labels_ = labels if self.conditional else np.zeros(len(texts))
        device = resolve_device(self.device)
        self.sampling_precision_ = sampling_precision(self.dtype, device)
        self.model_path_ = resolve_model(self.model)
        with quiet_transformers(self.verbose):
            self.tokenizer_ = AutoTokenizer.from_pretrained(
                self.model_path_, trust_remote_code=self.trust_remote_code
            )
        if self.tokenizer_.eos_token_id is None:
            raise ValueError(
                f"The tokenizer of {self.model!r} has no end-of-text token; "
                "set tokenizer.eos_token before saving it."
            )
        # Left padding keeps every prompt's last token next to the generated ones.
        self.tokenizer_.padding_side = "left"
        if self.tokenizer_.pad_token is None:
            self.tokenizer_.pad_token = self.tokenizer_.eos_token
        blocks = self._pack(texts, np.random.default_rng(seed_from(self.random_state)))
        self.net_ = NeuralNet(
            CausalLMModule,
            module__path=self.model_path_,
            module__freeze_embeddings=self.freeze_embeddings,
            module__trainable_layers=self.trainable_layers,
            # int8 is for sampling only: finetuning runs in float32 there.
            module__dtype=resolve_dtype("float32" if self.dtype == "int8" else self.dtype,
                                        device),
            module__trust_remote_code=self.trust_remote_code,
            criterion=NextTokenLoss,
            **adamw(device),
            lr=self.learning_rate,
            max_epochs=self.epochs,
            batch_size=self.batch_size,
            iterator_train__shuffle=True,
            train_split=None,
            callbacks=[ProgressBar()] if self.verbose >= 2 else [],
            device=device,
            verbose=int(self.verbose >= 1),
        )
        with torch_seed(seed_from(self.random_state)), quiet_transformers(self.verbose):
            self.net_.fit({"input_ids": blocks}, blocks)
            # Sampling from the model object that was just trained ran about 2.6x slower and
            # took gigabytes more memory than from a freshly loaded model holding the same
            # weights (torch 2.13 on CPU; the cause is not known): move the weights over,
            # and drop the optimizer state with the old object.
            trained = self.net_.module_.model
            fresh = AutoModelForCausalLM.from_pretrained(
                self.model_path_, trust_remote_code=self.trust_remote_code
            ).to(trained.device)
            fresh.load_state_dict(trained.state_dict())
            self.net_.module_.model = fresh
            self.net_.initialize_optimizer()
        return self

    def _prefix(self, label):
        # One line, single spaces: as the prefix reads back from a sample's decoded words.
        return f"[{' '.join(str(label).split())}] "

    def _pack(self, texts, rng):
        """Token ids of all texts, each ended by EOS, cut into full blocks of max_length;
        at most ``max_train_tokens`` tokens of them.

        Over the budget, each text is first cut to a shorter opening (never shorter than a
        sample can reach), so that every text is still learned from; only then is a random
        subset of the blocks kept."""
        eos = self.tokenizer_.eos_token_id
        ids = self.tokenizer_(texts, add_special_tokens=False)["input_ids"]
        cut = self._opening_length(np.array([len(text) + 1 for text in ids]))
        # A long text is learned from its opening: samples are short, and the time is bounded.
        stream = np.fromiter(
            (token for text in ids for token in [eos, *text[: cut - 1]]), dtype=np.int64
        )
        length = min(self.max_length, len(stream))
        n_blocks = len(stream) // length
        blocks = stream[: n_blocks * length].reshape(n_blocks, length)
        budget = max(1, self.max_train_tokens // length)
        if n_blocks > budget:
            blocks = blocks[np.sort(rng.choice(n_blocks, budget, replace=False))]
        return blocks

    def _opening_length(self, lengths):
        """Tokens learned from each text (its end-of-text token included): ``max_length``,
        or the longest cut that keeps all texts within ``max_train_tokens``, but no shorter
        than a sample: its label prefix, opening and ``max_new_tokens``."""
        shortest = min(self.max_length, self.max_new_tokens + 16)
        for cut in range(self.max_length, shortest, -1):
            if np.minimum(lengths, cut).sum() <= self.max_train_tokens:
                return cut
        return shortest

    def generate(self, n, random_state=None, return_sources=False):
        """Sample ``n`` new texts, or fewer where ``max_sampled_tokens`` runs out first.

        Parameters
        ----------
        n : int
            Number of texts asked for.
        random_state : int, RandomState instance or None, default=None
            Seeds the sampling.
        return_sources : bool, default=False
            Also return, for each text, the index of the training text whose opening (and
            label, when conditional) it was prompted with.

        Returns
        -------
        texts : list of str
            At most ``n`` texts (some may be empty, which the caller filters). A budget
            only ends sampling early: the prompts, and the samples of every batch but
            the last, are those of ``max_sampled_tokens=None``.
        sources : ndarray of int
            Only with ``return_sources``: the training text each text was prompted from.
        """
        check_is_fitted(self, "net_")
        if not isinstance(n, Integral) or isinstance(n, bool) or n < 0:
            raise ValueError(f"n must be a non-negative integer, got {n!r}.")
        # Sampling needs no float32 master weights: cast or quantize the whole model (a
        # no-op after the first call).
        tokenizer = self.tokenizer_
        model = self.net_.module_.for_sampling(self.sampling_precision_)
        seed = seed_from(random_state)
        # All n prompts are drawn first: a budget cuts the same draws short.
        prompts, chosen = self._prompts(n, np.random.default_rng(seed))
        texts, n_tokens = [], 0
        with torch_seed(seed), tqdm(total=n, desc="sampling", disable=self.verbose < 2) as bar:
            while len(texts) < n:
                size = min(self.generation_batch_size, n - len(texts),
                           self._samples_left_in_budget(n_tokens, len(texts)))
                if size == 0:
                    break
                start = len(texts)
                batch = tokenizer(
                    prompts[start : start + size],
                    add_special_tokens=False,
                    padding=True,
                    return_tensors="pt",
                ).to(model.device)
                continuations = sample_batch(
                    model,
                    batch["input_ids"],
                    batch["attention_mask"],
                    max_new_tokens=self.max_new_tokens,
                    eos_token_id=tokenizer.eos_token_id,
                    top_k=self.top_k,
                    top_p=self.top_p,
                    temperature=self.temperature,
                    # Decoding every row at every step costs time: only where a cut can come.
                    stop=(self._runs_into_next_text
                          if self.labels_ is not None or self.cut_at_line_break_ else None),
                )
                for prompt, mask, continuation in zip(
                    batch["input_ids"], batch["attention_mask"], continuations, strict=True
                ):
                    ids = prompt[mask.bool()].tolist()
                    # The sample is what follows the prompt's last end-of-text token: its
                    # opening and continuation, without the in-context examples.
                    opening = len(ids) - ids[::-1].index(tokenizer.eos_token_id)
                    texts.append(
                        tokenizer.decode(ids[opening:] + continuation, skip_special_tokens=True)
                    )
                    n_tokens += len(continuation)
                bar.update(size)
        if len(texts) < n and self.verbose:
            print(f"sampled {len(texts)} of the {n} texts asked for: max_sampled_tokens="
                  f"{self.max_sampled_tokens} reached ({n_tokens} new tokens)")
        texts = [self._strip_prefix(text.strip()) for text in texts]
        return (texts, chosen[: len(texts)]) if return_sources else texts

    def _samples_left_in_budget(self, n_tokens, n_texts):
        """How many more samples ``max_sampled_tokens`` pays for, at the mean length of
        the samples so far (before any: at ``max_new_tokens`` each, at least one)."""
        if self.max_sampled_tokens is None:
            return np.inf
        if n_texts == 0:
            return max(1, self.max_sampled_tokens // self.max_new_tokens)
        mean = max(n_tokens / n_texts, 1.0)
        return max(0, int((self.max_sampled_tokens - n_tokens) // mean))

    def _prompts(self, n, rng):
        """End-of-text token, then the opening of a random training text (label included),
        after ``context_texts`` other training texts of its label, each ended by the
        end-of-text token; and which training text each prompt came from."""
        eos = self.tokenizer_.eos_token
        chosen = rng.choice(len(self.openings_), n)
        if self.context_texts == 0:  # draws nothing more: the same samples as before
            return [eos + self.openings_[i] for i in chosen], chosen
        by_label = {label: np.flatnonzero(self.opening_labels_ == label)
                    for label in np.unique(self.opening_labels_)}
        prompts = []
        for i in chosen:
            others = by_label[self.opening_labels_[i]]
            others = others[others != i]
            context = rng.choice(others, min(self.context_texts, len(others)), replace=False)
            prompts.append("".join(eos + self.contexts_[j] for j in context) + eos
                           + self.openings_[i])
        return prompts, chosen

    def _runs_into_next_text(self, ids):
        """Whether a sample's new tokens already hold a second label prefix or a line
        break, where ``_strip_prefix`` will cut it: sampling it further is wasted."""
        text = self.tokenizer_.decode(ids)
        # Without opening words a break before the first word is stripped, not cut at.
        body = text if self.prompt_words else text.lstrip()
        return bool(
            (self.labels_ is not None and _NEXT_TEXT.search(text))
            or (self.cut_at_line_break_ and _LINE_BREAK.search(body))
        )

    def _strip_prefix(self, text):
        """The sample without its label prefix, cut where a second text would begin."""
        if self.labels_ is not None:
            for label in self.labels_:
                if text.startswith(self._prefix(label).strip()):
                    text = text[len(self._prefix(label).strip()) :].strip()
                    break
            text = _NEXT_TEXT.split(text + " ", maxsplit=1)[0].strip()
        if self.cut_at_line_break_:
            text = _LINE_BREAK.split(text, maxsplit=1)[0].strip()
        return text
