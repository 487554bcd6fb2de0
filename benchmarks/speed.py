"""Speed of generation-distillation on this machine: AG News, K=100 labeled per class.

Everything below is measured in one run of this script:

1. the whole default ``fit`` (time per stage, peak memory of the process, accuracy), in a
   child process so that its peak memory is its own;
2. prediction throughput on one thread, tokenization included: the student against the
   teacher;
3. sampling throughput of the finetuned generator: ``CausalLMGenerator.generate`` against
   plain ``model.generate`` (float32, batch 16) on the same model and the same kind of
   prompts (tokens counted by re-tokenizing the samples, the same way for both);
4. scaling: stage times against the number of generated texts and against K. Fit time is
   the sum of the measured stage times (one teacher and generator fit per K, one sampling
   run cut into chunks for the sizes).

Writes ``speed.csv`` (one row per measurement), ``speed.md`` (the report) and
``speed_scaling.png`` (the plot) into ``--out``::

    pip install matplotlib
    python benchmarks/speed.py
"""

import argparse
import copy
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from _results import write_csv  # benchmarks/_results.py

RESULTS = Path(__file__).parent / "results"


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--data-dir", default=None, help="folder with ag_news/ (default: sample)")
    parser.add_argument("--sizes", default="1000,2000,4000", help="n_generated to time")
    parser.add_argument("--ks", default="25,50,100", help="labeled texts per class to time")
    parser.add_argument("--baseline-samples", type=int, default=64,
                        help="texts sampled with plain generate (slow: keep it small)")
    parser.add_argument("--parts", default="fit,predict,scaling", help="which parts to run")
    parser.add_argument("--out", default=str(RESULTS))
    parser.add_argument("--part", default=None, help=argparse.SUPPRESS)  # child processes
    args = parser.parse_args()
    if args.part:
        print(json.dumps(PARTS[args.part](args)))
        return
    one_thread = {"OMP_NUM_THREADS": "1", "RAYON_NUM_THREADS": "1"}
    rows = []
    for part in args.parts.split(","):
        rows += run_part(part, args, env=one_thread if part == "predict" else None)
    write_results(rows, Path(args.out))


def run_part(part, args, env=None):
    """Run one part in a fresh Python process (own peak memory, own thread settings)."""
    command = [sys.executable, __file__, "--part", part, "--data-dir", str(args.data_dir or ""),
               "--sizes", args.sizes, "--ks", args.ks,
               "--baseline-samples", str(args.baseline_samples)]
    print(f"[speed] {part} ...", flush=True)
    start = time.perf_counter()
    output = subprocess.run(command, check=True, capture_output=True, text=True,
                            env={**os.environ, **(env or {})}).stdout
    rows = json.loads(output.strip().splitlines()[-1])
    print(f"[speed] {part} done in {time.perf_counter() - start:.0f}s", flush=True)
    return rows


def load(args, k=100):
    from sklearn_gd.datasets import load_dataset

    data = load_dataset("ag_news", k=100, seed=0, data_dir=args.data_dir or None)
    if k < 100:  # the first k texts of each class of the K=100 sample
        y = np.asarray(data.y_train)
        keep = np.concatenate([np.flatnonzero(y == label)[:k] for label in np.unique(y)])
        data.X_train = [data.X_train[i] for i in np.sort(keep)]
        data.y_train = y[np.sort(keep)]
    return data


def peak_memory_gb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # kB on Linux


def reset_peak_memory():
    """Restart the kernel's count of peak memory (VmHWM) of this process (Linux)."""
    Path("/proc/self/clear_refs").write_text("5")


def stage_peak_memory_gb():
    """Peak resident memory since the last reset_peak_memory() (VmHWM, Linux)."""
    status = Path("/proc/self/status").read_text()
    kilobytes = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
    return int(kilobytes) / 1024**2


def row(measure, value, unit, **extra):
    return {"measure": measure, "value": round(float(value), 4), "unit": unit, **extra}


