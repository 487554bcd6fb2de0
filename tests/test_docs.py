"""The documentation builds without a warning (``sphinx-build -W``), offline.

The gallery examples are rendered, not run (``plot_gallery = False`` in docs/conf.py), so
the build needs no pretrained model and takes seconds.
"""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [
    "index",
    "getting_started",
    "user_guide",
    "api",
    "benchmarks",
    "benchmark_command",
    "auto_examples/index",
    "auto_examples/ag_news_benchmark",
    "auto_examples/quickstart",
    "auto_examples/grid_search_with_caching",
    "auto_examples/compare_baselines_pipeline",
    "auto_examples/custom_components",
    "generated/sklearn_gd.GenerationDistillationClassifier",
]


def test_docs_build_without_warnings(tmp_path):
    pytest.importorskip("sphinx")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
         "-d", str(tmp_path / "doctrees"), str(ROOT / "docs"), str(tmp_path / "html")],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )
    assert result.returncode == 0, f"sphinx-build failed:\n{result.stdout}\n{result.stderr}"
    missing = [page for page in PAGES if not (tmp_path / "html" / f"{page}.html").exists()]
    assert not missing, f"pages not built: {missing}"
