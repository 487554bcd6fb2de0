"""Why the fit is slow on a CPU without native bfloat16: where sampling stands against the
CPU's own speed for matrix products.

Times, on this machine, (1) float32 matrix products of the shapes the default generator
(SmolLM2-135M) multiplies while sampling a batch, and (2) ``sample_batch`` itself on
``--rows`` prompts for ``--steps`` new tokens (no row ends early) with the pretrained
weights in each ``--dtypes``. For (2) it also counts the floating-point operations of the
generator's weight matrices (2 per weight and token, the output layer included), so that
the effective rate can be set against (1). Writes ``sampling_precision_cpu.csv`` into
``--out``::

    python benchmarks/sampling_precision_cpu.py --rows 256 --steps 32 --dtypes float32 bfloat16
"""

import argparse
import platform
import time
from pathlib import Path

import torch
from _results import write_csv  # benchmarks/_results.py
from transformers import AutoModelForCausalLM, AutoTokenizer

from sklearn_gd import resolve_model
from sklearn_gd.datasets import load_dataset
from sklearn_gd.sampling import sample_batch

parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
parser.add_argument("--rows", type=int, default=256)
parser.add_argument("--steps", type=int, default=32)
parser.add_argument("--dtypes", nargs="+", default=["float32", "bfloat16"])
parser.add_argument("--out", default=str(Path(__file__).parent / "results"))
args = parser.parse_args()

cpu_flags = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
cpu = ("avx512_bf16" if "avx512_bf16" in cpu_flags
       else "avx512" if "avx512f" in cpu_flags else "avx2" if "avx2" in cpu_flags
       else platform.machine())
rows = []


def timed(function, repeats):
    function()  # warm-up
    start = time.perf_counter()
    for _ in range(repeats):
        function()
    return (time.perf_counter() - start) / repeats


# (1) float32 matrix products: a block's projection and the output layer, 512 and 64 rows.
for m, k, n in [(512, 576, 1536), (64, 576, 1536), (512, 576, 49152)]:
    a, b = torch.randn(m, k), torch.randn(k, n)
    seconds = timed(lambda a=a, b=b: a @ b, 10)
    rows.append({"cpu": cpu, "what": f"matmul {m}x{k} @ {k}x{n}", "dtype": "float32",
                 "seconds": round(seconds, 4), "gflops": round(2 * m * k * n / seconds / 1e9)})
    print(rows[-1])

# (2) sample_batch with the pretrained generator, prompted with AG News openings.
path = resolve_model("HuggingFaceTB/SmolLM2-135M-Instruct")
tokenizer = AutoTokenizer.from_pretrained(path)
tokenizer.padding_side = "left"
tokenizer.pad_token = tokenizer.pad_token or tokenizer.eos_token
texts = list(load_dataset("ag_news", k=100, seed=0).X_train)
prompts = [tokenizer.eos_token + texts[i % len(texts)].split()[0] for i in range(args.rows)]
batch = tokenizer(prompts, add_special_tokens=False, padding=True, return_tensors="pt")
for dtype in args.dtypes:
    model = AutoModelForCausalLM.from_pretrained(path, dtype=getattr(torch, dtype)).eval()
    # Weights multiplied per token: every linear layer, and the (tied) output layer.
    weights = sum(module.weight.numel() for module in model.modules()
                  if isinstance(module, torch.nn.Linear))
    torch.manual_seed(0)
    start = time.perf_counter()
    sample_batch(model, batch["input_ids"], batch["attention_mask"], max_new_tokens=args.steps,
                 eos_token_id=-1, top_k=50, top_p=0.9, temperature=1.0)  # no row ends
    seconds = time.perf_counter() - start
    tokens = args.rows * args.steps
    rows.append({"cpu": cpu, "what": f"sample_batch {args.rows} rows x {args.steps} tokens",
                 "dtype": dtype, "seconds": round(seconds, 2),
                 "gflops": round(2 * weights * tokens / seconds / 1e9),
                 "tokens_per_s": round(tokens / seconds)})
    print(rows[-1])

write_csv(Path(args.out) / "sampling_precision_cpu.csv", rows,
          fieldnames=["cpu", "what", "dtype", "seconds", "gflops", "tokens_per_s"])
