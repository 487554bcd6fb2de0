"""A SetFit-like teacher (frozen sentence embeddings + logistic regression) against the
finetuned one, and their average, on a validation split.

For each dataset and K (labeled sample 0), scores on 1,000 texts of the training pool
outside the labeled sample (never the test set): the default finetuned MiniLM-L6 teacher;
logistic regression (C=1) on MiniLM-L6's mean-pooled, normalised embeddings, not finetuned;
and the mean and geometric mean of their probabilities. Writes
``teacher_alternatives.csv``::

    python benchmarks/teacher_alternatives.py --data-dir ../shared/data
"""

import argparse
from pathlib import Path

import numpy as np
import torch
from _results import labeled_sample_and_validation, write_csv  # benchmarks/_results.py
from sklearn.linear_model import LogisticRegression
from transformers import AutoModel, AutoTokenizer

from sklearn_gd import TransformerClassifier, resolve_model

parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
parser.add_argument("--data-dir", required=True)
parser.add_argument("--points", nargs="+", default=["sst2:16", "ag_news:16", "sst2:100"])
parser.add_argument("--out", default=str(Path(__file__).parent / "results"))
args = parser.parse_args()

path = resolve_model("sentence-transformers/all-MiniLM-L6-v2")
tokenizer, encoder = AutoTokenizer.from_pretrained(path), AutoModel.from_pretrained(path).eval()


def embed(texts):
    """Mean-pooled, L2-normalised sentence embeddings (as sentence-transformers does)."""
    out = []
    with torch.inference_mode():
        for i in range(0, len(texts), 64):
            batch = tokenizer(texts[i : i + 64], truncation=True, max_length=128,
                              padding=True, return_tensors="pt")
            mask = batch["attention_mask"].unsqueeze(-1).float()
            mean = (encoder(**batch).last_hidden_state * mask).sum(1) / mask.sum(1)
            out.append(torch.nn.functional.normalize(mean, dim=1).numpy())
    return np.vstack(out)


rows = []
for point in args.points:
    name, k = point.split(":")
    X, y, X_valid, y_valid = labeled_sample_and_validation(args.data_dir, name, int(k))
    finetuned = TransformerClassifier(random_state=0).fit(X, y).predict_proba(X_valid)
    embedded = LogisticRegression(C=1, max_iter=2000).fit(embed(X), y).predict_proba(
        embed(X_valid))
    classes = np.unique(y)
    for system, proba in [
        ("finetuned", finetuned), ("embeddings + LR", embedded),
        ("mean", (finetuned + embedded) / 2),
        ("geometric mean", np.sqrt((finetuned + 1e-9) * (embedded + 1e-9))),
    ]:
        accuracy = float(np.mean(classes[proba.argmax(axis=1)] == y_valid))
        rows.append({"dataset": name, "k": int(k), "teacher": system,
                     "valid_accuracy": round(accuracy, 3)})
        print(rows[-1], flush=True)
write_csv(Path(args.out) / "teacher_alternatives.csv", rows)
