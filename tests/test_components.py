"""Each component on its own: teacher, generator, student, filter, datasets."""

import numpy as np
import pytest
import torch
from sklearn.base import clone

from sklearn_gd import (
    CausalLMGenerator,
    SetFitClassifier,
    StudentClassifier,
    TransformerClassifier,
)
from sklearn_gd.datasets import load_dataset
from sklearn_gd.filtering import filter_generated
from sklearn_gd.setfit import sample_pairs
from sklearn_gd.teacher import LengthGroupedSampler


def accuracy(clf, X, y):
    return float(np.mean(clf.predict(X) == np.asarray(y)))


# --- teacher -------------------------------------------------------------------------------


def test_transformer_classifier_learns_and_keeps_label_type(tiny_models, topic_data):
    X, y, X_test, y_test = topic_data
    clf = TransformerClassifier(
        tiny_models["encoder"], epochs=8, learning_rate=3e-3, batch_size=8, random_state=0
    ).fit(X, y)
    assert list(clf.classes_) == ["money", "sports", "tech"]
    proba = clf.predict_proba(X_test)
    assert proba.shape == (len(X_test), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    assert accuracy(clf, X_test, y_test) > 0.6  # chance is 1/3
    assert len(clf.net_.history) == 8


@pytest.mark.parametrize("min_steps, max_steps, epochs", [
    (20, 600, 10),  # at least min_steps: 10 epochs of 2 steps
    (2, 600, 8),  # but at least 8 epochs
    (20, 6, 3),  # and no more whole epochs than max_steps allows
    (20, 1, 1),  # one epoch even when it alone is over max_steps
])
def test_transformer_classifier_auto_epochs_follow_the_step_budget(
        tiny_models, topic_data, min_steps, max_steps, epochs):
    X, y, _, _ = topic_data
    clf = TransformerClassifier(tiny_models["encoder"], batch_size=len(X) // 2,
                                min_steps=min_steps, max_steps=max_steps).fit(X, y)
    assert clf.epochs_ == len(clf.net_.history) == epochs


def test_transformer_classifier_predicts_in_input_order(tiny_models, topic_data):
    X, y, X_test, _ = topic_data
    clf = TransformerClassifier(tiny_models["encoder"], epochs=1, random_state=0).fit(X, y)
    # Predictions are made in order of length internally; results must come back in order.
    proba = clf.predict_proba(X_test)
    reversed_proba = clf.predict_proba(X_test[::-1])
    np.testing.assert_allclose(proba, reversed_proba[::-1], atol=1e-5)


def test_transformer_classifier_is_reproducible(tiny_models, topic_data):
    X, y, X_test, _ = topic_data
    clf = TransformerClassifier(tiny_models["encoder"], epochs=2, random_state=3)
    first = clone(clf).fit(X, y).predict_proba(X_test)
    second = clone(clf).fit(X, y).predict_proba(X_test)
    np.testing.assert_allclose(first, second, atol=1e-6)


def padded_tokens(order, lengths, batch_size):
    """Tokens computed when each batch of ``order`` is cut to its longest text."""
    return sum(lengths[order[i : i + batch_size]].max() * len(order[i : i + batch_size])
               for i in range(0, len(order), batch_size))


def test_length_grouped_batches_cover_every_text_once_with_less_padding():
    lengths = np.random.default_rng(0).integers(5, 120, size=203)
    sampler = LengthGroupedSampler(lengths, batch_size=16)
    torch.manual_seed(0)
    first, second = list(sampler), list(sampler)
    assert sorted(first) == list(range(203)) and sorted(second) == list(range(203))
    assert first != second  # a new order every epoch
    torch.manual_seed(0)
    assert list(sampler) == first  # drawn from torch's seeded generator
    # Each batch the data loader cuts (16 in a row, the short one last) is a slice of a
    # run sorted by length.
    for start in range(0, 203, 16):
        batch_lengths = lengths[first[start : start + 16]]
        assert np.all(np.diff(batch_lengths) <= 0)
    random = np.random.default_rng(1).permutation(203)
    grouped_tokens = padded_tokens(np.array(first), lengths, 16)
    assert grouped_tokens < 0.8 * padded_tokens(random, lengths, 16)
    # Batches are not fixed: the texts batched together change between epochs.
    batches = [frozenset(first[i : i + 16]) for i in range(0, 192, 16)]
    assert batches != [frozenset(second[i : i + 16]) for i in range(0, 192, 16)]
    # Nor on a small set, which sorted whole would give the same two batches every epoch.
    small = LengthGroupedSampler(np.arange(32), batch_size=16)
    assert len({frozenset(list(small)[:16]) for _ in range(5)}) > 1


def test_transformer_classifier_trains_on_grouped_batches_with_fused_adamw(tiny_models,
                                                                           topic_data):
    X, y, _, _ = topic_data
    clf = TransformerClassifier(tiny_models["encoder"], epochs=1, random_state=0).fit(X, y)
    assert isinstance(clf.net_.iterator_train__sampler, LengthGroupedSampler)
    assert clf.net_.optimizer_.defaults["fused"] is True  # torch 2.13 fuses AdamW on CPU


def test_sample_pairs_are_half_same_class_and_never_self_pairs():
    y = np.array([0, 0, 0, 1, 1, 2])
    first, second, same = sample_pairs(y, 400, np.random.RandomState(0))
    assert same.mean() == 0.5
    assert np.all((y[first] == y[second]) == same.astype(bool))
    # A class with one text (2) can only pair it with itself as a positive.
    positive = same == 1
    assert np.all((first != second)[positive] | (y[first][positive] == 2))


def test_setfit_classifier_learns_from_pairs(tiny_models, topic_data):
    X, y, X_test, y_test = topic_data
    params = dict(steps=60, learning_rate=3e-3, batch_size=8, random_state=0)
    clf = SetFitClassifier(tiny_models["encoder"], **params).fit(X, y)
    assert list(clf.classes_) == ["money", "sports", "tech"]
    losses = clf.net_.history[:, "batches", :, "train_loss"][0]
    assert np.mean(losses[-10:]) < np.mean(losses[:10])  # pairs got easier to tell apart
    assert accuracy(clf, X_test, y_test) > 0.6  # chance is 1/3
    # Same seed, same model; predictions come back in input order.
    again = clone(clf).fit(X, y).predict_proba(X_test[::-1])[::-1]
    np.testing.assert_allclose(clf.predict_proba(X_test), again, atol=1e-5)


# --- generator -----------------------------------------------------------------------------


def test_causal_lm_generator_finetunes_and_samples(tiny_models, topic_data):
    X = topic_data[0]
    params = dict(learning_rate=5e-3, max_length=32, max_new_tokens=20, freeze_embeddings=False,
                  generation_batch_size=8, random_state=0)
    generator = CausalLMGenerator(tiny_models["causal_lm"], epochs=10, **params).fit(X)
    losses = generator.net_.history[:, "train_loss"]
    assert losses[-1] < losses[0]  # finetuning lowered the loss
    texts = generator.generate(10, random_state=0)
    assert len(texts) == 10 and all(isinstance(text, str) for text in texts)
    assert texts == generator.generate(10, random_state=0)  # seeded sampling
    assert texts != generator.generate(10, random_state=1)

    # After finetuning, the samples use the training vocabulary far more than before.
    def known_word_rate(samples):
        train_words = {word for text in X for word in text.lower().split()}
        sample_words = [word for text in samples for word in text.lower().split()[1:]]
        return np.mean([word in train_words for word in sample_words])

    untrained = CausalLMGenerator(tiny_models["causal_lm"], epochs=0, **params).fit(X)
    before = known_word_rate(untrained.generate(10, random_state=0))
    after = known_word_rate(texts)
    assert after > before + 0.2, (before, after)


def test_generation_batch_size_changes_the_draws_not_the_prompts(tiny_models, topic_data):
    X, y = topic_data[:2]
    generator = CausalLMGenerator(tiny_models["causal_lm"], conditional=True, epochs=0,
                                  max_length=32, max_new_tokens=5, random_state=0).fit(X, y)
    one_batch = generator.generate(10, random_state=0, return_sources=True)  # 512 a batch
    generator.set_params(generation_batch_size=3)  # four batches, the last one short
    four_batches = generator.generate(10, random_state=0, return_sources=True)
    assert len(one_batch[0]) == len(four_batches[0]) == 10
    # The prompts (and so the asked labels) are drawn before batching, whatever its size.
    np.testing.assert_array_equal(one_batch[1], four_batches[1])
    # Each sample opens with the first word of the text it was prompted from.
    for text, source in zip(four_batches[0], four_batches[1], strict=True):
        assert text.startswith(X[source].split()[0])


def test_sampling_budget_stops_early_with_the_same_first_samples(tiny_models, topic_data):
    X, y = topic_data[:2]
    generator = CausalLMGenerator(tiny_models["causal_lm"], conditional=True, epochs=0,
                                  max_length=32, max_new_tokens=6, generation_batch_size=4,
                                  max_sampled_tokens=None, random_state=0).fit(X, y)
    texts, sources = generator.generate(40, random_state=0, return_sources=True)
    assert len(texts) == len(sources) == 40
    generator.set_params(max_sampled_tokens=40)
    cut, cut_sources = generator.generate(40, random_state=0, return_sources=True)
    # Cut short once about 40 new tokens are sampled (at most 6 per sample) ...
    assert (40 - 6) // 6 <= len(cut) < 40
    # ... from the same prompts, and the same samples in the batches before the last.
    np.testing.assert_array_equal(cut_sources, sources[: len(cut)])
    full_batches = (len(cut) - 1) // 4 * 4
    assert full_batches >= 4 and cut[:full_batches] == texts[:full_batches]
    # A budget that is not reached changes nothing.
    generator.set_params(max_sampled_tokens=10**6)
    assert generator.generate(40, random_state=0) == texts


def test_conditional_generator_needs_and_uses_labels(tiny_models, topic_data):
    X, y = topic_data[:2]
    generator = CausalLMGenerator(
        tiny_models["causal_lm"], conditional=True, epochs=1, max_length=32, max_new_tokens=5
    )
    with pytest.raises(ValueError, match="needs the labels"):
        clone(generator).fit(X)
    generator.fit(X, y)
    assert list(generator.labels_) == ["money", "sports", "tech"]
    assert len(generator.generate(4, random_state=0)) == 4


def test_in_context_examples_share_the_label_and_stay_out_of_the_samples(tiny_models, topic_data):
    X, y = topic_data[:2]
    generator = CausalLMGenerator(tiny_models["causal_lm"], conditional=True, context_texts=2,
                                  epochs=1, max_length=32, max_new_tokens=8).fit(X, y)
    eos = generator.tokenizer_.eos_token
    prompts, chosen = generator._prompts(30, np.random.default_rng(0))
    for prompt, i in zip(prompts, chosen, strict=True):
        *examples, opening = prompt.split(eos)[1:]
        assert opening == generator.openings_[i] and len(examples) == 2
        # Two other texts of the opening's label, as their label-prefixed openings.
        assert all(example.startswith(f"[{y[i]}] ") for example in examples)
        assert all(example in generator.contexts_ for example in examples)
        assert generator.contexts_[i] not in examples
    texts, sources = generator.generate(12, random_state=0, return_sources=True)
    for text, i in zip(texts, sources, strict=True):
        # Each sample starts with its own opening, not with an example before it.
        assert text.startswith(" ".join(X[i].split()[:1])), (text, X[i])
    assert texts == generator.generate(12, random_state=0)


def test_generator_packs_texts_into_full_blocks(tiny_models, topic_data):
    generator = CausalLMGenerator(tiny_models["causal_lm"], epochs=1, max_length=16).fit(
        topic_data[0]
    )
    blocks = generator._pack(["one two three", "four five"], np.random.default_rng(0))
    eos = generator.tokenizer_.eos_token_id
    assert blocks.shape[1] <= 16
    assert blocks[0, 0] == eos  # every text starts after an end-of-text token
    assert (blocks == eos).sum() == 2


def test_generator_over_its_budget_learns_every_text_from_a_shorter_opening(tiny_models,
                                                                            topic_data):
    generator = CausalLMGenerator(tiny_models["causal_lm"], epochs=1, max_length=32,
                                  max_new_tokens=8, max_train_tokens=260).fit(topic_data[0])
    eos = generator.tokenizer_.eos_token_id
    texts = [" ".join(f"word{i} number{j}" for j in range(30)) for i in range(10)]
    assert all(len(ids) > 40 for ids in generator.tokenizer_(texts)["input_ids"])
    blocks = generator._pack(texts, np.random.default_rng(0))
    assert blocks.size <= 260
    # Each text is cut to 26 tokens (10 x 26 = 260): all 10 openings are trained on, where
    # cutting at max_length (10 x 32 tokens) and dropping blocks would lose two.
    assert (blocks == eos).sum() == 10
    # Below a sample's reach (max_new_tokens + 16 = 24 tokens) texts are not cut further:
    # blocks are dropped instead.
    generator.set_params(max_train_tokens=100)
    blocks = generator._pack(texts, np.random.default_rng(0))
    assert blocks.size <= 100
    for block in blocks:
        assert np.all(np.diff(np.flatnonzero(block == eos)) >= 24)


# --- student -------------------------------------------------------------------------------


@pytest.mark.parametrize("architecture", ["bag", "cnn", "bilstm"])
def test_student_learns_from_hard_labels(architecture, topic_data):
    X, y, X_test, y_test = topic_data
    clf = StudentClassifier(architecture, epochs=20, random_state=0).fit(X, y)
    assert list(clf.classes_) == ["money", "sports", "tech"]
    assert accuracy(clf, X_test, y_test) > 0.8


@pytest.mark.parametrize("architecture", ["bag", "cnn"])
def test_student_shift_prior_multiplies_probabilities_and_is_saved(architecture, topic_data,
                                                                    tmp_path):
    X, y, X_test, _ = topic_data
    clf = StudentClassifier(architecture, epochs=5, random_state=0).fit(X, y)
    before = clf.predict_proba(X_test)
    ratio = np.array([4.0, 1.0, 0.25])
    after = clf.shift_prior(ratio).predict_proba(X_test)
    expected = before * ratio / (before * ratio).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(after, expected, rtol=1e-4, atol=1e-6)
    assert np.mean(after.argmax(1) == 0) > np.mean(before.argmax(1) == 0)
    loaded = StudentClassifier.load(clf.save(tmp_path / "student"))
    np.testing.assert_allclose(loaded.predict_proba(X_test), after, rtol=1e-5, atol=1e-7)
    with pytest.raises(ValueError, match="one positive, finite number per class"):
        clf.shift_prior([1.0, 0.0, 1.0])
    with pytest.raises(ValueError, match="one positive, finite number per class"):
        clf.shift_prior([1.0, 2.0])


@pytest.mark.parametrize("architecture", ["bag", "cnn", "bilstm"])
def test_student_learns_from_soft_targets(architecture, topic_data):
    X, y, X_test, y_test = topic_data
    classes, index = np.unique(y, return_inverse=True)
    soft = np.full((len(y), 3), 0.1)
    soft[np.arange(len(y)), index] = 0.8
    clf = StudentClassifier(architecture, epochs=20, random_state=0).fit(X, soft)
    np.testing.assert_array_equal(clf.classes_, [0, 1, 2])
    assert accuracy(clf, X_test, np.searchsorted(classes, y_test)) > 0.8
    # Soft targets give softer probabilities than the 0/1 of hard labels.
    assert clf.predict_proba(X_test).max() < 0.99


def test_student_integer_labels_and_reproducible(topic_data):
    X, y, X_test, _ = topic_data
    y_int = np.unique(y, return_inverse=True)[1] * 10  # labels 0, 10, 20
    clf = StudentClassifier(epochs=3, random_state=0)
    first = clone(clf).fit(X, y_int)
    assert first.predict(X_test).dtype == y_int.dtype
    assert set(first.predict(X_test)) <= {0, 10, 20}
    np.testing.assert_allclose(
        first.predict_proba(X_test), clone(clf).fit(X, y_int).predict_proba(X_test), atol=1e-6
    )


@pytest.mark.parametrize("architecture", ["bag", "cnn", "bilstm"])
def test_student_default_size_is_under_one_million_parameters(architecture):
    # A corpus with more distinct words than the vocabulary, so the vocabulary is full.
    texts = [f"w{i} w{i + 1} w{i + 2}" for i in range(20000)]
    clf = StudentClassifier(architecture, epochs=1).fit(texts, np.arange(20000) % 2)
    assert len(clf.vocabulary_) + 2 == 16000
    assert clf.n_parameters_ <= 1_000_000


def test_student_handles_empty_and_unknown_texts(topic_data):
    X, y = topic_data[:2]
    clf = StudentClassifier(epochs=1, random_state=0).fit(X, y)
    proba = clf.predict_proba(["", "zzz qqq unseen words"])
    assert np.isfinite(proba).all() and proba.shape == (2, 3)


@pytest.mark.parametrize(
    "y, message",
    [
        (np.full((60, 3), 0.5), "sum to 1"),
        (np.zeros((60, 3, 1)), "1-D labels or 2-D"),
        (np.arange(59), "has 59 labels"),
    ],
)
def test_student_rejects_bad_targets(topic_data, y, message):
    with pytest.raises(ValueError, match=message):
        StudentClassifier().fit(topic_data[0], y)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"architecture": "transformer"}, "'architecture' parameter"),
        ({"learning_rate": 0}, "'learning_rate' parameter"),
        ({"validation_fraction": 1.5}, "'validation_fraction' parameter"),
    ],
)
def test_student_rejects_bad_parameters(topic_data, params, message):
    with pytest.raises(ValueError, match=message):
        StudentClassifier(**params).fit(*topic_data[:2])


