"""How many finetuning passes does the generator need for K labeled texts per class?

Finetunes the default label-conditioned generator (SmolLM2-135M) on the K-per-class labeled
sample and, after each epoch, reports the next-token loss on 200 texts of the training pool
that are not in the sample (never the test set), conditioned on their true labels as in
training: the lower, the better the generator models the domain. Writes
``generator_epochs.csv`` into ``--out``::

    python benchmarks/generator_epochs.py --data-dir ../shared/data
"""

import argparse
import time
from pathlib import Path

import numpy as np
import torch
from _results import labeled_sample_and_validation, write_csv  # benchmarks/_results.py

from sklearn_gd import CausalLMGenerator

parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
parser.add_argument("--data-dir", required=True)
parser.add_argument("--points", nargs="+", default=["ag_news:16", "sst2:16", "bbc_news:16",
                                                     "ag_news:100"])
parser.add_argument("--max-epochs", type=int, default=6)
parser.add_argument("--out", default=str(Path(__file__).parent / "results"))
args = parser.parse_args()


def held_out_loss(generator, texts, labels):
    """Mean next-token loss on held-out texts, prefixed and packed as in training."""
    module, criterion = generator.net_.module_.eval(), generator.net_.criterion_
    prefixed = [generator._prefix(label) + text for label, text in zip(labels, texts,
                                                                      strict=True)]
    blocks = torch.as_tensor(generator._pack(prefixed, np.random.default_rng(0)))
    with torch.inference_mode():
        losses = [criterion(module(blocks[i : i + 8]), blocks[i : i + 8]).item()
                  for i in range(0, len(blocks), 8)]
    module.train()
    return float(np.mean(losses))


rows = []
for point in args.points:
    name, k = point.split(":")
    X, y, X_held, y_held = labeled_sample_and_validation(args.data_dir, name, int(k), 200)
    generator = CausalLMGenerator(conditional=True, random_state=0)
    start = time.perf_counter()
    generator.fit(X, y)
    # The same blocks as in fit (same texts, same seed): train on them for more epochs.
    prefixed = [generator._prefix(label) + text for label, text in zip(y, X, strict=True)]
    blocks = generator._pack(prefixed, np.random.default_rng(0))
    for epoch in range(1, args.max_epochs + 1):
        if epoch > 1:
            generator.net_.partial_fit({"input_ids": blocks}, blocks)
        loss = held_out_loss(generator, X_held, y_held)
        rows.append({"dataset": name, "k": int(k), "epochs": epoch,
                     "steps": epoch * -(-len(blocks) // 8),
                     "elapsed_s": round(time.perf_counter() - start),
                     "held_out_loss": round(loss, 3)})
        print(rows[-1], flush=True)
    write_csv(Path(args.out) / "generator_epochs.csv", rows)
