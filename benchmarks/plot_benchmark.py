"""Plot and summarize the results of ``python -m sklearn_gd benchmark``.

Reads one or more ``results.csv`` files (a later file's row replaces an earlier one with the
same dataset, K, seed and system) and writes, in ``--output-dir``:

- ``accuracy_vs_k.png``: accuracy against K for each system, one panel per dataset; the
  line is the mean over seeds, the band spans their minimum to maximum;
- ``summary.md``: a markdown table of the means over seeds per dataset, K and system;
- ``gd_vs_samples.png``: GD student accuracy against the number of samples, where the
  results hold several (rows of runs with other ``--n-generated``).

The first two use the rows with one number of samples only: ``--n-generated``, by default
the one most ``gd`` rows ran with (the committed results ran the default of then, 2,000).

Usage: ``python benchmarks/plot_benchmark.py benchmark_results/results.csv``. Needs
matplotlib (``pip install sklearn-gd[benchmarks]``).
"""

import argparse
import csv
from collections import Counter, defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no display needed
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

# The order of sklearn_gd.benchmark.SYSTEMS (not imported: it would load torch).
SYSTEMS = ("tfidf_lr", "labels_only", "teacher", "teacher_vectors", "gd", "gd_real_pool")
MEANS = ("accuracy", "macro_f1", "fit_s", "predict_texts_per_s")
LEGACY_N_GENERATED = 2000  # files without the n_generated column ran this default


def _n_generated(row):
    return int(row.get("n_generated") or LEGACY_N_GENERATED)


def read_rows(paths, n_generated=None):
    """Rows of the result files with ``n_generated`` samples (``None``: the number most
    ``gd`` rows ran with) or none, the last one kept per dataset, K, seed and system."""
    all_rows = []
    for path in paths:
        with open(path, newline="") as file:
            all_rows += list(csv.DictReader(file))
    if n_generated is None:
        counts = Counter(_n_generated(row) for row in all_rows if row["system"] == "gd")
        n_generated = counts.most_common(1)[0][0] if counts else LEGACY_N_GENERATED
    rows = {}
    for row in all_rows:
        if row["system"] not in ("gd", "gd_real_pool") or _n_generated(row) == n_generated:
            rows[row["dataset"], int(row["k"]), int(row["seed"]), row["system"]] = row
    return rows


def read_sample_sweep(paths):
    """``{(dataset, k): {system: {n_generated: [accuracy over seeds]}}}`` of gd and
    gd_real_pool rows, and the teacher's accuracies under the key ``None``."""
    sweep = defaultdict(lambda: defaultdict(lambda: defaultdict(dict)))
    for path in paths:
        with open(path, newline="") as file:
            for row in csv.DictReader(file):
                n = _n_generated(row)
                if row["system"] not in ("gd", "gd_real_pool", "teacher"):
                    continue
                n = None if row["system"] == "teacher" else n
                point = sweep[row["dataset"], int(row["k"])][row["system"]]
                point[n][int(row["seed"])] = float(row["accuracy"])
    return sweep


def plot_samples(sweep, path):
    """GD student accuracy against the number of samples, per dataset and K that has more
    than one sample size, mean over the seeds run at every size; the teacher and real
    texts for reference."""
    # Only the seeds run at every sample size: a mean over other seeds is not comparable.
    common = {key: sorted(set.intersection(*(set(v) for v in systems["gd"].values())))
              for key, systems in sweep.items() if len(systems.get("gd", {})) > 1}
    panels = [key for key in sorted(common) if common[key]]
    if not panels:
        return False
    fig, axes = plt.subplots(1, len(panels), figsize=(4.5 * len(panels), 3.8), squeeze=False)
    for ax, (dataset, k) in zip(axes[0], panels, strict=True):
        systems, seeds = sweep[dataset, k], common[dataset, k]

        def mean(accuracies, seeds=seeds):
            return np.mean([accuracies[seed] for seed in seeds])

        for system, style in (("gd", "o-"), ("gd_real_pool", "s--")):
            points = [(n, v) for n, v in sorted(systems.get(system, {}).items())
                      if set(seeds) <= set(v)]
            ax.plot([n for n, _ in points], [mean(v) for _, v in points],
                    style, label={"gd": "GD student (samples)",
                                  "gd_real_pool": "student on real texts"}[system])
        teacher = systems.get("teacher", {}).get(None, {})
        if teacher and set(seeds) <= set(teacher):
            ax.axhline(mean(teacher), color="k", linestyle=":", label="teacher")
        ax.set_xscale("log")
        ax.set_title(f"{dataset}, K={k}, seed{'s' if len(seeds) > 1 else ''} "
                     + ", ".join(map(str, seeds)))
        ax.set_xlabel("generated (or real) transfer texts")
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel("test accuracy (mean over seeds)")
    axes[0][-1].legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return True