def part_fit(args):
    """The whole default fit, as a user runs it."""
    from sklearn_gd import GenerationDistillationClassifier

    data = load(args)
    start = time.perf_counter()
    clf = GenerationDistillationClassifier(random_state=0).fit(data.X_train, data.y_train)
    total = time.perf_counter() - start
    accuracy = np.mean(clf.predict(data.X_test) == np.asarray(data.y_test))
    rows = [row("fit_total_s", total, "s"), row("fit_accuracy", accuracy, "accuracy"),
            row("fit_peak_memory_gb", peak_memory_gb(), "GB"),
            row("fit_generated_kept", clf.n_generated_, "texts")]
    rows += [row(f"fit_stage_{stage}_s", seconds, "s")
             for stage, seconds in clf.stage_times_.items()]
    return rows


def new_tokens(tokenizer, texts, prompts):
    """Tokens each sample added to its prompt (re-tokenized: the same count for both)."""
    def count(strings):
        return sum(map(len, tokenizer(strings, add_special_tokens=False).input_ids))

    return count(texts) - count([prompt.replace(tokenizer.eos_token, "") for prompt in prompts])


def plain_generate_rate(generator, n):
    """Tokens/s of plain ``model.generate`` (float32, batch 16) on the generator's model."""
    import torch

    tokenizer = generator.tokenizer_
    model = copy.deepcopy(generator.net_.module_.model).float().eval()
    prompts = generator._prompts(n, np.random.default_rng(0))[0]
    texts, start = [], time.perf_counter()
    with torch.inference_mode():
        for first in range(0, n, 16):
            batch = tokenizer(prompts[first : first + 16], add_special_tokens=False,
                              padding=True, return_tensors="pt")
            output = model.generate(
                **batch, do_sample=True, top_k=generator.top_k, top_p=generator.top_p,
                max_new_tokens=generator.max_new_tokens, pad_token_id=tokenizer.eos_token_id,
            )
            texts += tokenizer.batch_decode(output, skip_special_tokens=True)
    return new_tokens(tokenizer, texts, prompts) / (time.perf_counter() - start)


def part_predict(args):
    """Prediction throughput on one thread (OMP/RAYON_NUM_THREADS=1), tokenization included."""
    import torch

    from sklearn_gd import StudentClassifier, TransformerClassifier

    torch.set_num_threads(1)
    data = load(args)
    student = StudentClassifier(random_state=0).fit(data.X_train, data.y_train)
    teacher = TransformerClassifier(epochs=1, random_state=0).fit(data.X_train, data.y_train)
    texts = list(data.X_test) * 10  # 20,000 AG News texts
    student.predict_proba(texts[:1000])  # warm-up
    start = time.perf_counter()
    student.predict_proba(texts)
    student_rate = len(texts) / (time.perf_counter() - start)
    start = time.perf_counter()
    teacher.predict_proba(data.X_test[:500])
    teacher_rate = 500 / (time.perf_counter() - start)
    return [
        row("predict_student_texts_per_s", student_rate, "texts/s", texts=len(texts)),
        row("predict_teacher_texts_per_s", teacher_rate, "texts/s", texts=500),
        row("predict_student_over_teacher", student_rate / teacher_rate, "x"),
    ]


