"""Load the benchmark datasets (AG News, SST-2) in the low-data protocol of the paper.

Each dataset folder holds ``train.csv.gz`` and ``test.csv.gz`` (gzip CSV, header
``text,label``) and ``splits.json`` (row positions of the K-per-class labeled samples and
of the fixed evaluation test subset). A small sample of each ships with the package, so
the examples and tests run anywhere; pass ``data_dir`` to use a full copy.
"""

import csv
import gzip
import json
from importlib import resources
from pathlib import Path

from sklearn.utils import Bunch

__all__ = ["load_dataset"]

DATASETS = ("ag_news", "sst2")


def load_dataset(name="ag_news", *, k=100, seed=0, data_dir=None):
    """Load a K-shot split of a benchmark dataset.

    Parameters
    ----------
    name : {"ag_news", "sst2"}, default="ag_news"
        Which dataset.
    k : {16, 100}, default=100
        Labeled examples per class.
    seed : {0, 1, 2}, default=0
        Which of the fixed labeled samples.
    data_dir : str or path-like, default=None
        A folder with ``train.csv.gz``, ``test.csv.gz`` and ``splits.json`` (or its parent
        holding one sub-folder per dataset). None uses the sample shipped with the package.

    Returns
    -------
    data : sklearn.utils.Bunch
        ``X_train``, ``y_train`` (the K-per-class labeled texts), ``X_test``, ``y_test`` (the
        fixed evaluation subset), ``X_pool`` (the other training texts, without labels),
        ``classes`` (sorted class names) and ``folder``.
    """
    if name not in DATASETS:
        raise ValueError(f"Unknown dataset {name!r}; choose one of {DATASETS}.")
    if data_dir is None:
        folder = Path(str(resources.files("sklearn_gd") / "data" / name))
    else:
        folder = Path(data_dir)
        if not (folder / "splits.json").exists() and (folder / name / "splits.json").exists():
            folder = folder / name
    if not (folder / "splits.json").exists():
        raise FileNotFoundError(
            f"No splits.json in {folder}: data_dir must be a dataset folder with "
            "train.csv.gz, test.csv.gz and splits.json, or the folder that holds it."
        )
    splits = json.loads((folder / "splits.json").read_text())
    key = f"k{k}_s{seed}"
    if key not in splits["train_rows"]:
        raise ValueError(
            f"No labeled split {key!r} in {folder}; have {sorted(splits['train_rows'])}."
        )
    train = _read_csv(folder / "train.csv.gz")
    test = _read_csv(folder / "test.csv.gz")
    labeled = splits["train_rows"][key]
    taken = set(labeled)
    test_rows = [test[i] for i in splits["eval_test_rows"]]
    return Bunch(
        X_train=[train[i][0] for i in labeled],
        y_train=[train[i][1] for i in labeled],
        X_test=[text for text, _ in test_rows],
        y_test=[label for _, label in test_rows],
        X_pool=[text for i, (text, _) in enumerate(train) if i not in taken],
        classes=sorted({label for _, label in train}),
        folder=str(folder),
    )


def _read_csv(path):
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        return [(row["text"], row["label"]) for row in csv.DictReader(f)]
