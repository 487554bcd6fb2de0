"""Choose the distillation defaults on a validation split, never on the test set.

Fits the default teacher once on the K=100 AG News sample, samples ``--n-generated`` texts
from SmolLM2 unconditioned and label-conditioned, then runs
``GenerationDistillationClassifier`` (the real filter, soft-labeling and student code) on
the first 2,000 or all of those samples with two student schedules, and scores each on
2,000 labeled texts of the training pool that are neither the labeled sample nor in the
shipped package sample. Three student seeds each. Needs the full AG News copy::

    python benchmarks/distillation_defaults.py --data-dir ../shared/data --memory DIR

Writes ``distillation_defaults.csv`` and ``.md`` into ``--out``.
"""

import argparse
from pathlib import Path

import numpy as np
from _results import write_csv  # benchmarks/_results.py
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.frozen import FrozenEstimator
from sklearn.utils.validation import check_memory

from sklearn_gd import (
    CausalLMGenerator,
    GenerationDistillationClassifier,
    StudentClassifier,
    TransformerClassifier,
)
from sklearn_gd.datasets import _read_csv, load_dataset

parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
parser.add_argument("--data-dir", required=True, help="folder with the full ag_news/")
parser.add_argument("--memory", default=None, help="cache folder for teacher and samples")
parser.add_argument("--n-generated", type=int, default=4000)
parser.add_argument("--out", default=str(Path(__file__).parent / "results"))
args = parser.parse_args()

data = load_dataset("ag_news", k=100, seed=0, data_dir=args.data_dir)
shipped = load_dataset("ag_news", k=100, seed=0)
labels = dict(_read_csv(Path(data.folder) / "train.csv.gz"))
unseen = sorted(set(data.X_pool) - set(shipped.X_pool))
rows = np.random.default_rng(1).choice(len(unseen), 2000, replace=False)
X_val = [unseen[i] for i in rows]
y_val = np.asarray([labels[text] for text in X_val])
memory = check_memory(args.memory)


def fit_teacher(X, y):
    return TransformerClassifier(random_state=0).fit(X, y)


def sample(conditional, n):
    generator = CausalLMGenerator(conditional=conditional, random_state=0)
    return generator.fit(data.X_train, data.y_train).generate(n, random_state=1)


class MemoTeacher(ClassifierMixin, BaseEstimator):
    """The fitted teacher, remembering its probabilities per text (labels them once)."""

    def __init__(self, teacher=None):
        self.teacher = teacher

    def fit(self, X, y):
        self.classes_ = self.teacher.classes_
        return self

    def predict_proba(self, X):
        memo = self.__dict__.setdefault("memo_", {})
        new = [text for text in dict.fromkeys(X) if text not in memo]
        if new:
            memo.update(zip(new, self.teacher.predict_proba(new), strict=True))
        return np.stack([memo[text] for text in X])

    def predict(self, X):
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


class Pregenerated(BaseEstimator):
    """A generator that returns the first ``n`` of texts sampled beforehand."""

    def __init__(self, texts=None):
        self.texts = texts

    def fit(self, X, y=None):
        return self

    def generate(self, n, random_state=None):
        return list(self.texts[:n])


# Frozen: used as it is by every fit below, so each text is labeled once.
teacher = FrozenEstimator(
    MemoTeacher(memory.cache(fit_teacher)(data.X_train, data.y_train)).fit(None, None)
)
samples = {name: memory.cache(sample)(conditional, args.n_generated)
           for name, conditional in [("unconditioned", False), ("label-conditioned", True)]}
schedules = {
    "lr 1e-2, 40 epochs": {},
    "lr 3e-3, early stopping": {"learning_rate": 3e-3, "epochs": 50, "early_stopping": True},
}
results = []


def record(transfer, schedule, scores, n_transfer):
    results.append({"transfer set": transfer, "student": schedule, "n_transfer": n_transfer,
                    "val_accuracy": round(float(np.mean(scores)), 4),
                    "val_std": round(float(np.std(scores)), 4)})
    print(results[-1], flush=True)


for schedule, params in schedules.items():
    scores = [StudentClassifier(random_state=seed, **params).fit(data.X_train, data.y_train)
              .score(X_val, y_val) for seed in range(3)]
    record("labels only (400 texts)", schedule, scores, len(data.X_train))
    for name, texts in samples.items():
        for n in sorted({2000, args.n_generated}):
            scores = []
            for seed in range(3):
                clf = GenerationDistillationClassifier(
                    Pregenerated(texts), teacher, StudentClassifier(**params),
                    n_generated=n, random_state=seed,
                ).fit(data.X_train, data.y_train)
                scores.append(clf.score(X_val, y_val))
            record(f"{name}, {n} sampled", schedule, scores, clf.n_transfer_)
    scores = [GenerationDistillationClassifier(
        Pregenerated([]), teacher, StudentClassifier(**params), n_generated=0,
        random_state=seed).fit(data.X_train, data.y_train, X_unlabeled=shipped.X_pool)
        .score(X_val, y_val) for seed in range(3)]
    record(f"{len(shipped.X_pool)} real unlabeled texts (reference)", schedule, scores,
           len(data.X_train) + len(shipped.X_pool))

out = Path(args.out)
write_csv(out / "distillation_defaults.csv", results)
teacher_accuracy = teacher.score(X_val, y_val)
(out / "distillation_defaults.md").write_text("\n".join([
    "# Distillation defaults, chosen on a validation split",
    "",
    f"`python benchmarks/distillation_defaults.py --data-dir ../shared/data`: AG News, "
    f"K=100 per class (seed 0), {len(X_val)} labeled validation texts from the training pool "
    f"(not the test set). Student accuracy, mean (std) over 3 student seeds; one sampling "
    f"run per generator ({args.n_generated} texts, the first 2,000 for the smaller rows). "
    f"Teacher: {teacher_accuracy:.3f}.",
    "",
    "| transfer set | student schedule | texts | validation accuracy |",
    "|---|---|---|---|",
    *[f"| {r['transfer set']} | {r['student']} | {r['n_transfer']} | "
      f"{r['val_accuracy']:.3f} ({r['val_std']:.3f}) |" for r in results],
    "",
]))
