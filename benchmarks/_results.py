"""Writing the result files that the benchmark scripts commit under benchmarks/results/."""

import csv
from pathlib import Path


def write_csv(path, rows, fieldnames=None):
    """Write ``rows`` (dicts) to the CSV file ``path``, creating its folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=fieldnames or list(rows[0]), restval="")
        writer.writeheader()
        writer.writerows(rows)
