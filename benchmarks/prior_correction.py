"""Does shifting the distilled student's class prior back to the labels' prior help? A
study on validation texts (never the test set), one fit of the default classifier per
labeled sample:

    python benchmarks/prior_correction.py --data-dir ../shared/data --dataset rare_topic \\
        --rare-dir /tmp/rare --seeds 0 1 2
    python benchmarks/prior_correction.py --data-dir ../shared/data --dataset sst2 --seeds 0

Why: the student learns from the transfer set, whose soft labels the teacher gives. Where
the teacher labels most samples as one class (rare_topic K=16 seed 1: 72% of the kept
samples as Sci/Tech, asked for 54%), the student takes that class's share as its prior and
predicts it far more often than the teacher. The correction multiplies the student's
probabilities by ``prior(labels) / prior(transfer targets)`` and renormalizes (a logit
adjustment, Menon et al. 2021). It is applied after the fit, so both readings come from the
same fitted student. ``rare_topic`` (``rare_topic.py`` writes its CSVs) is validated on
2,000 other pool texts with its test set's 13% Sci/Tech; AG News on 1,000 pool texts;
SST-2 on its dev sentences.
"""

import argparse
import csv
import time
from pathlib import Path

import numpy as np
from _results import labeled_sample_and_validation, write_csv
from sklearn.metrics import accuracy_score, f1_score

from sklearn_gd import EncoderWordVectors, GenerationDistillationClassifier
from sklearn_gd._classifier import soften
from sklearn_gd.benchmark import draw_labeled_sample, read_labeled_csv
from sklearn_gd.guard import AVERAGED_DEFAULT_BASELINES, average_of_baselines, default_baselines
from sklearn_gd.prior import prior_ratio

parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
parser.add_argument("--data-dir", required=True)
parser.add_argument("--dataset", choices=["ag_news", "sst2", "bbc_news", "rare_topic"],
                    required=True)
parser.add_argument("--rare-dir", default="/tmp/rare", help="rare_topic.py's --out")
parser.add_argument("--k", type=int, default=16)
parser.add_argument("--seeds", type=int, nargs="+", default=[0])
parser.add_argument("--unguarded", action="store_true",
                    help="baselines={}: read the distilled student where the guard falls back, "
                    "and score the guard's fallback (the two students' average) and TF-IDF "
                    "+ LR beside it")
parser.add_argument("--out",
                    default=str(Path(__file__).parent / "results" / "prior_correction.csv"))
args = parser.parse_args()


def rare_topic_point(seed, n_valid=2000, rare_share=0.13):
    texts, labels = read_labeled_csv(Path(args.rare_dir) / "train.csv.gz")
    texts, labels = np.asarray(texts, dtype=object), np.asarray(labels)
    sample = draw_labeled_sample(labels, args.k, seed)  # as the benchmark command draws it
    rest = np.setdiff1d(np.arange(len(texts)), sample)
    rng = np.random.default_rng(0)
    n_rare = round(n_valid * rare_share)
    valid = np.concatenate([
        rng.choice(rest[labels[rest] == "Sci/Tech"], n_rare, replace=False),
        rng.choice(rest[labels[rest] != "Sci/Tech"], n_valid - n_rare, replace=False),
    ])
    return list(texts[sample]), labels[sample], list(texts[valid]), labels[valid]


def corrected(proba, shift):
    proba = proba * shift
    return proba / proba.sum(axis=1, keepdims=True)


out = Path(args.out)
rows = []
if out.exists():  # keep the rows of the other points
    with open(out) as file:
        rows = [row for row in csv.DictReader(file)
                if (row["dataset"], int(row["k"])) != (args.dataset, args.k)
                or int(row["seed"]) not in args.seeds]
for seed in args.seeds:
    if args.dataset == "rare_topic":
        X, y, X_valid, y_valid = rare_topic_point(seed)
    else:
        X, y, X_valid, y_valid = labeled_sample_and_validation(
            args.data_dir, args.dataset, args.k, seed=seed,
            validation="dev" if args.dataset == "sst2" else "pool")
    start = time.perf_counter()
    # prior_correction=False: both readings come from the same student, shifted here.
    gd = GenerationDistillationClassifier(keep_teacher=True, random_state=seed,
                                          prior_correction=False,
                                          **({"baselines": {}} if args.unguarded else {}))
    gd.fit(X, y)
    fit_s = time.perf_counter() - start
    classes = gd.classes_
    # The transfer set's prior, as the student saw it: the mean of its soft targets.
    transfer = gd.generated_texts_ + list(X)
    targets = soften(gd.teacher_.predict_proba(transfer), gd.temperature)
    onehot = (np.asarray(y)[:, None] == classes).astype(float)
    targets[len(gd.generated_texts_):] = gd.alpha * targets[len(gd.generated_texts_):] + (
        1 - gd.alpha) * onehot
    ratio = prior_ratio(targets, onehot.argmax(axis=1), len(classes))
    proba = gd.predict_proba(X_valid)
    readings = {"student": proba, "corrected": corrected(proba, ratio),
                "teacher": gd.teacher_.predict_proba(X_valid)}
    if args.unguarded:  # what the guard's fallback would give, fitted on the same labels
        baselines = default_baselines(seed)
        baselines["teacher_vectors"].set_params(word_vectors=EncoderWordVectors(gd.teacher_))
        average = average_of_baselines({name: baselines[name]
                                        for name in AVERAGED_DEFAULT_BASELINES})
        readings["baseline_average"] = average.fit(X, y).predict_proba(X_valid)
        readings["tfidf_lr"] = baselines["tfidf_lr"].fit(X, y).predict_proba(X_valid)
    for reading, p in readings.items():
        pred = classes[p.argmax(axis=1)]
        rows.append({
            "dataset": args.dataset, "k": args.k, "seed": seed, "selected": gd.selected_,
            "reading": reading, "accuracy": round(accuracy_score(y_valid, pred), 4),
            "macro_f1": round(f1_score(y_valid, pred, average="macro"), 4),
            "max_prior_ratio": round(float((1 / ratio).max()), 3),
            "predicted_shares": " ".join(f"{c}={np.mean(pred == c):.3f}" for c in classes),
            "fit_s": round(fit_s, 1),
        })
        print(rows[-1], flush=True)
    write_csv(out, rows)
