"""The sampling loop and the speed settings of the transformer components."""

import pickle
import warnings

import pytest
import torch

from sklearn_gd import CausalLMGenerator, TransformerClassifier
from sklearn_gd._utils import resolve_dtype
from sklearn_gd.generator import CausalLMModule, sampling_precision
from sklearn_gd.sampling import sample_batch


@pytest.fixture(scope="module")
def tiny_lm(tiny_models, topic_data):
    """A tiny GPT-2 finetuned on the topic texts, so that its samples end at varied lengths."""
    generator = CausalLMGenerator(tiny_models["causal_lm"], epochs=30, learning_rate=3e-3,
                                  trainable_layers=None, dtype="float32", random_state=0)
    generator.fit(topic_data[0])
    return generator.net_.module_.model.eval(), generator.tokenizer_


def left_padded(tokenizer, prompts):
    return tokenizer(prompts, add_special_tokens=False, padding=True, return_tensors="pt")


PROMPTS = ["Stocks", "The team won the", "New chip", "Match", "Bank profit rose", "The"]


def test_greedy_sampling_matches_transformers_generate(tiny_lm):
    # top_k=1 is greedy decoding: the loop (KV cache, left padding, finished rows leaving
    # the batch) must then give exactly what transformers' generate gives.
    model, tokenizer = tiny_lm
    eos = tokenizer.eos_token_id
    batch = left_padded(tokenizer, [tokenizer.eos_token + text for text in PROMPTS])
    ours = sample_batch(model, batch["input_ids"], batch["attention_mask"], max_new_tokens=30,
                        eos_token_id=eos, top_k=1, top_p=1.0, temperature=1.0)
    reference = model.generate(**batch, do_sample=False, max_new_tokens=30, eos_token_id=eos,
                               pad_token_id=eos)[:, batch["input_ids"].shape[1]:]
    for row, continuation in zip(reference.tolist(), ours, strict=True):
        expected = row[: row.index(eos)] if eos in row else row
        assert continuation == expected
    assert len({len(continuation) for continuation in ours}) > 1  # rows ended at different steps


def test_samples_end_at_the_end_of_text_token(tiny_lm):
    model, tokenizer = tiny_lm
    eos = tokenizer.eos_token_id
    batch = left_padded(tokenizer, [tokenizer.eos_token + text for text in PROMPTS * 4])
    with torch.random.fork_rng():
        torch.manual_seed(0)
        continuations = sample_batch(model, batch["input_ids"], batch["attention_mask"],
                                     max_new_tokens=40, eos_token_id=eos, top_k=50, top_p=0.9,
                                     temperature=1.0)
    assert all(eos not in continuation for continuation in continuations)
    assert all(len(continuation) <= 40 for continuation in continuations)
    assert sum(len(continuation) < 40 for continuation in continuations) >= 3  # some ended
    assert len({tuple(continuation) for continuation in continuations}) > 6  # not greedy


def test_stop_ends_rows_where_it_says(tiny_lm):
    # A row that the stop test ends keeps its tokens so far, and the other rows go on as
    # without the test (greedy, so the draws do not depend on which rows are live).
    model, tokenizer = tiny_lm
    batch = left_padded(tokenizer, [tokenizer.eos_token + text for text in PROMPTS])
    settings = dict(max_new_tokens=20, eos_token_id=tokenizer.eos_token_id, top_k=1, top_p=1.0,
                    temperature=1.0)
    full = sample_batch(model, batch["input_ids"], batch["attention_mask"], **settings)
    first = max(full, key=len)[0]  # the first token of the longest row, which is stopped

    def stop(ids):
        return len(ids) == 3 and ids[0] == first

    assert max(len(whole) for whole in full) > 3
    stopped = sample_batch(model, batch["input_ids"], batch["attention_mask"], stop=stop,
                           **settings)
    for whole, cut in zip(full, stopped, strict=True):
        assert cut == (whole[:3] if len(whole) >= 3 and whole[0] == first else whole)
    assert stopped != full


def test_sampling_uses_the_cache_argument_of_this_transformers_version(tiny_lm):
    # transformers >= 5.24 renamed past_key_values to cache, and warns on the old name:
    # every batch of samples would print that warning to the user.
    model, tokenizer = tiny_lm
    batch = left_padded(tokenizer, [tokenizer.eos_token + text for text in PROMPTS])
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        sample_batch(model, batch["input_ids"], batch["attention_mask"], max_new_tokens=5,
                     eos_token_id=tokenizer.eos_token_id, top_k=1, top_p=1.0, temperature=1.0)


