"""How the teacher reads a text: its pooling, and which tokens of a long text. A
validation study of the teacher alone.

The default teacher finetunes MiniLM-L6 through ``AutoModelForSequenceClassification``:
BERT's [CLS] pooler, and the first 128 tokens of each text. Three other readings:

- ``mean_pooling``: the mean of the token outputs in place of the [CLS] pooler, the
  pooling the sentence encoder was trained with (SetFit reads it so);
- ``head_tail``: the first 64 and the last 62 tokens of a long text in place of the
  first 126 (Sun et al., 2019, found head and tail best for long reviews);
- ``first_256``: the first 256 tokens (``max_length=256``): twice the tokens, and
  attention grows with their square.

For one labeled sample, it fits the teacher in each setting and scores it on 1,000 other
training-pool texts, or the dev set with ``--validation dev`` (never the test set).
Appends one row per setting to ``teacher_reading.csv``::

    python benchmarks/teacher_reading.py --data-dir ../shared/data \\
        --dataset bbc_news --k 16 --seed 0 --settings default head_tail first_256
"""

import contextlib
import time
from pathlib import Path
from unittest import mock

import numpy as np
from _results import (  # benchmarks/_results.py
    append_row,
    labeled_sample_and_validation,
    one_sample_study_arguments,
)

from sklearn_gd import TransformerClassifier
from sklearn_gd._utils import autocast
from sklearn_gd.teacher import SequenceClassificationModule


def mean_pooling_forward(self, input_ids, attention_mask, **kwargs):
    """SequenceClassificationModule.forward with the mean of the token outputs pooled."""
    width = int(attention_mask.sum(dim=1).max())
    inputs = {"input_ids": input_ids, "attention_mask": attention_mask, **kwargs}
    inputs = {key: value[:, :width] for key, value in inputs.items()}
    with autocast(input_ids.device, self.dtype):
        hidden = self.model.base_model(**inputs).last_hidden_state
        mask = inputs["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1)
        logits = self.model.classifier(self.model.dropout(pooled))
    return logits.float()


class HeadTailTeacher(TransformerClassifier):
    """Reads the first ``head`` and the last tokens of a text longer than ``max_length``."""

    head = 64

    def _encode(self, texts):
        tokenizer, budget = self.tokenizer_, self.max_length - 2  # [CLS] and [SEP]
        rows = []
        for ids in tokenizer(texts, add_special_tokens=False)["input_ids"]:
            if len(ids) > budget:
                ids = ids[: self.head] + ids[len(ids) - (budget - self.head) :]
            rows.append([tokenizer.cls_token_id, *ids, tokenizer.sep_token_id])
        # No token_type_ids: BERT takes them as zeros, as the default encoding gives them.
        encoded = tokenizer.pad({"input_ids": rows}, return_tensors="np")
        return {key: value.astype(np.int64) for key, value in encoded.items()}


SETTINGS = {
    "default": lambda seed: (TransformerClassifier(random_state=seed), contextlib.nullcontext()),
    "mean_pooling": lambda seed: (TransformerClassifier(random_state=seed), mock.patch.object(
        SequenceClassificationModule, "forward", mean_pooling_forward)),
    "head_tail": lambda seed: (HeadTailTeacher(random_state=seed), contextlib.nullcontext()),
    "first_256": lambda seed: (TransformerClassifier(max_length=256, random_state=seed),
                               contextlib.nullcontext()),
}

args = one_sample_study_arguments(__doc__, add_arguments=lambda parser: parser.add_argument(
    "--settings", nargs="+", choices=list(SETTINGS), default=list(SETTINGS)))
X, y, X_valid, y_valid = labeled_sample_and_validation(
    args.data_dir, args.dataset, args.k, seed=args.seed, validation=args.validation)
for setting in args.settings:
    teacher, context = SETTINGS[setting](args.seed)
    with context:
        start = time.perf_counter()
        teacher.fit(X, y)
        fit_seconds = time.perf_counter() - start
        accuracy = float(np.mean(teacher.predict(X_valid) == y_valid))
    append_row(Path(args.out) / "teacher_reading.csv", {
        "dataset": args.dataset, "k": args.k, "seed": args.seed, "validation": args.validation,
        "setting": setting, "valid_accuracy": round(accuracy, 4),
        "fit_seconds": round(fit_seconds)})
