"""Writing the result files that the benchmark scripts commit under benchmarks/results/."""

import csv
from pathlib import Path


def write_csv(path, rows, fieldnames=None):
    """Write ``rows`` (dicts) to the CSV file ``path``, creating its folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=fieldnames or list(rows[0]), restval="")
        writer.writeheader()
        writer.writerows(rows)


def labeled_sample_and_validation(data_dir, dataset, k, n_valid=1000, seed=0,
                                  validation="pool"):
    """The K-per-class labeled sample ``seed`` of ``dataset`` (from its ``splits.json``, or
    drawn as ``python -m sklearn_gd benchmark`` draws it where ``splits.json`` lacks K) and
    a validation split (never the test set): ``n_valid`` other training-pool texts, or with
    ``validation="dev"`` the dataset's ``dev.csv.gz``. SST-2's pool holds phrases (median 7
    words) where its dev and test sets hold whole sentences (median 18): validate SST-2 on
    ``"dev"``.

    Returns ``X, y, X_valid, y_valid`` (lists of texts, arrays of labels).
    """
    import json

    import numpy as np

    from sklearn_gd.benchmark import draw_labeled_sample, read_labeled_csv

    folder = Path(data_dir) / dataset
    texts, labels = read_labeled_csv(folder / "train.csv.gz")
    texts, labels = np.asarray(texts, dtype=object), np.asarray(labels)
    samples = json.loads((folder / "splits.json").read_text())["train_rows"]
    # A K that splits.json lacks (it has 16 and 100) is drawn as the benchmark draws it.
    sample = samples.get(f"k{k}_s{seed}") or draw_labeled_sample(labels, k, seed)
    if validation == "dev":
        dev_texts, dev_labels = read_labeled_csv(folder / "dev.csv.gz")
        return list(texts[sample]), labels[sample], list(dev_texts), np.asarray(dev_labels)
    rest = np.setdiff1d(np.arange(len(texts)), sample)
    valid = np.random.default_rng(0).choice(rest, n_valid, replace=False)
    return list(texts[sample]), labels[sample], list(texts[valid]), labels[valid]


def study_point(doc):
    """Parse the options shared by the validation-split studies (``--data-dir``,
    ``--dataset``, ``--k``, ``--n-generated``, ``--out``; ``doc``'s first line describes
    them) and load their labeled sample and validation split.

    Returns ``args, (X, y, X_valid, y_valid)``.
    """
    import argparse

    parser = argparse.ArgumentParser(description=doc.strip().splitlines()[0])
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--dataset", default="ag_news")
    parser.add_argument("--k", type=int, default=16)
    parser.add_argument("--n-generated", type=int, default=2000)
    parser.add_argument("--out", default=str(Path(__file__).parent / "results"))
    args = parser.parse_args()
    return args, labeled_sample_and_validation(args.data_dir, args.dataset, args.k)


def one_sample_study_arguments(doc, dataset="sst2", k=100, seed=1, add_arguments=None):
    """Parse the options of the studies on one labeled sample: ``--data-dir``,
    ``--dataset``, ``--k``, ``--seed``, ``--validation``, ``--memory`` (a joblib cache of
    teacher and samples, reused by a rerun) and ``--out``, and those that
    ``add_arguments(parser)`` adds; ``doc``'s first line describes them."""
    import argparse

    parser = argparse.ArgumentParser(description=doc.strip().splitlines()[0])
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--dataset", default=dataset)
    parser.add_argument("--k", type=int, default=k)
    parser.add_argument("--seed", type=int, default=seed, help=f"labeled sample (default: {seed})")
    parser.add_argument("--validation", choices=["pool", "dev"], default="pool",
                        help="1,000 other pool texts, or the dataset's dev.csv.gz (SST-2: its "
                        "pool holds phrases, its dev and test sets sentences)")
    parser.add_argument("--memory", default=None, help="joblib cache folder (default: temporary)")
    parser.add_argument("--out", default=str(Path(__file__).parent / "results"))
    if add_arguments is not None:
        add_arguments(parser)
    return parser.parse_args()


