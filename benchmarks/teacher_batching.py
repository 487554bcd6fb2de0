"""The teacher's training batches and optimizer: time and accuracy of this version
(batches of texts of similar length, fused AdamW) against the previous one (random
batches, AdamW's loop implementation), on validation splits.

Every batch is cut to its longest text, so a random batch computes padding: at AG News
K=100 1.75 times the texts' tokens. On 2 AVX2 cores a step of 16 texts of 90 tokens took
0.84 s forward and backward, and AdamW's loop 0.09-0.11 s more (0.02 s fused). For each
``--points`` entry ``dataset:K:seed`` (a labeled sample of ``splits.json``) this fits
the default ``TransformerClassifier`` both ways, one after the other in this process,
and scores each on 1,000 other pool texts, or SST-2's dev sentences (never the test
set). "previous" puts back the data loader's shuffling and AdamW without ``fused``: the
same batches and updates as before this version; ``--variants this`` fits this version
only. Appends to ``teacher_batching.csv``::

    python benchmarks/teacher_batching.py --data-dir ../shared/data \\
        --points ag_news:100:0 sst2:100:0 ag_news:16:0 sst2:16:0
"""

import argparse
import time
from pathlib import Path
from unittest import mock

import numpy as np
import torch
from _results import append_row, labeled_sample_and_validation  # benchmarks/_results.py

import sklearn_gd.teacher
from sklearn_gd import TransformerClassifier


def previous_batches(lengths, batch_size):
    """What ``iterator_train__shuffle=True`` gave: a data loader's random order."""
    return torch.utils.data.RandomSampler(range(len(lengths)))


def previous_optimizer(device):
    return {"optimizer": torch.optim.AdamW}


VARIANTS = {  # --variants name: (label in the CSV, what to put back)
    "this": ("length-grouped batches, fused AdamW (this version)", []),
    "previous": ("random batches, AdamW loop (previous)", [
        mock.patch.object(sklearn_gd.teacher, "LengthGroupedSampler", previous_batches),
        mock.patch.object(sklearn_gd.teacher, "adamw", previous_optimizer),
    ]),
}

parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
parser.add_argument("--data-dir", required=True)
parser.add_argument("--points", nargs="+", required=True, help="dataset:K:seed")
parser.add_argument("--variants", nargs="+", choices=list(VARIANTS), default=list(VARIANTS))
parser.add_argument("--out", default=str(Path(__file__).parent / "results"))
args = parser.parse_args()
for point in args.points:
    dataset, k, seed = point.split(":")
    X, y, X_valid, y_valid = labeled_sample_and_validation(
        args.data_dir, dataset, int(k), seed=int(seed),
        validation="dev" if dataset == "sst2" else "pool")
    for variant, patches in (VARIANTS[name] for name in args.variants):
        for patch in patches:
            patch.start()
        try:
            start = time.perf_counter()
            teacher = TransformerClassifier(random_state=int(seed)).fit(X, y)
            seconds = time.perf_counter() - start
        finally:
            for patch in patches:
                patch.stop()
        append_row(Path(args.out) / "teacher_batching.csv", {
            "dataset": dataset, "k": k, "seed": seed, "variant": variant,
            "steps": teacher.epochs_ * -(-len(X) // teacher.batch_size),
            "valid_accuracy": round(float(np.mean(teacher.predict(X_valid) == y_valid)), 4),
            "n_valid": len(y_valid), "fit_seconds": round(seconds, 1)})
