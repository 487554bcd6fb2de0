"""Sphinx configuration for the sklearn-gd documentation.

Build with ``python -m sphinx -b html docs docs/_build/html``. The build needs no network
(no intersphinx) and runs none of the gallery examples (``plot_gallery = False``): they fit
real pretrained models for many minutes. ``tests/test_docs.py`` builds it with ``-W``.
"""

import csv
import importlib.metadata
import json
import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))  # document the checkout, even when it is not installed
sys.path.insert(0, str(DOCS))  # gallery_order

# -- Project -----------------------------------------------------------------------------

project = "sklearn-gd"
author = "sklearn-gd developers"
copyright = "sklearn-gd developers"
try:
    release = importlib.metadata.version("sklearn-gd")
except importlib.metadata.PackageNotFoundError:
    release = "0.1.0"
version = ".".join(release.split(".")[:2])

# -- Extensions --------------------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]
# No sphinx.ext.intersphinx: the build must work offline.

templates_path = ["_templates"]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
default_role = "literal"
pygments_style = "sphinx"

autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": True}
autodoc_typehints = "none"
autodoc_member_order = "bysource"

numpydoc_show_class_members = False  # autodoc lists the members; avoids stub warnings
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True

# -- Gallery -----------------------------------------------------------------------------

sphinx_gallery_conf = {
    "examples_dirs": ["../examples"],
    "gallery_dirs": ["auto_examples"],
    # Render every example without running it: they fit real pretrained models for
    # minutes each, and the build must not need them.
    "plot_gallery": "False",
    "image_scrapers": (),
    "reset_modules": (),
    "within_subsection_order": "gallery_order.ExampleOrder",
    "download_all_examples": False,
    "write_computation_times": False,
    "show_signature": False,
}

# -- HTML --------------------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"sklearn-gd {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
}
html_sidebars = {"index": [], "getting_started": [], "benchmarks": []}
html_show_sourcelink = False

# -- Benchmark results -------------------------------------------------------------------
#
# benchmarks.rst holds the line ``.. benchmark-results::``; it is replaced here by one
# section per file found in benchmarks/results/, so the page follows the committed results
# (a missing file is simply left out).

RESULTS = ROOT / "benchmarks" / "results"
TEXT_SUFFIXES = {".md", ".csv", ".json", ".log", ".txt"}
IMAGE_SUFFIXES = {".png", ".svg", ".jpg"}


def _rel(path):
    """``path`` relative to docs/, as directives take it."""
    return os.path.relpath(path, DOCS).replace(os.sep, "/")


def _repo(path):
    """``path`` relative to the repository root, for display."""
    return path.relative_to(ROOT).as_posix()


def _ag_news_section(json_path):
    result = json.loads(json_path.read_text())
    lines = [
        f"AG News, K={result['k']} labels per class, seed {result['seed']}",
        "-" * 60,
        "",
        f"Written by ``examples/ag_news_benchmark.py --output {_repo(json_path)}``: "
        f"accuracy on the {result['n_test']:,} texts of the fixed evaluation subset of the "
        f"test set, {result['n_generated']:,} generated texts before filtering.",
        "",
        ".. list-table::",
        "   :header-rows: 1",
        "",
        "   * - model",
        "     - accuracy",
        "     - fit (s)",
        "     - predict (texts/s)",
    ]
    for row in result["rows"]:
        lines += [
            f"   * - {row['model']}",
            f"     - {row['accuracy']:.3f}",
            f"     - {row['fit_s']:.0f}",
            f"     - {row['predict_texts_per_s']:.0f}",
        ]
    lines.append("")
    if "student_parameters" in result:
        lines += [f"Student parameters: {result['student_parameters']:,}.", ""]
    if "stage_times_s" in result:
        times = ", ".join(f"{k} {v:.1f}" for k, v in result["stage_times_s"].items())
        lines += [f"Stage times of the generation-distillation fit (s): {times}.", ""]
    if "filter_report" in result:
        report = ", ".join(f"{k} {v}" for k, v in result["filter_report"].items())
        lines += [f"Filter report (generated texts per reason): {report}.", ""]
    log = json_path.with_suffix(".log")
    if log.exists():
        lines += _included(log, "The run's output")
    lines += _included(json_path, "The raw results")
    return lines, {json_path, log}


def _included(path, caption=None):
    """The text of a result file, shown as it is, under a caption naming the file."""
    caption = f"{caption} (``{_repo(path)}``):" if caption else f"``{_repo(path)}``:"
    language = "json" if path.suffix == ".json" else "none"
    return [caption, "", f".. literalinclude:: {_rel(path)}", f"   :language: {language}", ""]


def _cell(text):
    """A CSV cell as list-table text: a leading "+ " or "- " is not a bullet list."""
    text = " ".join(text.split())
    return "\\" + text if text[:1] in "+-*" else text


