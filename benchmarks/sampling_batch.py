"""How many samples should the generator sample together? Time and memory per batch size.

Finetunes the default label-conditioned generator once on a K-per-class labeled sample
(by default AG News K=16 seed 0, from the sample shipped with the package), then samples
``--n`` texts with each ``generation_batch_size`` from the same model and sampling seed,
and records the time, the words per sample (the samples' distribution does not depend on
the batch size, only the random draws do) and the extra memory while sampling (peak
resident memory above the level before the call, polled every 50 ms). Writes
``sampling_batch.csv`` into ``--out``::

    python benchmarks/sampling_batch.py --sizes 128 256 512 --n 512 --repeats 2
"""

import argparse
import ctypes
import os
import threading
import time
from functools import partial
from pathlib import Path

import numpy as np
import psutil
import torch
from _results import write_csv  # benchmarks/_results.py

from sklearn_gd import CausalLMGenerator
from sklearn_gd.datasets import load_dataset

parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
parser.add_argument("--dataset", default="ag_news")
parser.add_argument("--k", type=int, default=16)
parser.add_argument("--data-dir", default=None, help="default: the sample shipped with the package")
parser.add_argument("--sizes", type=int, nargs="+", default=[128, 256, 512])
parser.add_argument("--n", type=int, default=512, help="texts sampled per batch size")
parser.add_argument("--repeats", type=int, default=2, help="sampling seeds per batch size")
parser.add_argument("--out", default=str(Path(__file__).parent / "results"))
args = parser.parse_args()


def peak_extra_memory(call):
    """Run ``call()``; return its result and the peak resident memory above the start, in GB.

    Memory that earlier work freed is handed back to the system first (glibc's
    ``malloc_trim``), or sampling would reuse it unseen."""
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    process, peak, done = psutil.Process(os.getpid()), [0], threading.Event()
    start = process.memory_info().rss

    def poll():
        while not done.wait(0.05):
            peak[0] = max(peak[0], process.memory_info().rss - start)

    thread = threading.Thread(target=poll)
    thread.start()
    try:
        result = call()
    finally:
        done.set()
        thread.join()
    return result, peak[0] / 1e9


data = load_dataset(args.dataset, k=args.k, seed=0, data_dir=args.data_dir)
generator = CausalLMGenerator(conditional=True, random_state=0).fit(data.X_train, data.y_train)
generator.generate(8, random_state=0)  # casts the model for sampling once, outside the timing
rows = []
for repeat in range(args.repeats):
    for size in args.sizes:
        generator.generation_batch_size = size
        start = time.perf_counter()
        sample = partial(generator.generate, args.n, random_state=repeat)
        texts, extra_gb = peak_extra_memory(sample)
        seconds = time.perf_counter() - start
        rows.append({
            "dataset": args.dataset, "k": args.k, "sampling_seed": repeat,
            "generation_batch_size": size, "n": args.n, "seconds": round(seconds, 1),
            "texts_per_s": round(args.n / seconds, 2),
            "words_per_sample": round(float(np.mean([len(t.split()) for t in texts])), 1),
            "extra_memory_gb": round(extra_gb, 2), "threads": torch.get_num_threads(),
        })
        print(rows[-1], flush=True)
write_csv(Path(args.out) / "sampling_batch.csv", rows)