def part_scaling(args):
    """Stage times against n_generated and K; fit time is their sum."""
    from sklearn_gd import CausalLMGenerator, StudentClassifier, TransformerClassifier
    from sklearn_gd._classifier import soften
    from sklearn_gd.filtering import filter_generated

    sizes = [int(n) for n in args.sizes.split(",")]
    rows = []
    ks = sorted(int(k) for k in args.ks.split(","))
    for k in ks:
        data = load(args, k)
        reset_peak_memory()
        start = time.perf_counter()
        teacher = TransformerClassifier(random_state=0).fit(data.X_train, data.y_train)
        teacher_s = time.perf_counter() - start
        teacher_gb = stage_peak_memory_gb()
        reset_peak_memory()
        start = time.perf_counter()
        generator = CausalLMGenerator(random_state=0).fit(data.X_train)
        finetune_s = time.perf_counter() - start
        rows += [row("scaling_teacher_s", teacher_s, "s", k=k),
                 row("scaling_generator_finetune_s", finetune_s, "s", k=k),
                 row("scaling_teacher_peak_memory_gb", teacher_gb, "GB", k=k),
                 row("scaling_finetune_peak_memory_gb", stage_peak_memory_gb(), "GB", k=k)]
        if k != ks[-1]:
            continue
        # Sampling: plain generate, then generate() in chunks; size n is the first n texts.
        plain_rate = plain_generate_rate(generator, args.baseline_samples)
        # One sampling run in chunks of the smallest size; size n is its first n texts.
        chunk, texts, prompts, elapsed, sampling_gb = sizes[0], [], [], 0.0, 0.0
        while len(texts) < max(sizes):
            reset_peak_memory()
            prompts += generator._prompts(chunk, np.random.default_rng(len(texts)))[0]
            start = time.perf_counter()
            texts += generator.generate(chunk, random_state=len(texts))
            elapsed += time.perf_counter() - start
            sampling_gb = max(sampling_gb, stage_peak_memory_gb())
            if len(texts) in sizes:
                n = len(texts)
                reset_peak_memory()
                start = time.perf_counter()
                kept, _ = filter_generated(texts, data.X_train)
                filter_s = time.perf_counter() - start
                transfer = kept + list(data.X_train)
                start = time.perf_counter()
                targets = soften(teacher.predict_proba(transfer), 1.0)
                label_s = time.perf_counter() - start
                start = time.perf_counter()
                StudentClassifier(random_state=0).fit(transfer, targets.astype(np.float32))
                student_s = time.perf_counter() - start
                rows += [row("scaling_sampling_s", elapsed, "s", n_generated=n),
                         row("scaling_filter_s", filter_s, "s", n_generated=n),
                         row("scaling_soft_label_s", label_s, "s", n_generated=n),
                         row("scaling_student_s", student_s, "s", n_generated=n),
                         row("scaling_sampling_peak_memory_gb", sampling_gb, "GB", n_generated=n),
                         row("scaling_label_and_student_peak_memory_gb", stage_peak_memory_gb(),
                             "GB", n_generated=n)]
        ours_rate = new_tokens(generator.tokenizer_, texts, prompts) / elapsed
        rows += [
            row("sampling_plain_generate_tokens_per_s", plain_rate, "tokens/s",
                texts=args.baseline_samples, batch=16),
            row("sampling_ours_tokens_per_s", ours_rate, "tokens/s", texts=len(texts),
                batch=generator.generation_batch_size),
            row("sampling_speedup", ours_rate / plain_rate, "x"),
        ]
    return rows


PARTS = {"fit": part_fit, "predict": part_predict, "scaling": part_scaling}


def write_results(rows, out):
    out.mkdir(parents=True, exist_ok=True)
    keys = ["measure", "value", "unit", "k", "n_generated", "texts", "batch"]
    write_csv(out / "speed.csv", rows, fieldnames=keys)
    report = make_report(rows)
    (out / "speed.md").write_text(report)
    print(report)
    plot_scaling(rows, out / "speed_scaling.png")


def value(rows, measure, **where):
    """The measured value (NaN when that part was not run)."""
    return next((r["value"] for r in rows if r["measure"] == measure
                 and all(r.get(k) == v for k, v in where.items())), float("nan"))