def _uniform_csv(csv_path):
    """Whether every row of a CSV file has as many cells as its header."""
    with open(csv_path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return bool(rows) and all(len(row) == len(rows[0]) for row in rows)


def _csv_table(csv_path):
    """A list-table of a CSV file (``csv-table`` would read "+ 747 ..." as a list)."""
    with open(csv_path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    lines = [f".. list-table:: ``{_repo(csv_path)}``", "   :header-rows: 1", ""]
    for row in rows:
        lines += [f"   {'*' if i == 0 else ' '} - {_cell(cell)}" for i, cell in enumerate(row)]
    return lines + [""]


def _student_transfer_section(csv_path):
    lines = [
        "Student architectures and transfer sets",
        "-" * 60,
        "",
        "Written by ``benchmarks/student_transfer.py``: the test accuracy of each student "
        "architecture trained on the labeled texts alone, with the generated texts "
        "soft-labeled by the teacher (generation-distillation), and with as many real "
        "unlabeled texts soft-labeled by the teacher (what a perfect generator would give).",
        "",
    ] + _csv_table(csv_path)
    md = csv_path.with_suffix(".md")
    if md.exists():
        lines += _included(md, "The same results as the script writes them")
    return lines, {csv_path, md}


def _benchmark_command_section(folder):
    """The results of ``python -m sklearn_gd benchmark`` and their plots."""
    title = "Generation-distillation against its baselines, on three datasets"
    lines = [
        title,
        "-" * len(title),
        "",
        "Written by ``python -m sklearn_gd benchmark`` (see :ref:`benchmark_command`) on the "
        "protocol of ``shared/data``: the labeled samples and test rows of each dataset's "
        "``splits.json``; the plots and the summary (means over the seeds run) by "
        "``python benchmarks/plot_benchmark.py``. Which version of the library each row ran "
        "with, and every study behind the defaults: ``benchmarks/README.md``.",
        "",
    ]
    for name in ("accuracy_vs_k.png", "gd_vs_samples.png"):
        if (folder / name).exists():
            lines += [f".. image:: {_rel(folder / name)}", f"   :alt: {name}", ""]
    for name, caption in (("summary.md", "Means over seeds"), ("results.md", "Every run")):
        if (folder / name).exists():
            lines += _included(folder / name, caption)
    return lines


def benchmark_results_rst():
    """The reStructuredText of every result file in benchmarks/results/."""
    if not RESULTS.is_dir():
        return "No benchmark results are committed yet.\n"
    lines, done = [], set()
    if (RESULTS / "benchmark").is_dir():
        lines += _benchmark_command_section(RESULTS / "benchmark")
    for path in sorted(RESULTS.glob("ag_news_*.json")):
        try:
            section, used = _ag_news_section(path)
        except (KeyError, TypeError, ValueError):  # not the example's output: shown as is
            continue
        lines += section
        done |= used
    csv_path = RESULTS / "student_transfer.csv"
    if csv_path.exists() and _uniform_csv(csv_path):
        section, used = _student_transfer_section(csv_path)
        lines += section
        done |= used
    others = [p for p in sorted(RESULTS.iterdir())
              if p.is_file() and p not in done and p.suffix in TEXT_SUFFIXES | IMAGE_SUFFIXES]
    if others:
        lines += ["Other results", "-" * 60, ""]
    for path in others:
        if path.suffix in IMAGE_SUFFIXES:
            lines += [f".. image:: {_rel(path)}", f"   :alt: {path.name}", ""]
        elif path.suffix == ".csv" and path.with_suffix(".md").exists():
            continue  # the Markdown report next to it says the same, for reading
        elif path.suffix == ".csv" and _uniform_csv(path):
            lines += _csv_table(path)
        else:
            lines += _included(path)
    if not lines:
        return "No benchmark results are committed yet.\n"
    return "\n".join(lines) + "\n"


def _insert_benchmark_results(app, docname, source):
    if docname == "benchmarks":
        source[0] = source[0].replace(".. benchmark-results::", benchmark_results_rst())


def _reread_benchmarks(app, env, added, changed, removed):
    # The page is generated from whatever is in benchmarks/results/: always re-read it,
    # so that an incremental build sees a result file appear or disappear.
    return ["benchmarks"]


def _skip_scikit_learn_members(app, what, name, obj, skip, options):
    """Leave out the members that the estimators inherit from scikit-learn as they are
    (``score``, ``get_metadata_routing``, ``set_*_request``, ...): scikit-learn documents
    them, and their docstrings link into its own documentation."""
    if what == "class" and (getattr(obj, "__module__", None) or "").startswith("sklearn."):
        return True
    return None


def setup(app):
    app.connect("autodoc-skip-member", _skip_scikit_learn_members)
    app.connect("source-read", _insert_benchmark_results)
    app.connect("env-get-outdated", _reread_benchmarks)
