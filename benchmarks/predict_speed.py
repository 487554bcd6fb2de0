"""One-thread ``predict_proba`` speed and saved size of the student, of the default
baselines, and of the guard's fallback (the average of the labels-only student and the same
student with the teacher's word vectors; also the previous fallback, labels-only + TF-IDF).

The default student holds the teacher tokenizer's whole words on top of its training
words (about 27,000 on AG News), so its vocabulary look-up is larger than a student's
fitted on the labels alone. This measures, in one process and on one thread, each model
on the same test texts (best of 5 runs each), fitted on labeled sample ``k100_s0``:

- AG News (2,000 test texts): the student, fitted for 2 epochs on the labeled texts and
  2,000 others with the encoder's words added; its vectors here are random
  (``RandomWordVectors``): the speed of ``predict_proba`` does not depend on their values,
  and no teacher needs finetuning. The baselines and the averages, as the guard fits
  them (the labels-only student with the teacher's vectors also with random ones).
- BBC News (full articles): the same baselines and averages, where the guard falls back.

The saved size is that of ``joblib.dump``; ``optimizer_state_mb`` is the size of what a
student's Adam optimizer holds after fitting, which students are now pickled without
(``StudentNet``). Writes ``predict_speed.csv`` into ``--out``::

    python benchmarks/predict_speed.py --data-dir ../shared/data
"""

import argparse
import io
import json
import time
from pathlib import Path

import joblib
import numpy as np
import torch
from _results import write_csv  # benchmarks/_results.py
from sklearn.base import clone
from threadpoolctl import threadpool_limits
from transformers import AutoTokenizer

from sklearn_gd import EncoderWordVectors, StudentClassifier, default_baselines, resolve_model
from sklearn_gd.benchmark import read_labeled_csv
from sklearn_gd.guard import AVERAGED_DEFAULT_BASELINES, average_of_baselines

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


def texts_per_second(model, texts):
    times = []
    with threadpool_limits(1):
        for _ in range(5):
            start = time.perf_counter()
            model.predict_proba(texts)
            times.append(time.perf_counter() - start)
    return len(texts) / min(times)


def saved_mb(model):
    buffer = io.BytesIO()
    joblib.dump(model, buffer)
    return buffer.tell() / 1e6


torch.set_num_threads(1)
rows = []
for dataset in ["ag_news", "bbc_news"]:
    folder = Path(args.data_dir) / dataset
    texts, labels = read_labeled_csv(folder / "train.csv.gz")
    test_texts, _ = read_labeled_csv(folder / "test.csv.gz")
    splits = json.loads((folder / "splits.json").read_text())
    labels = np.asarray(labels)
    sample = splits["train_rows"]["k100_s0"]
    X, y = [texts[i] for i in sample], labels[sample]
    X_test = [test_texts[i] for i in splits["eval_test_rows"]]
    baselines = default_baselines(0)
    baselines["teacher_vectors"].set_params(word_vectors=RandomWordVectors())
    models = {name: clone(model).fit(X, y) for name, model in baselines.items()}
    for members in [AVERAGED_DEFAULT_BASELINES, ("labels_only", "tfidf_lr")]:
        models[f"baseline_average ({' + '.join(members)})"] = average_of_baselines(
            {name: baselines[name] for name in members}).fit(X, y)
    if dataset == "ag_news":
        extra = np.random.default_rng(0).choice(len(texts), 2000, replace=False)
        models["student (teacher-word vocabulary)"] = StudentClassifier(
            word_vectors=RandomWordVectors(), epochs=2, random_state=0,
        ).fit(X + [texts[i] for i in extra], np.concatenate([y, labels[extra]]))
    for name, model in models.items():
        optimizer = getattr(getattr(model, "net_", None), "optimizer_", None)
        rows.append({"dataset": dataset, "model": name,
                     "predict_texts_per_s": round(texts_per_second(model, X_test)),
                     "saved_mb": round(saved_mb(model), 2),
                     "optimizer_state_mb": "" if optimizer is None
                     else round(saved_mb(optimizer.state_dict()), 2),
                     "n_test": len(X_test)})
        print(rows[-1], flush=True)
write_csv(Path(args.out) / "predict_speed.csv", rows)
