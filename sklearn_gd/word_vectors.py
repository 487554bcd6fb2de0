"""Static word vectors read out of a finetuned transformer encoder, for the student.

A bag-of-words student learned from scratch only knows the words of its transfer set,
and those only as well as a few thousand generated texts teach them. The teacher's
encoder knows every word of its tokenizer, and after finetuning it knows what they mean
for the task. Passing each word alone through the encoder and averaging its token
outputs gives one fixed vector per word (the recipe of model2vec, here on the finetuned
teacher): the student starts from them, including for words it never sees in training.
"""

import re

import numpy as np
import torch

__all__ = ["EncoderWordVectors"]

# A whole word of a tokenizer's vocabulary: letters or digits only, after the word-start
# marker that SentencePiece ("▁") or byte-level BPE ("Ġ") puts in front of it.
_WHOLE_WORD = re.compile(r"[^\W_]+")


class EncoderWordVectors:
    """One vector per word from a fitted :class:`~sklearn_gd.TransformerClassifier` or
    :class:`~sklearn_gd.SetFitClassifier` (its encoder, ``net_.module_.model``).

    Calling it on a list of words runs each word alone through the teacher's finetuned
    encoder and averages the outputs of its tokens (special tokens left out). Vectors are
    computed once per word and kept. Give it to
    :class:`~sklearn_gd.StudentClassifier` as ``word_vectors``;
    :class:`~sklearn_gd.GenerationDistillationClassifier` does it for its default student
    (``word_vectors="teacher"``).

    It keeps a reference to the teacher's network, not a copy; copies of it (scikit-learn's
    ``clone`` makes them) share it. Pickling it drops the network: a student unpickled
    with it still predicts, but cannot be refitted with these vectors.

    Parameters
    ----------
    teacher : TransformerClassifier or SetFitClassifier
        A fitted teacher.
    batch_size : int, default=512
        Words per forward pass.
    """

    def __init__(self, teacher, batch_size=512):
        self.encoder = teacher.net_.module_.model.base_model
        self.tokenizer = teacher.tokenizer_
        self.device = teacher.net_.device
        self.batch_size = batch_size
        self._vectors = {}

    def words(self):
        """The whole words of the encoder's vocabulary, lower-cased, in vocabulary order."""
        vocabulary = sorted(self.tokenizer.get_vocab().items(), key=lambda item: item[1])
        stripped = (token.lstrip("▁Ġ") for token, _ in vocabulary if not token.startswith("##"))
        return list(dict.fromkeys(word.lower() for word in stripped if _WHOLE_WORD.fullmatch(word)))

    def __call__(self, words):
        """Vectors of ``words`` (list of str): an array of shape (len(words), hidden size)."""
        if self.encoder is None:
            raise RuntimeError(
                "These word vectors were unpickled without their encoder. Pass "
                "EncoderWordVectors(fitted_teacher) again to fit a student with them."
            )
        new = [word for word in dict.fromkeys(words) if word not in self._vectors]
        for start in range(0, len(new), self.batch_size):
            batch = new[start : start + self.batch_size]
            self._vectors.update(zip(batch, self._encode(batch), strict=True))
        return np.stack([self._vectors[word] for word in words])

    def _encode(self, words):
        encoded = self.tokenizer(words, padding=True, truncation=True, max_length=16,
                                 return_special_tokens_mask=True, return_tensors="pt")
        special = encoded.pop("special_tokens_mask")
        attention = encoded["attention_mask"].unsqueeze(-1).float()
        mask = attention * (1 - special).unsqueeze(-1)
        # A word the tokenizer turns into special tokens only gets the mean over all tokens.
        mask = torch.where(mask.sum(dim=1, keepdim=True) > 0, mask, attention)
        was_training = self.encoder.training
        self.encoder.eval()  # no dropout
        try:
            with torch.inference_mode():
                hidden = self.encoder(**encoded.to(self.device)).last_hidden_state.float().cpu()
        finally:
            self.encoder.train(was_training)
        return ((hidden * mask).sum(dim=1) / mask.sum(dim=1)).numpy()

    def __deepcopy__(self, memo):
        return self  # read-only after construction: clones share the encoder and cache

    def __getstate__(self):
        return {**self.__dict__, "encoder": None, "_vectors": {}}

    def __repr__(self):
        return f"EncoderWordVectors({type(self.encoder).__name__})"
