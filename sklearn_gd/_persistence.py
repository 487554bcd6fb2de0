"""The safe save format: weights in safetensors, everything else in JSON (no pickle)."""

import json
from pathlib import Path

import numpy as np


def config_text(kind, classes, **fields):
    """The text of ``config.json``: the object's kind, its classes and ``fields``.

    Called before anything is written, so that labels or parameters that JSON cannot hold
    raise here and leave no half-written folder behind.
    """
    # Labels from pandas or object arrays are Python or numpy scalars: plain values in JSON.
    labels = [_plain(label) if isinstance(label, np.generic) else label
              for label in classes.tolist()]
    if not all(isinstance(label, (str, int, float, bool)) for label in labels):
        raise TypeError(
            f"Labels of type {classes.dtype} cannot be saved as JSON; use strings, integers, "
            "floats or booleans as labels (or joblib, for trusted files)."
        )
    # The dtype is kept so that the labels load as the same type.
    config = {"format": kind, "version": 1, "classes": labels,
              "classes_dtype": classes.dtype.str, **fields}
    return json.dumps(config, indent=2, default=_plain)


def write_config(folder, text):
    """Write ``text`` (from :func:`config_text`) as ``config.json`` into ``folder``."""
    (Path(folder) / "config.json").write_text(text, encoding="utf-8")


def _plain(value):
    """numpy scalars and arrays (``np.arange`` grids in a search) as plain JSON values."""
    if isinstance(value, (np.generic, np.ndarray)):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} {value!r} cannot be saved as JSON.")


def read_config(folder, kind):
    """The ``config.json`` written by :func:`write_config` and its classes, as an array."""
    path = Path(folder) / "config.json"
    if not path.is_file():
        raise FileNotFoundError(f"{folder} has no config.json: it was not written by save().")
    config = json.loads(path.read_text("utf-8"))
    if config.get("format") != kind:
        raise ValueError(f"{path} holds {config.get('format')!r}, not {kind!r}.")
    return config, np.asarray(config["classes"], dtype=np.dtype(config["classes_dtype"]))