def group_over_seeds(rows):
    """``{(dataset, k, system): {column: list of values over seeds}}``."""
    groups = defaultdict(lambda: defaultdict(list))
    for (dataset, k, _, system), row in rows.items():
        for column in MEANS:
            if row.get(column, "") != "":
                groups[dataset, k, system][column].append(float(row[column]))
    return groups


def _system_order(system):
    return (SYSTEMS.index(system) if system in SYSTEMS else len(SYSTEMS), system)


def plot(groups, path):
    """Accuracy against K per system, one panel per dataset, mean and min-max over seeds."""
    datasets = sorted({dataset for dataset, _, _ in groups})
    # One colour per system across all panels, even where a dataset lacks a system.
    colors = {system: f"C{i}" for i, system in
              enumerate(sorted({s for _, _, s in groups}, key=_system_order))}
    fig, axes = plt.subplots(1, len(datasets), figsize=(4.5 * len(datasets), 3.8),
                             squeeze=False)
    for ax, dataset in zip(axes[0], datasets, strict=True):
        systems = sorted({s for d, _, s in groups if d == dataset}, key=_system_order)
        ks = sorted({k for d, k, _ in groups if d == dataset})
        for system in systems:
            points = [(k, groups[dataset, k, system]["accuracy"]) for k in ks
                      if groups.get((dataset, k, system), {}).get("accuracy")]
            x = [k for k, _ in points]
            values = [np.asarray(v) for _, v in points]
            ax.plot(x, [v.mean() for v in values], marker="o", label=system,
                    color=colors[system])
            ax.fill_between(x, [v.min() for v in values], [v.max() for v in values],
                            color=colors[system], alpha=0.2)
        ax.set_xscale("log")  # K grows by factors (16, 100, ...)
        ax.set_xticks(ks, [str(k) for k in ks])
        ax.minorticks_off()
        ax.set_title(dataset)
        ax.set_xlabel("K (labeled texts per class)")
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel("test accuracy (mean, min-max over seeds)")
    axes[0][-1].legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def summary_table(groups):
    """A markdown table of the means over seeds per dataset, K and system."""
    lines = ["| dataset | K | system | seeds | accuracy | accuracy min-max | macro F1 | "
             "fit (s) | predict (texts/s) |", "|---|---|---|---|---|---|---|---|---|"]
    for dataset, k, system in sorted(groups, key=lambda g: (g[0], g[1], _system_order(g[2]))):
        values = groups[dataset, k, system]
        accuracy = values["accuracy"]
        means = {column: f"{np.mean(values[column]):.{digits}f}" if values[column] else ""
                 for column, digits in zip(MEANS, (3, 3, 1, 0), strict=True)}
        lines.append(f"| {dataset} | {k} | {system} | {len(accuracy)} | {means['accuracy']} "
                     f"| {min(accuracy):.3f}-{max(accuracy):.3f} | {means['macro_f1']} | "
                     f"{means['fit_s']} | {means['predict_texts_per_s']} |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    """Read the result files and write the plot and the summary table."""
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("results", nargs="+", help="results.csv files of the benchmark command")
    parser.add_argument("--output-dir", default=None,
                        help="where to write the PNG and summary.md (default: the folder of "
                        "the first results file)")
    parser.add_argument("--n-generated", type=int, default=None, metavar="N",
                        help="plot and summarize the gd rows of N samples (default: the "
                        "number most gd rows ran with)")
    args = parser.parse_args(argv)
    output_dir = Path(args.output_dir or Path(args.results[0]).parent)
    output_dir.mkdir(parents=True, exist_ok=True)
    groups = group_over_seeds(read_rows(args.results, args.n_generated))
    plot(groups, output_dir / "accuracy_vs_k.png")
    (output_dir / "summary.md").write_text(summary_table(groups))
    if plot_samples(read_sample_sweep(args.results), output_dir / "gd_vs_samples.png"):
        print(f"wrote {output_dir / 'gd_vs_samples.png'}")
    print(f"wrote {output_dir / 'accuracy_vs_k.png'} and {output_dir / 'summary.md'}")


if __name__ == "__main__":
    main()
