"""The safe save format: weights in safetensors, everything else in JSON (no pickle)."""

import json
from pathlib import Path

import numpy as np


def write_config(folder, kind, classes, **fields):
    """Write ``config.json`` into ``folder``: the object's kind, its classes, ``fields``."""
    if classes.dtype.kind not in "biufU":
        raise TypeError(
            f"Labels of type {classes.dtype} cannot be saved as JSON; use strings, integers, "
            "floats or booleans as labels (or joblib, for trusted files)."
        )
    # The dtype is kept so that the labels load as the same type.
    config = {"format": kind, "version": 1, "classes": classes.tolist(),
              "classes_dtype": classes.dtype.str, **fields}
    (Path(folder) / "config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")


def read_config(folder, kind):
    """The ``config.json`` written by :func:`write_config` and its classes, as an array."""
    path = Path(folder) / "config.json"
    if not path.is_file():
        raise FileNotFoundError(f"{folder} has no config.json: it was not written by save().")
    config = json.loads(path.read_text("utf-8"))
    if config.get("format") != kind:
        raise ValueError(f"{path} holds {config.get('format')!r}, not {kind!r}.")
    return config, np.asarray(config["classes"], dtype=np.dtype(config["classes_dtype"]))