def scaling_table(rows):
    """Fit time for each (K, n_generated) from the measured stage times."""
    sizes = sorted({r["n_generated"] for r in rows if "n_generated" in r})
    ks = sorted({r["k"] for r in rows if r["measure"] == "scaling_teacher_s"})
    table = []
    for k in ks:
        for n in sizes if k == ks[-1] else [sizes[len(sizes) // 2]]:
            stages = {
                "teacher": value(rows, "scaling_teacher_s", k=k),
                "finetune": value(rows, "scaling_generator_finetune_s", k=k),
                "sampling": value(rows, "scaling_sampling_s", n_generated=n),
                "filter": value(rows, "scaling_filter_s", n_generated=n),
                "soft-label": value(rows, "scaling_soft_label_s", n_generated=n),
                "student": value(rows, "scaling_student_s", n_generated=n),
            }
            table.append({"k": k, "n_generated": n, **stages, "total": sum(stages.values()),
                          "dominant": max(stages, key=stages.get)})
    return table


def make_report(rows):
    def get(measure):
        return value(rows, measure)

    stages = [r for r in rows if r["measure"].startswith("fit_stage_")]
    lines = [
        "# Speed on this machine (2 CPU cores, no GPU)",
        "",
        "Measured in one run of `python benchmarks/speed.py`; AG News, K=100 labeled per class.",
        "",
        "| target | measured | target | met |",
        "|---|---|---|---|",
        f"| whole default `fit` | {get('fit_total_s'):.0f} s ({get('fit_total_s') / 60:.1f} min), "
        f"GD student accuracy {get('fit_accuracy'):.3f} | <= 600 s | "
        f"{'yes' if get('fit_total_s') <= 600 else 'no'} |",
        f"| sampling vs plain `generate` (batch 16) | {get('sampling_ours_tokens_per_s'):.0f} vs "
        f"{get('sampling_plain_generate_tokens_per_s'):.0f} tokens/s = "
        f"{get('sampling_speedup'):.1f}x | >= 3x | "
        f"{'yes' if get('sampling_speedup') >= 3 else 'no'} |",
        f"| student `predict_proba`, 1 thread | {get('predict_student_texts_per_s'):,.0f} texts/s "
        f"| >= 20,000 | {'yes' if get('predict_student_texts_per_s') >= 20000 else 'no'} |",
        f"| student vs teacher, 1 thread | {get('predict_student_over_teacher'):,.0f}x "
        f"(teacher {get('predict_teacher_texts_per_s'):.1f} texts/s) | >= 100x | "
        f"{'yes' if get('predict_student_over_teacher') >= 100 else 'no'} |",
        f"| peak memory of `fit` | {get('fit_peak_memory_gb'):.2f} GB | < 6 GB | "
        f"{'yes' if get('fit_peak_memory_gb') < 6 else 'no'} |",
        "",
        "Stages of the default fit (s): "
        + ", ".join(f"{r['measure'][10:-2]} {r['value']:.0f}" for r in stages) + ".",
        "",
        "## Scaling",
        "",
        "Fit time = sum of the measured stage times (teacher and generator fitted once per K;",
        "one sampling run cut at each size; filter, soft-label and student timed per size).",
        "",
        "| K | n_generated | teacher | finetune | sampling | filter | soft-label | student "
        "| fit (s) | slowest stage |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for t in scaling_table(rows):
        lines.append(
            f"| {t['k']} | {t['n_generated']} | {t['teacher']:.0f} | {t['finetune']:.0f} | "
            f"{t['sampling']:.0f} | {t['filter']:.1f} | {t['soft-label']:.0f} | "
            f"{t['student']:.0f} | {t['total']:.0f} | {t['dominant']} |"
        )
    memory = [r for r in rows if r["measure"] == "scaling_sampling_peak_memory_gb"]
    top_k = max((r["k"] for r in rows if "k" in r), default=None)
    labeling = [r for r in rows if r["measure"] == "scaling_label_and_student_peak_memory_gb"]
    lines += ["", "Peak resident memory of the whole process while sampling n texts: "
              + ", ".join(f"{r['n_generated']}: {r['value']:.2f} GB" for r in memory)
              + "; while filtering, soft-labeling and fitting the student on them: "
              + ", ".join(f"{r['n_generated']}: {r['value']:.2f} GB" for r in labeling)
              + f"; while fitting the teacher (K={top_k}): "
              f"{value(rows, 'scaling_teacher_peak_memory_gb', k=top_k):.2f} GB; while "
              f"finetuning the generator: "
              f"{value(rows, 'scaling_finetune_peak_memory_gb', k=top_k):.2f} GB.",
              "", "![fit time against n_generated and K](speed_scaling.png)", ""]
    return "\n".join(lines)


def plot_scaling(rows, path):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no plot (pip install matplotlib)")
        return
    table = scaling_table(rows)
    sizes = sorted({t["n_generated"] for t in table})
    middle = sizes[len(sizes) // 2]  # the size timed for every K
    stages = ["teacher", "finetune", "sampling", "filter", "soft-label", "student"]
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, key, subset in [
        (axes[0], "n_generated", [t for t in table if t["k"] == max(t["k"] for t in table)]),
        (axes[1], "k", [t for t in table if t["n_generated"] == middle]),
    ]:
        x = [t[key] for t in subset]
        bottom = np.zeros(len(subset))
        for stage in stages:
            heights = np.array([t[stage] for t in subset])
            ax.bar([str(v) for v in x], heights, bottom=bottom, label=stage)
            bottom += heights
        ax.set_xlabel(key if key == "n_generated" else "K (labeled per class)")
        ax.set_ylabel("fit time (s)")
    axes[0].set_title(f"K={max(t['k'] for t in table)}")
    axes[1].set_title(f"n_generated={middle}")
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)


if __name__ == "__main__":
    main()
