"""One-thread ``predict_proba`` speed of the student against TF-IDF + logistic regression.

The default student now holds the teacher tokenizer's whole words on top of its training
words (about 27,000 on AG News), so its vocabulary look-up is larger than before. This
measures, in one process and on one thread, both models on the same 2,000 AG News test
texts (best of 5 runs each): TF-IDF + LR fitted on labeled sample ``k100_s0``, and the
student fitted for 2 epochs on those texts and 2,000 others with the encoder's words
added. Its vectors here are random (``RandomWordVectors``): the speed of ``predict_proba``
does not depend on their values, and no teacher needs finetuning. It also measures the
guard's fallback, the average of both default baselines' probabilities (the labels-only
student and TF-IDF + LR, fitted on the same sample). Writes ``predict_speed.csv`` into
``--out``::

    python benchmarks/predict_speed.py --data-dir ../shared/data
"""

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch
from _results import write_csv  # benchmarks/_results.py
from threadpoolctl import threadpool_limits
from transformers import AutoTokenizer

from sklearn_gd import EncoderWordVectors, StudentClassifier, default_baselines, resolve_model
from sklearn_gd._classifier import average_of_baselines
from sklearn_gd.benchmark import read_labeled_csv

parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
parser.add_argument("--data-dir", required=True)
parser.add_argument("--out", default=str(Path(__file__).parent / "results"))
args = parser.parse_args()


class RandomWordVectors:
    """The default teacher tokenizer's whole words, with random vectors."""

    words = EncoderWordVectors.words

    def __init__(self):
        self.tokenizer = AutoTokenizer.from_pretrained(
            resolve_model("sentence-transformers/all-MiniLM-L6-v2"))

    def __call__(self, words):
        return np.random.default_rng(0).normal(size=(len(words), 384))


folder = Path(args.data_dir) / "ag_news"
texts, labels = read_labeled_csv(folder / "train.csv.gz")
test_texts, _ = read_labeled_csv(folder / "test.csv.gz")
splits = json.loads((folder / "splits.json").read_text())
labels = np.asarray(labels)
sample = splits["train_rows"]["k100_s0"]
X, y = [texts[i] for i in sample], labels[sample]
X_test = [test_texts[i] for i in splits["eval_test_rows"]]
extra = np.random.default_rng(0).choice(len(texts), 2000, replace=False)

torch.set_num_threads(1)
student = StudentClassifier(word_vectors=RandomWordVectors(), epochs=2, random_state=0).fit(
    X + [texts[i] for i in extra], np.concatenate([y, labels[extra]]))
tfidf_lr = default_baselines(0)["tfidf_lr"].fit(X, y)
baseline_average = average_of_baselines(default_baselines(0)).fit(X, y)


def texts_per_second(model):
    times = []
    with threadpool_limits(1):
        for _ in range(5):
            start = time.perf_counter()
            model.predict_proba(X_test)
            times.append(time.perf_counter() - start)
    return len(X_test) / min(times)


rows = [{"model": name, "predict_texts_per_s": round(texts_per_second(model)),
         "vocabulary": vocabulary, "n_test": len(X_test)}
        for name, model, vocabulary in [
            ("student (teacher-word vocabulary)", student, len(student.vocabulary_)),
            ("tfidf_lr", tfidf_lr, len(tfidf_lr[0].vocabulary_)),
            ("baseline_average (labels_only + tfidf_lr)", baseline_average, ""),
        ]]
for row in rows:
    print(row)
write_csv(Path(args.out) / "predict_speed.csv", rows)