def test_top_p_keeps_only_the_nucleus(tiny_lm):
    # With a tiny top_p only the single most likely token survives: the same as greedy.
    model, tokenizer = tiny_lm
    batch = left_padded(tokenizer, [tokenizer.eos_token + text for text in PROMPTS])
    settings = dict(max_new_tokens=20, eos_token_id=tokenizer.eos_token_id, temperature=1.0)
    nucleus = sample_batch(model, batch["input_ids"], batch["attention_mask"], top_k=50,
                           top_p=1e-6, **settings)
    greedy = sample_batch(model, batch["input_ids"], batch["attention_mask"], top_k=1,
                          top_p=1.0, **settings)
    assert nucleus == greedy


def test_resolve_dtype():
    assert resolve_dtype("float32", "cpu") is torch.float32
    assert resolve_dtype("bfloat16", "cpu") is torch.bfloat16
    assert resolve_dtype("auto", "cpu") in (torch.float32, torch.bfloat16)
    with pytest.raises(ValueError, match='"auto", "float32" or "bfloat16"'):
        resolve_dtype("float16", "cpu")


def test_trainable_layers_freezes_the_lower_blocks(tiny_models):
    module = CausalLMModule(tiny_models["causal_lm"], trainable_layers=1)
    blocks = module.model.transformer.h  # the tiny GPT-2 has 2 blocks
    assert not any(p.requires_grad for p in blocks[0].parameters())
    assert all(p.requires_grad for p in blocks[1].parameters())
    assert not module.model.get_input_embeddings().weight.requires_grad
    everything = CausalLMModule(tiny_models["causal_lm"], trainable_layers=None)
    assert all(p.requires_grad for p in everything.model.transformer.h.parameters())


@pytest.mark.parametrize("dtype", ["float32", "bfloat16"])
def test_generator_and_teacher_run_in_either_precision(tiny_models, topic_data, dtype):
    X, y, X_test, _ = topic_data
    generator = CausalLMGenerator(tiny_models["causal_lm"], epochs=1, max_new_tokens=8,
                                  dtype=dtype, random_state=0).fit(X)
    texts = generator.generate(5, random_state=0)
    assert len(texts) == 5 and all(isinstance(text, str) for text in texts)
    assert generator.net_.module_.model.dtype == getattr(torch, dtype)  # sampling weights
    teacher = TransformerClassifier(tiny_models["encoder"], epochs=1, dtype=dtype,
                                    random_state=0).fit(X, y)
    proba = teacher.predict_proba(X_test)
    assert proba.dtype == "float32" and abs(proba.sum(axis=1) - 1).max() < 1e-4


def quantized_layers(model):
    return [m for m in model.modules() if isinstance(m, torch.ao.nn.quantized.dynamic.Linear)]


def test_int8_sampling_quantizes_once_and_survives_pickling(tiny_models, topic_data):
    X = topic_data[0]
    generator = CausalLMGenerator(tiny_models["llama"], epochs=1, max_new_tokens=8,
                                  dtype="int8", random_state=0).fit(X)
    assert generator.sampling_precision_ == "int8"
    model = generator.net_.module_.model
    assert not quantized_layers(model)  # finetuned in float32
    assert model.dtype == torch.float32
    texts = generator.generate(6, random_state=0)
    assert len(texts) == 6 and all(isinstance(text, str) for text in texts)
    # Every linear layer of the blocks and the output layer now holds int8 weights.
    n_linear = 2 * 7 + 1  # 4 attention and 3 MLP projections per block, and lm_head
    assert len(quantized_layers(generator.net_.module_.model)) == n_linear
    # A second call samples from the same int8 model (not quantized again).
    assert generator.generate(6, random_state=0) == texts
    assert len(quantized_layers(generator.net_.module_.model)) == n_linear
    loaded = pickle.loads(pickle.dumps(generator))
    assert loaded.generate(6, random_state=0) == texts


@pytest.mark.parametrize("native_bf16, expected", [(False, torch.float32),
                                                   (True, torch.bfloat16)])
def test_int8_is_asked_for_not_automatic(monkeypatch, native_bf16, expected):
    # int8 samples distilled into a less accurate student (benchmarks/generator_int8.py):
    # "auto" never picks it.
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: native_bf16,
                        raising=False)
    assert sampling_precision("auto", "cpu") is expected
    assert sampling_precision("float32", "cpu") is torch.float32
    assert sampling_precision("int8", "cpu") == "int8"
    with pytest.raises(ValueError, match="CPU only"):
        sampling_precision("int8", "cuda")