@pytest.mark.parametrize("hard_labels", [True, False])
def test_student_early_stopping_keeps_the_best_epoch(topic_data, hard_labels):
    X, y, X_test, y_test = topic_data
    classes, index = np.unique(y, return_inverse=True)
    # Targets with 30% of the labels shuffled: the held-out loss soon stops falling.
    noisy = np.random.default_rng(0).permutation(index)
    index = np.where(np.random.default_rng(1).random(len(y)) < 0.3, noisy, index)
    targets = classes[index] if hard_labels else np.eye(3)[index] * 0.9 + 0.1 / 3
    clf = StudentClassifier(learning_rate=0.05, epochs=200, early_stopping=True,
                            n_iter_no_change=3, random_state=0).fit(X, targets)
    valid_loss = clf.net_.history[:, "valid_loss"]
    assert len(valid_loss) < 200  # stopped early
    best = int(np.argmin(valid_loss))
    assert best == len(valid_loss) - 1 - 3  # and stopped 3 epochs after the best one
    assert clf.net_.history[best, "valid_loss_best"]
    labels = y_test if hard_labels else np.searchsorted(classes, y_test)
    assert accuracy(clf, X_test, labels) > 0.7


# --- filter --------------------------------------------------------------------------------


def test_filter_drops_each_kind_of_bad_text():
    train = ["Stocks rise as the bank reports record profit for the year"]
    generated = [
        "",  # empty
        "Too short",  # length
        "goal goal goal goal goal goal goal goal",  # repetitive
        "A new phone was announced by the company today",
        "a new   phone was announced by the company TODAY",  # duplicate after normalizing
        "Stocks rise as the bank reports record profit for the year again",  # near copy
        "The team won the final match of the season",
    ]
    kept, report = filter_generated(generated, train)
    assert kept == [generated[3], generated[6]]
    assert report == {"empty": 1, "length": 1, "repetitive": 1, "duplicate": 1,
                      "near_copy": 1, "kept": 2}


