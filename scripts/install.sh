#!/usr/bin/env bash
# Set up everything on a fresh machine: a virtual environment in .venv with torch (pinned:
# 2.13.0 is the CPU wheel available locally; an unpinned torch pulls GBs of CUDA packages),
# the package with its test extras, and the offline copies of the default models.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q torch==2.13.0
.venv/bin/pip install -q -e ".[tests,docs,benchmarks]"
.venv/bin/python -m sklearn_gd install \
    HuggingFaceTB/SmolLM2-135M-Instruct sentence-transformers/all-MiniLM-L6-v2
