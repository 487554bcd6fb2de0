"""Filter generated texts before they are labeled: the third stage of generation-distillation."""

import re

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

__all__ = ["filter_generated"]

_SPACES = re.compile(r"\s+")


def _normalize(text):
    return _SPACES.sub(" ", text).strip().lower()


def filter_generated(texts, train_texts, *, min_words=4, max_words=None, max_similarity=0.8):
    """Drop generated texts that would teach the student nothing or mislead it.

    In order: empty texts; texts shorter than ``min_words`` or longer than ``max_words``
    words; texts where one word makes up over half of the words (repetition loops);
    exact duplicates (after lower-casing and collapsing spaces); and near copies of a
    training text (TF-IDF cosine similarity above ``max_similarity``).

    Parameters
    ----------
    texts : list of str
        Generated texts.
    train_texts : list of str
        The labeled training texts.
    min_words : int, default=4
        Shortest text kept, in words.
    max_words : int or None, default=None
        Longest text kept; None uses 2x the longest training text.
    max_similarity : float, default=0.8
        Highest TF-IDF cosine similarity to any training text that is kept.

    Returns
    -------
    kept : list of str
        The texts kept, in their original order.
    report : dict
        Number of texts dropped for each reason, and the number kept.
    """
    if max_words is None:
        max_words = 2 * max(len(text.split()) for text in train_texts)
    report = dict.fromkeys(["empty", "length", "repetitive", "duplicate", "near_copy"], 0)
    seen = {_normalize(text) for text in train_texts}
    candidates = []
    for text in texts:
        words = _normalize(text).split()
        if not words:
            reason = "empty"
        elif not min_words <= len(words) <= max_words:
            reason = "length"
        elif max(np.unique(words, return_counts=True)[1]) > max(2, len(words) // 2):
            reason = "repetitive"
        elif " ".join(words) in seen:
            reason = "duplicate"  # of another generated text, or an exact training copy
        else:
            seen.add(" ".join(words))
            candidates.append(text)
            continue
        report[reason] += 1
    kept = candidates
    if candidates:
        vectorizer = TfidfVectorizer(sublinear_tf=True).fit(train_texts + candidates)
        similarity = vectorizer.transform(candidates) @ vectorizer.transform(train_texts).T
        closest = similarity.max(axis=1).toarray().ravel()
        kept = [text for text, sim in zip(candidates, closest, strict=True)
                if sim <= max_similarity]
        report["near_copy"] = len(candidates) - len(kept)
    report["kept"] = len(kept)
    return kept, report
