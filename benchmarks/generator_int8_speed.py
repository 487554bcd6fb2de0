"""Sampling speed of the default generator in its compute dtype and with int8 weights.

On a CPU without native bfloat16 (AVX2 only) the generator samples in float32, and the
default fit at AG News K=100 spent 825 s sampling 2,000 texts (the end-to-end example,
``example_ag_news_k100_s0_avx2.log``). PyTorch's dynamic quantization stores the weights
of every linear layer as int8 and runs those layers with int8 kernels; this measures
what that would save. It finetunes the default label-conditioned generator on the
K-per-class labeled sample (seed 0), times ``generate`` for ``--n-generated`` texts as it
is (``dtype="auto"``), then again with the linear layers quantized, and appends both to
``generator_int8_speed.csv`` with the mean number of words per sample and the CPU's
bfloat16 support::

    python benchmarks/generator_int8_speed.py --data-dir ../shared/data --dataset ag_news \\
        --k 16 --n-generated 256
"""

import time
from pathlib import Path

import numpy as np
import torch
from _results import append_row, study_point  # benchmarks/_results.py

from sklearn_gd._classifier import default_generator

args, (X, y, _, _) = study_point(__doc__)
generator = default_generator().set_params(random_state=0).fit(X, y)
native_bf16 = getattr(torch.cpu, "_is_avx512_bf16_supported", lambda: False)()
for setting in ["as it is (dtype auto)", "int8 linear layers"]:
    if setting.startswith("int8"):
        model = generator.net_.module_.model.float()
        torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8,
                                               inplace=True)
        generator.net_.module_.dtype = torch.float32
    start = time.perf_counter()
    texts = generator.generate(args.n_generated, random_state=0)
    seconds = time.perf_counter() - start
    append_row(Path(args.out) / "generator_int8_speed.csv", {
        "dataset": args.dataset, "k": args.k, "setting": setting,
        "native_bf16": native_bf16, "torch_threads": torch.get_num_threads(),
        "samples": args.n_generated, "seconds": round(seconds, 1),
        "samples_per_s": round(args.n_generated / seconds, 2),
        "mean_words": round(float(np.mean([len(t.split()) for t in texts])), 1)})
