"""Stopping a sample where it runs into a second text: time saved, samples unchanged.

A label-conditioned sample that writes a second label prefix (``[Sports]``, or an invented
one) is cut there afterwards; since this version the sampling loop also stops that row
there, instead of sampling it on to ``max_new_tokens``. Finetunes the default
label-conditioned generator once on a K-per-class labeled sample, then samples ``--n``
texts with the stop and without it (the previous behaviour) from the same model and
sampling seeds, and records the time, the tokens sampled, the rows that reached the token
limit and the words per kept sample (the cut texts follow the same distribution either
way; only the random draws of the rows after a stopped one differ). Writes
``sampling_stop.csv`` into ``--out``::

    python benchmarks/sampling_stop.py --data-dir ../shared/data --dataset ag_news --k 100 \\
        --n 1024 --repeats 1
"""

import argparse
import time
from pathlib import Path

import numpy as np
import torch
from _results import write_csv  # benchmarks/_results.py

import sklearn_gd.generator
from sklearn_gd import CausalLMGenerator
from sklearn_gd.datasets import load_dataset
from sklearn_gd.sampling import sample_batch

parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
parser.add_argument("--dataset", default="ag_news")
parser.add_argument("--k", type=int, default=16)
parser.add_argument("--data-dir", default=None, help="default: the sample shipped with the package")
parser.add_argument("--n", type=int, default=1024, help="texts sampled per setting and seed")
parser.add_argument("--repeats", type=int, default=1, help="sampling seeds")
parser.add_argument("--out", default=str(Path(__file__).parent / "results"))
args = parser.parse_args()

continuations = []
setting = {"stop_early": True}


def recording_sample_batch(*positional, **options):
    """The library's sampling loop, with or without its stop, keeping every row's tokens."""
    if not setting["stop_early"]:
        options["stop"] = None
    rows = sample_batch(*positional, **options)
    continuations.extend(rows)
    return rows


data = load_dataset(args.dataset, k=args.k, seed=0, data_dir=args.data_dir)
generator = CausalLMGenerator(conditional=True, random_state=0).fit(data.X_train, data.y_train)
generator.generate(8, random_state=0)  # casts the model for sampling once, outside the timing
sklearn_gd.generator.sample_batch = recording_sample_batch
rows = []
for repeat in range(args.repeats):
    for stop_early in (False, True):
        setting["stop_early"] = stop_early
        continuations.clear()
        start = time.perf_counter()
        texts = generator.generate(args.n, random_state=repeat)
        seconds = time.perf_counter() - start
        kept = [text for text in texts if text]
        rows.append({
            "dataset": args.dataset, "k": args.k, "sampling_seed": repeat,
            "stop_at_second_text": stop_early, "n": args.n, "seconds": round(seconds, 1),
            "texts_per_s": round(args.n / seconds, 2),
            "tokens_sampled": sum(map(len, continuations)),
            "rows_at_token_limit": sum(len(c) == generator.max_new_tokens
                                       for c in continuations),
            "words_per_sample": round(float(np.mean([len(t.split()) for t in kept])), 1),
            "threads": torch.get_num_threads(),
        })
        print(rows[-1], flush=True)
sklearn_gd.generator.sample_batch = sample_batch
write_csv(Path(args.out) / "sampling_stop.csv", rows)
