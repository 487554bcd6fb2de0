"""Shared fixtures: a small synthetic topic dataset and tiny models built from configs.

The tiny models are saved with ``save_pretrained`` into a temporary folder once per test
session and loaded through the same code path as a real checkpoint.
"""

import numpy as np
import pytest
import torch

TOPICS = {
    "sports": "match team goal coach season league player score win cup final striker".split(),
    "tech": "software chip computer internet phone data network app code device cloud".split(),
    "money": "stocks market bank profit shares investors trade price economy dollar fund".split(),
}
FILLER = "the a of in on for with after new says today report week year first over".split()


def make_texts(n_per_class, seed):
    """Texts of 8-14 words mixing topic words with common filler words."""
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for _ in range(n_per_class):
        for label, words in TOPICS.items():
            n_words = rng.integers(8, 15)
            n_topic = rng.integers(3, 6)
            chosen = list(rng.choice(words, n_topic)) + list(rng.choice(FILLER, n_words - n_topic))
            rng.shuffle(chosen)
            texts.append(" ".join(chosen).capitalize() + ".")
            labels.append(label)
    return texts, labels


@pytest.fixture(scope="session")
def topic_data():
    X_train, y_train = make_texts(20, seed=0)
    X_test, y_test = make_texts(20, seed=1)
    return X_train, y_train, X_test, y_test


def _train_tokenizer(kind, texts):
    from tokenizers import (
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
        trainers,
    )

    if kind == "bpe":
        tokenizer = Tokenizer(models.BPE())
        tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
        tokenizer.decoder = decoders.ByteLevel()
        trainer = trainers.BpeTrainer(
            vocab_size=400, special_tokens=["<|endoftext|>"],
            initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        )
    else:
        tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
        tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
        tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
        tokenizer.decoder = decoders.WordPiece()
        trainer = trainers.WordPieceTrainer(
            vocab_size=300, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
        )
    tokenizer.train_from_iterator(texts, trainer=trainer)
    if kind == "wordpiece":
        cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
        tokenizer.post_processor = processors.TemplateProcessing(
            single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B [SEP]",
            special_tokens=[("[CLS]", cls), ("[SEP]", sep)],
        )
    return tokenizer


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory, topic_data):
    """Folders holding tiny GPT-2 and Llama causal LMs and a tiny BERT encoder, with
    tokenizers."""
    from transformers import (
        BertConfig,
        BertModel,
        GPT2Config,
        GPT2LMHeadModel,
        LlamaConfig,
        LlamaForCausalLM,
        PreTrainedTokenizerFast,
    )

    texts = topic_data[0] + topic_data[2]
    root = tmp_path_factory.mktemp("tiny_models")

    gpt2_tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=_train_tokenizer("bpe", texts),
        eos_token="<|endoftext|>", bos_token="<|endoftext|>", unk_token="<|endoftext|>",
    )
    # Seeded weights: the tests must not depend on which tests ran before this fixture.
    torch.manual_seed(0)
    gpt2 = GPT2LMHeadModel(GPT2Config(
        vocab_size=len(gpt2_tokenizer), n_positions=128, n_embd=32, n_layer=2, n_head=2,
        bos_token_id=gpt2_tokenizer.eos_token_id, eos_token_id=gpt2_tokenizer.eos_token_id,
    ))
    gpt2.save_pretrained(root / "gpt2")
    gpt2_tokenizer.save_pretrained(root / "gpt2")
    # The default generator's architecture (SmolLM2): its layers are torch.nn.Linear.
    llama = LlamaForCausalLM(LlamaConfig(
        vocab_size=len(gpt2_tokenizer), hidden_size=32, intermediate_size=64,
        num_hidden_layers=2, num_attention_heads=2, num_key_value_heads=2,
        max_position_embeddings=128, bos_token_id=gpt2_tokenizer.eos_token_id,
        eos_token_id=gpt2_tokenizer.eos_token_id, tie_word_embeddings=True,
    ))
    llama.save_pretrained(root / "llama")
    gpt2_tokenizer.save_pretrained(root / "llama")

    bert_tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=_train_tokenizer("wordpiece", texts),
        unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]", sep_token="[SEP]",
        mask_token="[MASK]",
    )
    bert = BertModel(BertConfig(
        vocab_size=len(bert_tokenizer), hidden_size=32, num_hidden_layers=2,
        num_attention_heads=2, intermediate_size=64, max_position_embeddings=128,
    ))
    bert.save_pretrained(root / "bert")
    bert_tokenizer.save_pretrained(root / "bert")
    return {"causal_lm": str(root / "gpt2"), "llama": str(root / "llama"),
            "encoder": str(root / "bert")}