# --- datasets ------------------------------------------------------------------------------


def test_shipped_ag_news_sample_matches_protocol():
    data = load_dataset("ag_news", k=100, seed=0)
    assert len(data.X_train) == 400 and len(data.X_test) == 2000
    assert data.classes == ["Business", "Sci/Tech", "Sports", "World"]
    assert {label: data.y_train.count(label) for label in data.classes} == dict.fromkeys(
        data.classes, 100
    )
    assert not set(data.X_train) & set(data.X_pool)


def test_load_dataset_errors(tmp_path):
    with pytest.raises(ValueError, match="Unknown dataset"):
        load_dataset("imdb")
    with pytest.raises(FileNotFoundError, match="No splits.json"):
        load_dataset("ag_news", data_dir=tmp_path)
    with pytest.raises(ValueError, match="No labeled split 'k7_s0'"):
        load_dataset("sst2", k=7)


def test_conditional_samples_end_where_a_second_text_begins(tiny_models, topic_data):
    X, y = topic_data[:2]
    generator = CausalLMGenerator(tiny_models["causal_lm"], conditional=True, epochs=1,
                                  max_length=32, max_new_tokens=5).fit(X, y)
    # The model ran on into another training text, or invented a label prefix.
    assert generator._strip_prefix("[sports] Team wins the cup [tech] New chip") == (
        "Team wins the cup")
    assert generator._strip_prefix("[money] Stocks rise [PERS] Who is he?") == "Stocks rise"
    assert generator._strip_prefix("[tech] A [bracketed]word stays") == "A [bracketed]word stays"
    # Sampling stops a row as soon as its new tokens hold such a prefix, not before.
    encode = generator.tokenizer_.encode
    assert generator._runs_into_next_text(encode(" wins the cup [tech] New"))
    assert not generator._runs_into_next_text(encode(" wins the cup [tech]"))  # "[tech]word"?
    assert not generator._runs_into_next_text(encode(" A [bracketed]word stays"))
    texts, sources = generator.generate(6, random_state=0, return_sources=True)
    assert len(texts) == len(sources) == 6 and set(sources) <= set(range(len(X)))
    assert texts == generator.generate(6, random_state=0)  # the same draws either way


