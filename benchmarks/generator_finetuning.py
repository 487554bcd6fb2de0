"""How should the generator be finetuned on 400 texts? Held-out language-model loss.

Finetunes ``CausalLMGenerator`` (SmolLM2-135M) on the K=100 AG News labeled texts with
several settings and reports the next-token loss on 200 other AG News training texts
(from the unlabeled pool, never the test set): the lower, the better the generator models
the domain. Writes ``generator_finetuning.csv`` into ``--out``::

    python benchmarks/generator_finetuning.py
"""

import argparse
import time
from pathlib import Path

import numpy as np
import torch
from _results import write_csv  # benchmarks/_results.py

from sklearn_gd import CausalLMGenerator
from sklearn_gd.datasets import load_dataset

SETTINGS = {
    "all blocks, 1 epoch": dict(trainable_layers=None, epochs=1),
    "all blocks, 2 epochs": dict(trainable_layers=None, epochs=2),
    "top 10 blocks, 1 epoch": dict(trainable_layers=10, epochs=1),
    "top 10 blocks, 2 epochs": dict(trainable_layers=10, epochs=2),
    "top 10 blocks, 4 epochs": dict(trainable_layers=10, epochs=4),
    "top 10 blocks, 2 epochs, lr 1e-4": dict(trainable_layers=10, epochs=2, learning_rate=1e-4),
}

parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
parser.add_argument("--data-dir", default=None)
parser.add_argument("--out", default=str(Path(__file__).parent / "results"))
args = parser.parse_args()

data = load_dataset("ag_news", k=100, seed=0, data_dir=args.data_dir)
held_out = list(data.X_pool[:200])


def held_out_loss(generator):
    """Mean next-token loss on the held-out texts, packed as in training."""
    module, criterion = generator.net_.module_.eval(), generator.net_.criterion_
    blocks = torch.as_tensor(generator._pack(held_out))
    with torch.inference_mode():
        losses = [criterion(module(blocks[i : i + 8]), blocks[i : i + 8]).item()
                  for i in range(0, len(blocks), 8)]
    return float(np.mean(losses))


rows = []
for name, params in SETTINGS.items():
    start = time.perf_counter()
    generator = CausalLMGenerator(random_state=0, dtype="bfloat16", **params).fit(data.X_train)
    seconds = time.perf_counter() - start
    rows.append({"setting": name, "finetune_s": round(seconds),
                 "train_loss": round(generator.net_.history[-1]["train_loss"], 3),
                 "held_out_loss": round(held_out_loss(generator), 3)})
    print(rows[-1], flush=True)

out = Path(args.out)
write_csv(out / "generator_finetuning.csv", rows)
