"""How few epochs may ``epochs="auto"`` give the teacher? Test accuracy of the default
finetuned teacher at a fixed number of epochs.

``epochs="auto"`` trains for at least 150 optimizer steps. Over 600 texts that is 4
epochs, and on a task the teacher finds hard the training loss is still high after them.
This fits ``TransformerClassifier(epochs=E)`` on labeled sample 0 of a dataset and scores
it on the test set (the fixed evaluation rows of ``splits.json``), for each ``--points``
entry ``dataset:K:E``. Besides the datasets of ``--data-dir``, ``news_and_sentiment`` is
a 6-class mix built here from them: 4,000 AG News training texts (4 topics) and the
SST-2 training sentences of 8 words or more (3,718; 2 sentiments), with 1,000 test texts
of each; its labeled sample is drawn with ``numpy.random.default_rng(0)``, as the
benchmark command does without ``--splits``. Appends one row per point, with the training
loss of each epoch, to ``teacher_min_epochs.csv``::

    python benchmarks/teacher_min_epochs.py --data-dir ../shared/data \\
        --points news_and_sentiment:100:4 news_and_sentiment:100:8 ag_news:100:8
"""

import argparse
import json
import time
from pathlib import Path

import numpy as np
from _results import append_row, news_and_sentiment  # benchmarks/_results.py

from sklearn_gd import TransformerClassifier
from sklearn_gd.benchmark import draw_labeled_sample, read_labeled_csv


def labeled_and_test(data_dir, dataset, k):
    if dataset == "news_and_sentiment":
        X_pool, y_pool, X_test, y_test = news_and_sentiment(data_dir)
        rows = draw_labeled_sample(y_pool, k, 0)
    else:
        folder = Path(data_dir) / dataset
        X_pool, y_pool = read_labeled_csv(folder / "train.csv.gz")
        X_test, y_test = read_labeled_csv(folder / "test.csv.gz")
        splits = json.loads((folder / "splits.json").read_text())
        rows = splits["train_rows"][f"k{k}_s0"]
        X_test = [X_test[i] for i in splits["eval_test_rows"]]
        y_test = [y_test[i] for i in splits["eval_test_rows"]]
    return [X_pool[i] for i in rows], np.asarray(y_pool)[rows], X_test, np.asarray(y_test)


parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
parser.add_argument("--data-dir", required=True)
parser.add_argument("--points", nargs="+", required=True, help="dataset:K:epochs")
parser.add_argument("--out", default=str(Path(__file__).parent / "results"))
args = parser.parse_args()
for point in args.points:
    dataset, k, epochs = point.split(":")
    X, y, X_test, y_test = labeled_and_test(args.data_dir, dataset, int(k))
    start = time.perf_counter()
    teacher = TransformerClassifier(random_state=0, epochs=int(epochs)).fit(X, y)
    seconds = time.perf_counter() - start
    predicted = teacher.predict(X_test)
    append_row(Path(args.out) / "teacher_min_epochs.csv", {
        "dataset": dataset, "k": k, "seed": 0, "epochs": epochs,
        "test_accuracy": round(float(np.mean(predicted == y_test)), 4),
        "n_test": len(y_test), "fit_seconds": round(seconds, 1),
        "train_loss_per_epoch": " ".join(
            f"{float(h['train_loss']):.3f}" for h in teacher.net_.history)})