def fitted_defaults(args, **params):
    """The labeled sample and validation split of ``args`` (from
    :func:`one_sample_study_arguments`), and ``GenerationDistillationClassifier`` with the
    defaults (or ``params`` in their place) fitted on the sample, its teacher kept
    (teacher and samples cached in ``args.memory``).

    Returns ``(X, y, X_valid, y_valid), clf``.
    """
    import tempfile
    import warnings

    from sklearn_gd import GenerationDistillationClassifier

    X, y, X_valid, y_valid = labeled_sample_and_validation(
        args.data_dir, args.dataset, args.k, seed=args.seed, validation=args.validation)
    clf = GenerationDistillationClassifier(keep_teacher=True, random_state=args.seed,
                                           memory=args.memory or tempfile.mkdtemp(), **params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a DistillationWarning is recorded in selected_
        clf.fit(X, y)
    return (X, y, X_valid, y_valid), clf


def transfer_set(clf, X, y, proba=None):
    """The transfer texts and soft targets that ``clf.fit(X, y)`` distilled its student
    from (its ``temperature``, and ``alpha`` on the labeled texts; no ``X_unlabeled``),
    with the teacher's probabilities, or ``proba(texts)`` in their place.

    Returns ``transfer, targets`` (a list of texts, a float32 array).
    """
    import numpy as np

    from sklearn_gd._classifier import soften

    proba = proba or clf.teacher_.predict_proba
    transfer = list(clf.generated_texts_) + list(X)
    targets = proba(transfer)
    if clf.temperature != 1:  # softmax(log p) is p: skip it, and its rounding, at 1
        targets = soften(targets, clf.temperature)
    labeled = np.arange(len(clf.generated_texts_), len(transfer))
    onehot = np.eye(len(clf.classes_))[np.searchsorted(clf.classes_, y)]
    targets[labeled] = clf.alpha * targets[labeled] + (1 - clf.alpha) * onehot
    return transfer, targets.astype(np.float32)


def append_row(path, row):
    """Append ``row`` (a dict) to the CSV file ``path``, with a header if the file is new,
    and print it."""
    path = Path(path)
    new = not path.exists()
    if not new:
        with open(path, newline="") as file:
            header = next(csv.reader(file), [])
        if header != list(row):
            raise ValueError(f"{path} has the columns {header}, not {list(row)}: write to "
                             "another --out folder, or move the old file away.")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", newline="") as file:
        writer = csv.DictWriter(file, list(row))
        if new:
            writer.writeheader()
        writer.writerow(row)
    print(row, flush=True)


def student_accuracies(transfer, targets, vectors, X_valid, y_valid, classes, student=None,
                       n_seeds=3, prior_ratio=None):
    """Validation accuracy of ``student`` (default: the classifier's default student),
    reading ``vectors`` and fitted on ``transfer`` and ``targets``, once per seed
    0 .. ``n_seeds - 1``; its prior shifted by ``prior_ratio`` where given, as ``fit``
    shifts it.

    Returns ``scores, fitted``: the accuracies, and the student of the last seed.
    """
    import numpy as np
    from sklearn.base import clone

    from sklearn_gd._classifier import default_student

    scores = []
    for seed in range(n_seeds):
        fitted = clone(student or default_student()).set_params(
            word_vectors=vectors, random_state=seed).fit(transfer, targets)
        if prior_ratio is not None:
            fitted.shift_prior(prior_ratio)
        scores.append(float(np.mean(classes[fitted.predict_proba(X_valid).argmax(1)] == y_valid)))
    return scores, fitted


def cached_samples_study(doc, add_arguments=None):
    """The common start of the studies that reuse ``sample_count.py``'s cached fits: the
    options of :func:`one_sample_study_arguments` and ``--n-generated`` (the cached fit's
    sample count), the defaults fitted with it (:func:`fitted_defaults`, no baselines), and
    the kept texts of its first 2,000 samples, the default's count.

    Returns ``args, (X, y, X_valid, y_valid), clf, samples``.
    """

    def arguments(parser):
        parser.add_argument("--n-generated", type=int, default=8000,
                            help="samples of the cached fit (default 8000, sample_count.py's); "
                            "the first 2,000 samples' kept texts are used")
        if add_arguments is not None:
            add_arguments(parser)

    args = one_sample_study_arguments(doc, add_arguments=arguments)
    data, clf = fitted_defaults(args, n_generated=args.n_generated, baselines={})
    kept = list(clf.generated_texts_)
    return args, data, clf, kept[: round(len(kept) * 2000 / args.n_generated)]


def distillation_study(doc, add_arguments=None):
    """The common start of the studies that refit the student: the options of
    :func:`one_sample_study_arguments`, the labeled sample and validation split, the
    defaults fitted on it (:func:`fitted_defaults`), their transfer set and targets
    (:func:`transfer_set`), the teacher's word vectors and its validation accuracy.

    Returns a namespace with ``args, X, y, X_valid, y_valid, clf, transfer, targets,
    vectors, teacher_accuracy``.
    """
    from types import SimpleNamespace

    import numpy as np

    from sklearn_gd import EncoderWordVectors

    args = one_sample_study_arguments(doc, add_arguments=add_arguments)
    (X, y, X_valid, y_valid), clf = fitted_defaults(args)
    transfer, targets = transfer_set(clf, X, y)
    return SimpleNamespace(
        args=args, X=X, y=y, X_valid=X_valid, y_valid=y_valid, clf=clf, transfer=transfer,
        targets=targets, vectors=EncoderWordVectors(clf.teacher_),
        teacher_accuracy=float(np.mean(clf.teacher_.predict(X_valid) == y_valid)))


def compare_students(study, students, csv_name):
    """Validation accuracy of each student of ``students`` (setting name to a function
    that makes it: built just before it is fitted, as the study scripts set class
    attributes) on ``study``'s transfer set (:func:`distillation_study`), 3 seeds each;
    appends one row per setting to ``csv_name`` in the study's ``--out`` folder."""
    import numpy as np

    args = study.args
    for setting, make_student in students.items():
        scores, fitted = student_accuracies(study.transfer, study.targets, study.vectors,
                                            study.X_valid, study.y_valid, study.clf.classes_,
                                            student=make_student())
        append_row(Path(args.out) / csv_name, {
            "dataset": args.dataset, "k": args.k, "seed": args.seed,
            "validation": args.validation, "setting": setting,
            "valid_accuracy": round(float(np.mean(scores)), 4),
            "std": round(float(np.std(scores)), 4),
            "student_seeds": len(scores), "n_parameters": fitted.n_parameters_,
            "teacher_valid_accuracy": round(study.teacher_accuracy, 4)})


def news_and_sentiment(data_dir):
    """A 6-class mix of ``shared/data``: 4,000 AG News training texts (4 topics) and the
    SST-2 training sentences of 8 words or more (3,718; 2 sentiments), with 1,000 test
    texts of each. Returns ``X_pool, y_pool, X_test, y_test`` (lists)."""
    import random

    from sklearn_gd.benchmark import read_labeled_csv

    rng = random.Random(0)
    train, test = [], []
    for dataset in ["ag_news", "sst2"]:
        pool = list(zip(*read_labeled_csv(Path(data_dir) / dataset / "train.csv.gz"),
                        strict=True))
        if dataset == "sst2":  # its pool holds phrases, its test set sentences
            pool = [row for row in pool if len(row[0].split()) >= 8]
        train += rng.sample(pool, min(4000, len(pool)))
        rows = list(zip(*read_labeled_csv(Path(data_dir) / dataset / "test.csv.gz"),
                        strict=True))
        test += rng.sample(rows, min(1000, len(rows)))
    rng.shuffle(train)
    rng.shuffle(test)
    return [t for t, _ in train], [label for _, label in train], [t for t, _ in test], [
        label for _, label in test]


def rare_topic(data_dir, topic="Sci/Tech", test_share=0.13, n_test=2000):
    """A 2-class task from AG News whose test set is imbalanced, as spam filters' are:
    ``topic`` against ``"other"`` (the three other topics). The pool is every AG News
    training text, relabeled (a K-per-class sample of it is balanced); the test set holds
    ``n_test`` AG News test texts, ``test_share`` of them of ``topic``. Returns
    ``X_pool, y_pool, X_test, y_test`` (lists)."""
    import random

    from sklearn_gd.benchmark import read_labeled_csv

    rng = random.Random(0)

    def relabel(labels):
        return [label if label == topic else "other" for label in labels]

    X_pool, y_pool = read_labeled_csv(Path(data_dir) / "ag_news" / "train.csv.gz")
    X_all, y_all = read_labeled_csv(Path(data_dir) / "ag_news" / "test.csv.gz")
    rows = list(zip(X_all, relabel(y_all), strict=True))
    n_topic = round(test_share * n_test)
    test = rng.sample([row for row in rows if row[1] == topic], n_topic)
    test += rng.sample([row for row in rows if row[1] != topic], n_test - n_topic)
    rng.shuffle(test)
    return list(X_pool), relabel(y_pool), [t for t, _ in test], [label for _, label in test]


def write_labeled_csvs(out, X_pool, y_pool, X_test, y_test):
    """Write ``train.csv.gz`` and ``test.csv.gz`` (columns ``text``, ``label``) to the
    folder ``out``, as the benchmark command reads a user's data."""
    import csv
    import gzip

    Path(out).mkdir(parents=True, exist_ok=True)
    for name, texts, labels in [("train", X_pool, y_pool), ("test", X_test, y_test)]:
        with gzip.open(Path(out) / f"{name}.csv.gz", "wt", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(["text", "label"])
            writer.writerows(zip(texts, labels, strict=True))
        print(f"{name}: {len(texts)} texts, {len(set(labels))} classes")
