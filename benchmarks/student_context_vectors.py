"""Word vectors from the teacher's outputs in context: a validation-split study.

The default student reads each word's vector from the finetuned teacher with the word
alone (``EncoderWordVectors``, model2vec's recipe). Here each word of the transfer texts
(the first 2,000 samples' kept texts and the labels) also gets the mean of the teacher's
outputs at its tokens where it occurs in them: what the finetuned encoder makes of it in
this data. ``--mixes M`` mixes the two as ``n / (n + M)`` of the in-context mean for a
word seen ``n`` times (M=0: the in-context mean alone); words never seen keep their own
vector. The default student (3 seeds, prior shifted as ``fit`` does) learns the same
targets with each; scores on 1,000 other pool texts, or the dev set with ``--validation
dev``. Appends rows to ``student_context_vectors.csv``::

    python benchmarks/student_context_vectors.py --data-dir ../shared/data --dataset sst2 \\
        --k 100 --seed 0 --validation dev --n-generated 2000 --memory /tmp/gd_cache
"""

from collections import defaultdict
from pathlib import Path

import numpy as np
import torch
from _results import (  # benchmarks/_results.py
    append_row,
    cached_samples_study,
    student_accuracies,
    transfer_set,
)

from sklearn_gd import EncoderWordVectors
from sklearn_gd.prior import prior_ratio
from sklearn_gd.student import split_words


class ContextWordVectors(EncoderWordVectors):
    """``EncoderWordVectors`` whose words seen in ``texts`` move toward the mean of the
    encoder's outputs at their tokens there, by ``n / (n + mix)`` for ``n`` occurrences."""

    def __init__(self, teacher, texts, mix, batch_size=32):
        super().__init__(teacher)
        self.mix = mix
        sums, self.counts = defaultdict(float), defaultdict(int)
        self.encoder.eval()
        for start in range(0, len(texts), batch_size):
            words = split_words(texts[start:start + batch_size])  # as the student reads them
            encoded = self.tokenizer(words, is_split_into_words=True, truncation=True,
                                     max_length=teacher.max_length, padding=True,
                                     return_tensors="pt")
            with torch.inference_mode():
                hidden = self.encoder(**encoded.to(self.device)).last_hidden_state
            hidden = hidden.float().cpu().numpy()
            for row, text_words in enumerate(words):
                spans = defaultdict(list)  # word position: its token positions
                for token, position in enumerate(encoded.word_ids(row)):
                    if position is not None:
                        spans[position].append(token)
                for position, tokens in spans.items():
                    word = text_words[position]
                    sums[word] = sums[word] + hidden[row, tokens].mean(axis=0)
                    self.counts[word] += 1
        self.context = {word: total / self.counts[word] for word, total in sums.items()}

    def __call__(self, words):
        vectors = super().__call__(words).copy()
        for i, word in enumerate(words):
            if word in self.context:
                share = self.counts[word] / (self.counts[word] + self.mix)
                vectors[i] = share * self.context[word] + (1 - share) * vectors[i]
        return vectors


args, (X, y, X_valid, y_valid), clf, samples = cached_samples_study(
    __doc__, add_arguments=lambda parser: parser.add_argument(
        "--mixes", type=float, nargs="+", default=[0.0, 5.0]))
classes = clf.classes_
clf.generated_texts_ = samples  # transfer_set reads the samples from here
texts, targets = transfer_set(clf, X, y)
ratio = prior_ratio(targets, np.searchsorted(classes, y), len(classes))
settings = [("word alone (default)", EncoderWordVectors(clf.teacher_))]
settings += [(f"in context, mix {mix:g}", ContextWordVectors(clf.teacher_, texts, mix))
             for mix in args.mixes]
for setting, vectors in settings:
    scores, _ = student_accuracies(texts, targets, vectors, X_valid, y_valid, classes,
                                   prior_ratio=ratio)
    append_row(Path(args.out) / "student_context_vectors.csv", {
        "dataset": args.dataset, "k": args.k, "seed": args.seed,
        "validation": args.validation, "n_generated": args.n_generated, "setting": setting,
        "student_valid_accuracy": round(float(np.mean(scores)), 4),
        "std": round(float(np.std(scores)), 4),
    })