def test_samples_end_at_a_line_break_where_no_training_text_holds_one(tiny_models, topic_data):
    X, y = topic_data[:2]
    options = dict(conditional=True, epochs=1, max_length=32, max_new_tokens=5)
    generator = CausalLMGenerator(tiny_models["causal_lm"], **options).fit(X, y)
    assert generator.cut_at_line_break_
    assert generator._strip_prefix("[sports] Team wins\nBy our reporter") == "Team wins"
    assert generator._strip_prefix("[sports]\nTeam wins") == "Team wins"  # nothing to cut
    encode = generator.tokenizer_.encode
    assert generator._runs_into_next_text(encode(" wins\n\nThe"))
    assert generator._runs_into_next_text(encode("\nThe"))  # after the opening word
    assert not generator._runs_into_next_text(encode(" wins the cup"))
    assert not generator.set_params(prompt_words=0)._runs_into_next_text(encode("\nThe"))
    # Texts that hold line breaks keep them in the samples, as "auto" decides in fit.
    with_breaks = [text.replace(" ", "\n", 1) for text in X]
    generator = CausalLMGenerator(tiny_models["causal_lm"], **options).fit(with_breaks, y)
    assert not generator.cut_at_line_break_
    assert generator._strip_prefix("[sports] Team wins\nBy") == "Team wins\nBy"
    assert not generator._runs_into_next_text(encode(" wins\n\nThe"))
    forced = CausalLMGenerator(tiny_models["causal_lm"], cut_at_line_break=True, **options)
    assert forced.fit(with_breaks, y).cut_at_line_break_
    with pytest.raises(ValueError, match="cut_at_line_break"):
        CausalLMGenerator(tiny_models["causal_lm"], cut_at_line_break="yes").fit(X, y)


def test_labels_of_several_words_keep_their_prefix_whole(tiny_models, topic_data):
    X, y = topic_data[:2]
    # Labels with spaces, a line break and a tab: each prefix is one line, single-spaced.
    names = {"sports": "team  sports", "tech": "high\ntech", "money": "big\tmoney"}
    labels = [names[label] for label in y]
    generator = CausalLMGenerator(tiny_models["causal_lm"], conditional=True, epochs=1,
                                  max_length=32, max_new_tokens=5, prompt_words=2).fit(X, labels)
    for opening, text, label in zip(generator.openings_, X, y, strict=True):
        prefix = {"sports": "[team sports]", "tech": "[high tech]", "money": "[big money]"}
        # The prefix, then the text's own first two words (none of them is lost to it).
        assert opening == f"{prefix[label]} {' '.join(text.split()[:2])}"
    assert generator._strip_prefix("[high tech] New chip out") == "New chip out"
    for text in generator.generate(12, random_state=0):
        assert not text.startswith("["), text  # the label never leaks into a sample
