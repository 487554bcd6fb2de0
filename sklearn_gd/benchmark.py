"""``python -m sklearn_gd benchmark``: generation-distillation against baselines on your data.

For each labeled-sample size K and seed, the same K-per-class labeled sample and the same
test texts are given to every system: TF-IDF + LogisticRegressionCV, the student trained on
the labels only, the finetuned teacher, generation-distillation, and generation-distillation
from real unlabeled texts of the training file instead of generated ones. Accuracy, macro
F1, fit time (per stage for generation-distillation), one-thread prediction speed, size and
saved size go to ``results.csv`` and ``results.md`` in the output folder.
"""

import argparse
import copy
import csv
import gzip
import io
import json
import sys
import time
import warnings
from pathlib import Path

import joblib
import numpy as np
import torch
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegressionCV
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from threadpoolctl import threadpool_limits

from ._classifier import GenerationDistillationClassifier
from .generator import CausalLMGenerator
from .setfit import SetFitClassifier
from .student import StudentClassifier
from .teacher import TransformerClassifier
from .word_vectors import EncoderWordVectors

__all__ = ["SYSTEMS", "BenchmarkDataError", "main", "read_results", "run_benchmark"]

SYSTEMS = ("tfidf_lr", "labels_only", "teacher", "teacher_vectors", "gd", "gd_real_pool")
TEACHERS = {"finetuned": TransformerClassifier, "setfit": SetFitClassifier}
# Stages of GenerationDistillationClassifier.stage_times_ ("guard": the check against
# baselines); a stage that a version of the classifier does not have is left empty.
STAGES = ("teacher", "generator", "filter", "soft-label", "guard", "student")
COLUMNS = [
    "dataset", "k", "seed", "system", "n_generated", "accuracy", "macro_f1", "fit_s",
    *(f"{stage.replace('-', '_')}_s" for stage in STAGES),
    "predict_texts_per_s", "n_parameters", "saved_bytes", "selected", "n_kept",
    "label_agreement",
    "n_unlabeled", "n_train", "n_test", "selection_scores",
]
DEFAULT_N_GENERATED = GenerationDistillationClassifier().n_generated
# Result files written before the n_generated column existed ran the default of then.
LEGACY_N_GENERATED = 2000


class BenchmarkDataError(ValueError):
    """The data or the options cannot give the requested benchmark (a user error)."""


def read_labeled_csv(path, text_column="text", label_column="label"):
    """Texts and labels (as strings) of a CSV file, plain or gzip-compressed.

    Parameters
    ----------
    path : str or path-like
        CSV file with a header row; ``.gz`` files are decompressed.
    text_column, label_column : str, default="text", "label"
        Names of the columns holding the texts and the labels.

    Returns
    -------
    texts, labels : list of str
    """
    path = Path(path)
    if not path.is_file():
        raise BenchmarkDataError(f"no such file: {path}")
    opener = gzip.open if path.suffix == ".gz" else open
    # utf-8-sig: files saved as "CSV UTF-8" by spreadsheets start with a byte-order mark.
    try:
        with opener(path, "rt", encoding="utf-8-sig", newline="") as file:
            reader = csv.DictReader(file)
            columns = reader.fieldnames or []
            for column in (text_column, label_column):
                if column not in columns:
                    raise BenchmarkDataError(
                        f"{path} has no column {column!r}; columns available: "
                        f"{', '.join(columns) or '(none: empty file)'}. Set --text-column and "
                        "--label-column."
                    )
            rows = []
            for row in reader:
                # DictReader puts missing fields as None, and extra ones under the key None.
                if None in row or row[text_column] is None or row[label_column] is None:
                    raise BenchmarkDataError(
                        f"line {reader.line_num} of {path} does not have the header's "
                        f"{len(columns)} fields: put texts that hold commas in quotes "
                        "(\"...\"), or fix that row."
                    )
                if not row[label_column].strip():
                    raise BenchmarkDataError(
                        f"line {reader.line_num} of {path} has an empty label; fill it in or "
                        "drop that row."
                    )
                rows.append((row[text_column], row[label_column]))
    except UnicodeDecodeError as error:
        raise BenchmarkDataError(
            f"{path} is not UTF-8 text ({error.reason} at byte {error.start}); save it as "
            "UTF-8, e.g. pandas.read_csv(path, encoding='latin-1').to_csv(new_path)."
        ) from None
    return [text for text, _ in rows], [label for _, label in rows]


def draw_labeled_sample(labels, k, seed):
    """Positions of ``k`` rows per class, drawn with ``numpy.random.default_rng(seed)``.

    Raises
    ------
    BenchmarkDataError
        If a class has fewer than ``k`` rows.
    """
    rng = np.random.default_rng(seed)
    labels = np.asarray(labels)
    rows = []
    for label in np.unique(labels):
        positions = np.flatnonzero(labels == label)
        if len(positions) < k:
            raise BenchmarkDataError(
                f"class {str(label)!r} has only {len(positions)} rows in the training pool, "
                f"fewer than K={k}; lower --k or add data."
            )
        rows.extend(rng.choice(positions, k, replace=False).tolist())
    return sorted(rows)


def default_name(train):
    """The dataset name for ``train``: its parent folder for a generic ``train.csv(.gz)``,
    else the file's name without its ``.csv``/``.gz`` suffixes."""
    path = Path(train)
    stem = path.name.removesuffix(".gz").removesuffix(".csv")
    return path.resolve().parent.name if stem == "train" else stem


def read_results(path):
    """Rows (dicts of strings) of a results CSV; empty if it does not exist."""
    path = Path(path)
    if not path.exists():
        return []
    with open(path, newline="") as file:
        rows = list(csv.DictReader(file))
    for row in rows:  # files written before the column existed: the default was used
        sampled = row["system"] in ("gd", "gd_real_pool")
        row["n_generated"] = row.get("n_generated") or (str(LEGACY_N_GENERATED) if sampled else "")
    return rows


def _key(row):
    system = str(row["system"])
    order = SYSTEMS.index(system) if system in SYSTEMS else len(SYSTEMS)
    n = int(row["n_generated"]) if row.get("n_generated", "") != "" else -1
    return str(row["dataset"]), int(row["k"]), int(row["seed"]), order, system, n


def write_results(output_dir, new_rows):
    """Merge ``new_rows`` into ``results.csv`` (same dataset, k, seed, system and number of
    samples replaces)
    and rewrite ``results.md`` from all rows."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    rows = read_results(output_dir / "results.csv") + list(new_rows)  # new ones win
    rows = {_key(row): {column: row.get(column, "") for column in COLUMNS} for row in rows}
    rows = [rows[key] for key in sorted(rows)]
    with open(output_dir / "results.csv", "w", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=COLUMNS, restval="", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    (output_dir / "results.md").write_text(markdown_table(rows) + "\n" + verdicts(rows))


def _fmt(value, digits):
    return "" if value in ("", None) else f"{float(value):.{digits}f}"


def markdown_table(rows):
    """A markdown table of result rows: accuracy and F1 to 3 decimals, times to 1."""
    header = ["dataset", "K", "seed", "system", "samples", "accuracy", "macro F1", "fit (s)",
              *(f"{stage} (s)" for stage in STAGES), "predict (texts/s)", "parameters",
              "saved (MB)", "selected", "kept", "label agreement"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        cells = [row["dataset"], row["k"], row["seed"], row["system"], row.get("n_generated", ""),
                 _fmt(row["accuracy"], 3), _fmt(row["macro_f1"], 3), _fmt(row["fit_s"], 1),
                 *(_fmt(row[f"{stage.replace('-', '_')}_s"], 1) for stage in STAGES),
                 _fmt(row["predict_texts_per_s"], 0), row["n_parameters"],
                 _fmt(float(row["saved_bytes"]) / 1e6, 2) if row["saved_bytes"] != "" else "",
                 row["selected"], row["n_kept"], _fmt(row.get("label_agreement", ""), 2)]
        lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    return "\n".join(lines) + "\n"


# The systems a user would deploy: fast to predict (the teacher is not).
FAST_SYSTEMS = ("tfidf_lr", "labels_only", "teacher_vectors", "gd")


def _seeds(n):
    return f"{n} seed{'s' if n != 1 else ''}"


def verdicts(rows):
    """Is distillation worth it here? One markdown line per dataset, K and number of
    samples asked for (``n_generated``) of the ``gd`` rows: mean accuracies over seeds,
    each comparison over the seeds that both systems ran (``gd_real_pool`` rows asked for
    as many real texts)."""
    groups, selected = {}, {}
    for row in rows:
        if row["accuracy"] in ("", None):
            continue
        system, seed = row["system"], int(row["seed"])
        if system in ("gd", "gd_real_pool"):
            n = row.get("n_generated", "")
            system = system, int(n) if n not in ("", None) else LEGACY_N_GENERATED
        key = row["dataset"], int(row["k"])
        groups.setdefault(key, {}).setdefault(system, {})[seed] = float(row["accuracy"])
        if system[0] == "gd" and row.get("selected"):  # older files have no guard column
            selected.setdefault((key, system), {})[seed] = row["selected"]

    def mean(by_seed, seeds):
        return float(np.mean([by_seed[seed] for seed in seeds]))

    def shared(*by_seeds):
        return sorted(set.intersection(*(set(by_seed) for by_seed in by_seeds)))

    def over(seeds, gd):  # say which seeds a comparison covers when not all of gd's
        return "" if len(seeds) == len(gd) else f" ({_seeds(len(seeds))})"

    lines = []
    for key, systems in sorted(groups.items()):
        for system in sorted(name for name in systems if name[0] == "gd"):
            gd = systems[system]
            text = (f"- **{key[0]}, K={key[1]}, {system[1]} samples**: gd {mean(gd, gd):.3f} "
                    f"over {_seeds(len(gd))}")
            if choices := selected.get((key, system)):
                n_kept = sum(choice == "distilled" for choice in choices.values())
                text += (f"; the guard kept the distilled student at {n_kept} of "
                         f"{_seeds(len(choices))}")
            if "teacher" in systems and (seeds := shared(gd, systems["teacher"])):
                gap = round(100 * (mean(gd, seeds) - mean(systems["teacher"], seeds)), 1)
                side = "below" if gap < 0 else "above"
                text += f"; {abs(gap):.1f} points {side} the teacher{over(seeds, gd)}"
            for name in FAST_SYSTEMS[:-1]:
                if name in systems and (seeds := shared(gd, systems[name])):
                    behind = round(100 * (mean(systems[name], seeds) - mean(gd, seeds)), 1)
                    if behind > 0:
                        text += f"; **{behind:.1f} points below {name}**{over(seeds, gd)}"
            # Per seed, against the better plain baseline that ran it.
            plain = [{name: systems[name][seed] for name in ("tfidf_lr", "labels_only")
                      if seed in systems.get(name, {})} for seed in gd]
            runs = [(score, baselines) for score, baselines in zip(gd.values(), plain,
                                                                   strict=True) if baselines]
            below = [score < max(baselines.values()) for score, baselines in runs]
            if any(below):
                names = sorted(set().union(*(baselines for _, baselines in runs)))
                text += (f"; below {'the better of ' if len(names) > 1 else ''}"
                         f"{' and '.join(names)} at {sum(below)} of {_seeds(len(runs))}")
            real = systems.get(("gd_real_pool", system[1]), {})
            if (seeds := shared(gd, real)) and mean(real, seeds) - mean(gd, seeds) >= 0.01:
                text += (f"; real unlabeled texts instead of samples: "
                         f"{100 * (mean(real, seeds) - mean(gd, seeds)):+.1f} points"
                         f"{over(seeds, gd)} (pass yours as `X_unlabeled`)")
            lines.append(text + ".")
    if not lines:
        return ""
    return ("## Is distillation worth it here?\n\n"
            "`gd` is the model the default classifier keeps: the distilled student, or the "
            "guard's fallback (`selected`). Below `teacher_vectors` (the student on the labels "
            "with the teacher's word vectors), the generated texts, or the guard's fallback, "
            "cost accuracy; below `tfidf_lr` or `labels_only`, the model falls short of a "
            "plain baseline. Each difference is over the seeds both systems ran; lines of "
            "other sample sizes may cover other seeds.\n\n"
            + "\n".join(lines) + "\n")


def n_parameters(model):
    """Trainable size of a fitted model: network parameters, or linear coefficients."""
    if hasattr(model, "student_"):  # GenerationDistillationClassifier: the student predicts
        model = model.student_
    if hasattr(model, "estimators_"):  # the guard's average of the baselines
        counts = [n_parameters(estimator) for estimator in model.estimators_]
        return "" if "" in counts else sum(counts)
    if hasattr(model, "n_parameters_"):
        return int(model.n_parameters_)
    if hasattr(model, "net_"):
        return int(sum(p.numel() for p in model.net_.module_.parameters()))
    last = model.steps[-1][1] if hasattr(model, "steps") else model
    if hasattr(last, "coef_"):
        return int(np.size(last.coef_) + np.size(getattr(last, "intercept_", [])))
    return ""


def saved_bytes(model):
    """Size in bytes of ``joblib.dump(model)``.

    A generation-distillation classifier is measured as a user who fitted it with its
    default teacher would save it: without the frozen teacher that the benchmark passes in
    as a parameter (the fitted classifier does not need it to predict).
    """
    if isinstance(model, GenerationDistillationClassifier):
        model = copy.copy(model)
        model.teacher = None
    buffer = io.BytesIO()
    joblib.dump(model, buffer)
    return buffer.getbuffer().nbytes


def one_thread_predict_proba(model, X):
    """``model.predict_proba(X)`` on one thread, and the seconds it took."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with threadpool_limits(1):
            start = time.perf_counter()
            proba = model.predict_proba(X)
            return proba, time.perf_counter() - start
    finally:
        torch.set_num_threads(threads)


def evaluate(model, X_test, y_test):
    """Accuracy, macro F1 and one-thread ``predict_proba`` throughput (texts/s)."""
    proba, elapsed = one_thread_predict_proba(model, X_test)
    predicted = np.asarray(model.classes_)[np.argmax(proba, axis=1)]
    return {
        "accuracy": accuracy_score(y_test, predicted),
        "macro_f1": f1_score(y_test, predicted, average="macro"),
        "predict_texts_per_s": len(X_test) / max(elapsed, 1e-9),
    }


def load_data(train, *, test=None, test_size=0.2, splits=None, text_column="text",
              label_column="label"):
    """The training pool, the test set and the splits (or None) of a benchmark.

    Returns
    -------
    X_pool, y_pool, X_test, y_test : list of str
    splits : dict or None
        The parsed ``splits.json``; its ``eval_test_rows`` are already applied to the test set.
    """
    X_pool, y_pool = read_labeled_csv(train, text_column, label_column)
    if len(set(y_pool)) < 2:
        raise BenchmarkDataError(f"{train} holds {len(set(y_pool))} class; a classifier needs "
                                 "at least 2.")
    if splits is not None:
        if test is None:
            raise BenchmarkDataError("--splits needs --test: its eval_test_rows are positions "
                                     "in the test file.")
        splits_path = Path(splits)
        if not splits_path.is_file():
            raise BenchmarkDataError(f"no such file: {splits_path}")
        splits = json.loads(splits_path.read_text())
        if not {"train_rows", "eval_test_rows"} <= set(splits):
            raise BenchmarkDataError(f"{splits_path} must hold 'train_rows' and "
                                     "'eval_test_rows'.")
        _check_positions(splits_path, "train_rows", len(X_pool),
                         [i for rows in splits["train_rows"].values() for i in rows])
    if test is not None:
        X_test, y_test = read_labeled_csv(test, text_column, label_column)
        if splits is not None:
            rows = splits["eval_test_rows"]
            _check_positions(splits_path, "eval_test_rows", len(X_test), rows)
            X_test, y_test = [X_test[i] for i in rows], [y_test[i] for i in rows]
        unseen = sorted(set(y_test) - set(y_pool))
        if unseen:  # no system can predict them: every such test text counts as an error
            warnings.warn(
                f"{sum(label in unseen for label in y_test)} test texts have labels that "
                f"--train never has ({', '.join(map(repr, unseen[:5]))}); every system gets "
                "them wrong.", stacklevel=2,
            )
        return X_pool, y_pool, X_test, y_test, splits
    try:  # a fixed seed, so that every invocation tests on the same texts
        X_pool, X_test, y_pool, y_test = train_test_split(
            X_pool, y_pool, test_size=test_size, stratify=y_pool, random_state=0
        )
    except ValueError as error:
        raise BenchmarkDataError(f"cannot split a test set off {train}: {error}") from error
    return X_pool, y_pool, X_test, y_test, splits


def _check_positions(path, key, n_rows, positions):
    bad = [i for i in positions if not 0 <= i < n_rows]
    if bad:
        raise BenchmarkDataError(f"{key} of {path} has row positions out of range for a file "
                                 f"of {n_rows} rows, e.g. {bad[0]}.")


def run_benchmark(train, *, test=None, test_size=0.2, splits=None, text_column="text",
                  label_column="label", k=(16, 100), seeds=(0,), n_generated=None,
                  systems=SYSTEMS, teacher="finetuned", teacher_model=None,
                  generator_model=None, output_dir="benchmark_results", name=None,
                  verbose=False):
    """Fit and score every system for every K and seed; write the results as they come.

    Parameters
    ----------
    train : str or path-like
        CSV (plain or ``.gz``) of labeled texts: the pool the labeled samples come from.
    test : str or path-like, default=None
        CSV of labeled test texts. None splits ``test_size`` of ``train`` off (stratified,
        fixed seed).
    test_size : float, default=0.2
        Fraction of ``train`` used as the test set when ``test`` is None.
    splits : str or path-like, default=None
        A ``splits.json``: labeled sample ``train_rows["k{K}_s{seed}"]`` and test subset
        ``eval_test_rows``. None draws K per class with ``numpy.random.default_rng(seed)``.
    text_column, label_column : str, default="text", "label"
        Column names in the CSV files.
    k : sequence of int, default=(16, 100)
        Labeled texts per class.
    seeds : sequence of int, default=(0,)
        Seeds of the labeled samples and of the models.
    n_generated : int, default=None
        Texts the generator samples (and real unlabeled texts for ``gd_real_pool``). None
        uses the classifier's default.
    systems : sequence of str, default=SYSTEMS
        Which of ``SYSTEMS`` to run.
    teacher : {"finetuned", "setfit"}, default="finetuned"
        The teacher of the ``teacher``, ``gd`` and ``gd_real_pool`` rows:
        :class:`TransformerClassifier` (the library's default) or :class:`SetFitClassifier`.
    teacher_model, generator_model : str, default=None
        Model ids or folders of the teacher and the generator. None uses the defaults.
    output_dir : str or path-like, default="benchmark_results"
        Folder of ``results.csv`` and ``results.md``; rows of earlier runs are kept, and
        replaced where dataset, k, seed and system are the same.
    name : str, default=None
        Dataset name in the rows. None uses :func:`default_name` of ``train``.
    verbose : bool, default=False
        Print the stages of the teacher and of generation-distillation.

    Returns
    -------
    rows : list of dict
        The rows of this run.
    """
    if teacher not in TEACHERS:
        raise BenchmarkDataError(f"unknown teacher {teacher!r}; choose from {list(TEACHERS)}.")
    teacher_class = TEACHERS[teacher]
    unknown = sorted(set(systems) - set(SYSTEMS))
    if unknown:
        raise BenchmarkDataError(f"unknown systems {unknown}; choose from {list(SYSTEMS)}.")
    n_generated = DEFAULT_N_GENERATED if n_generated is None else n_generated
    # The baselines cross-validate on the labeled sample: two texts per class at least.
    for option, values, lowest in [("--k", k, 2), ("--seeds", seeds, 0),
                                   ("--n-generated", [n_generated], 0)]:
        if not values or min(values) < lowest:
            raise BenchmarkDataError(f"{option} takes numbers of at least {lowest}; got "
                                     f"{list(values)}.")
    name = name or default_name(train)
    X_all, y_all, X_test, y_test, split_rows = load_data(
        train, test=test, test_size=test_size, splits=splits, text_column=text_column,
        label_column=label_column,
    )
    # Check every labeled sample before fitting anything: errors come first, not after hours.
    samples = {}
    for size in k:
        for seed in seeds:
            samples[size, seed] = _labeled_rows(split_rows, y_all, size, seed)

    rows = []
    for (size, seed), labeled in samples.items():
        X, y = [X_all[i] for i in labeled], [y_all[i] for i in labeled]
        spare = sorted(set(range(len(X_all))) - set(labeled))
        base = {"dataset": name, "k": size, "seed": seed, "n_train": len(X),
                "n_test": len(X_test)}
        teacher = teacher_s = None
        for system in [s for s in SYSTEMS if s in systems]:
            if system == "gd_real_pool" and not spare:
                print(f"[benchmark] {name} K={size} seed={seed}: gd_real_pool skipped, no "
                      "training rows beyond the labeled sample.", file=sys.stderr)
                continue
            if system not in ("tfidf_lr", "labels_only") and teacher is None:
                # Fitted once, shared by the teacher, teacher_vectors, gd and gd_real_pool.
                teacher, teacher_s = _timed_fit(
                    _teacher(teacher_class, teacher_model, seed, verbose), X, y)
            # Samples asked for (gd), or real pool texts (gd_real_pool).
            n = {"n_generated": n_generated} if system in ("gd", "gd_real_pool") else {}
            row = {**base, **n, "system": system,
                   **_run_system(system, X, y, X_test, y_test, seed, teacher, teacher_s,
                                 n_generated, generator_model, [X_all[i] for i in spare],
                                 verbose)}
            rows.append(row)
            write_results(output_dir, [row])
            print(f"[benchmark] {name} K={size} seed={seed} {system}: accuracy "
                  f"{row['accuracy']:.3f}, fit {row['fit_s']:.1f}s", flush=True)
    return rows


def _labeled_rows(split_rows, y_all, k, seed):
    if split_rows is None:
        return draw_labeled_sample(y_all, k, seed)
    key = f"k{k}_s{seed}"
    if key not in split_rows["train_rows"]:
        raise BenchmarkDataError(f"no labeled sample {key!r} in --splits; it has "
                                 f"{sorted(split_rows['train_rows'])}.")
    return list(split_rows["train_rows"][key])


def _timed_fit(model, *args, **kwargs):
    start = time.perf_counter()
    model.fit(*args, **kwargs)
    return model, time.perf_counter() - start


def _teacher(teacher, model, seed, verbose):
    params = {"random_state": seed, "verbose": int(verbose)}
    return teacher(model, **params) if model else teacher(**params)


def _run_system(system, X, y, X_test, y_test, seed, teacher, teacher_s, n_generated,
                generator_model, pool, verbose):
    """Fit one system (the teacher is already fitted) and measure it."""
    extra = {}
    if system == "tfidf_lr":
        folds = min(5, min(np.unique(y, return_counts=True)[1]))
        with warnings.catch_warnings():
            # scikit-learn >= 1.8 announces new defaults of LogisticRegressionCV; the ones
            # to silence it differ between versions, and the current ones are what we want.
            warnings.simplefilter("ignore", FutureWarning)
            model, fit_s = _timed_fit(make_pipeline(
                TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                LogisticRegressionCV(Cs=[0.1, 1, 10, 100], cv=folds, max_iter=1000),
            ), X, y)
    elif system == "labels_only":
        model, fit_s = _timed_fit(StudentClassifier(random_state=seed), X, y)
    elif system == "teacher":
        model, fit_s = teacher, teacher_s
    elif system == "teacher_vectors":  # the labels-only student with the teacher's vectors
        student = StudentClassifier(word_vectors=EncoderWordVectors(teacher), random_state=seed)
        model, fit_s = _timed_fit(student, X, y)
        model.set_params(word_vectors="teacher")  # in its weights now; do not keep the teacher
        fit_s += teacher_s
        extra = {"teacher_s": teacher_s}
    else:
        generator = (CausalLMGenerator(model=generator_model, conditional=True)
                     if generator_model else None)
        # The teacher is already fitted: frozen, the classifier uses it without refitting.
        model = GenerationDistillationClassifier(
            teacher=FrozenEstimator(teacher), generator=generator,
            n_generated=n_generated if system == "gd" else 0, random_state=seed,
            verbose=int(verbose),
        )
        unlabeled = None
        if system == "gd_real_pool":
            rng = np.random.default_rng(seed)
            chosen = rng.choice(len(pool), min(n_generated, len(pool)), replace=False)
            unlabeled = [pool[i] for i in sorted(chosen)]
        model.fit(X, y, X_unlabeled=unlabeled)
        times = {**model.stage_times_, "teacher": teacher_s}
        fit_s = sum(times.values())
        extra = {f"{stage.replace('-', '_')}_s": times.get(stage, "") for stage in STAGES}
        agreement = getattr(model, "sample_label_agreement_", None)
        scores = getattr(model, "selection_scores_", {})  # the guard's check, for the CSV
        extra.update(selected=getattr(model, "selected_", ""), n_kept=model.n_generated_,
                     label_agreement="" if agreement is None else agreement,
                     n_unlabeled=len(unlabeled or []),
                     selection_scores=" ".join(f"{name}={score:.4f}"
                                               for name, score in scores.items()))
    return {**evaluate(model, X_test, y_test), "fit_s": fit_s,
            "n_parameters": n_parameters(model), "saved_bytes": saved_bytes(model), **extra}


def build_parser():
    """The argument parser of ``python -m sklearn_gd benchmark``."""
    parser = argparse.ArgumentParser(
        prog="python -m sklearn_gd benchmark",
        description="Benchmark generation-distillation against its teacher and baselines on "
        "a labeled CSV: every system gets the same K-per-class labeled sample and test texts.",
        epilog="example: python -m sklearn_gd benchmark --train data/ag_news/train.csv.gz "
        "--test data/ag_news/test.csv.gz --splits data/ag_news/splits.json --k 16 100 "
        "--seeds 0 1 2 --output-dir results",
    )
    add = parser.add_argument
    add("--train", required=True, metavar="PATH",
        help="CSV (plain or .gz) of labeled texts: the pool the labeled samples are drawn from")
    add("--text-column", default="text", metavar="NAME",
        help="column of the texts (default: %(default)s)")
    add("--label-column", default="label", metavar="NAME",
        help="column of the labels (default: %(default)s)")
    add("--test", default=None, metavar="PATH",
        help="CSV of labeled test texts (default: split --test-size of --train off)")
    add("--test-size", type=float, default=0.2, metavar="FRACTION",
        help="fraction of --train used as the test set when --test is absent, stratified, "
        "fixed seed (default: %(default)s)")
    add("--splits", default=None, metavar="PATH",
        help='splits.json: the labeled sample is train_rows["k{K}_s{SEED}"], the test set '
        "the eval_test_rows of --test (required with it); default: draw K per class with "
        "numpy.random.default_rng(SEED)")
    add("--k", type=int, nargs="+", default=[16, 100], metavar="K",
        help="labeled texts per class, one run each (default: 16 100)")
    add("--seeds", type=int, nargs="+", default=[0], metavar="SEED",
        help="seeds of the labeled sample and of the models, one run each (default: 0)")
    add("--n-generated", type=int, default=DEFAULT_N_GENERATED, metavar="N",
        help="texts to generate for gd, and real unlabeled texts of --train for gd_real_pool "
        "(default: %(default)s)")
    add("--systems", nargs="+", choices=SYSTEMS, default=list(SYSTEMS), metavar="SYSTEM",
        help=f"systems to run, among {', '.join(SYSTEMS)} (default: all)")
    add("--teacher", choices=list(TEACHERS), default="finetuned",
        help="teacher: finetuned (TransformerClassifier, the library's default) or setfit "
        "(SetFitClassifier) (default: %(default)s)")
    add("--teacher-model", default=None, metavar="MODEL",
        help="Hub id or folder of the teacher (default: the library's, MiniLM-L6)")
    add("--generator-model", default=None, metavar="MODEL",
        help="Hub id or folder of the label-conditioned generator (default: the library's, "
        "SmolLM2-135M)")
    add("--output-dir", default="benchmark_results", metavar="PATH",
        help="folder of results.csv and results.md; rows of earlier runs are kept and "
        "replaced where dataset, K, seed and system are the same (default: %(default)s)")
    add("--name", default=None,
        help="dataset name in the rows (default: the train file's name without .csv/.gz, "
        "or its folder's name for train.csv)")
    add("--verbose", action="store_true",
        help="print the stages of the teacher and of generation-distillation")
    return parser


def main(argv=None):
    """``python -m sklearn_gd benchmark --train PATH [options]``; see ``--help``."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        run_benchmark(
            args.train, test=args.test, test_size=args.test_size, splits=args.splits,
            text_column=args.text_column, label_column=args.label_column, k=args.k,
            seeds=args.seeds, n_generated=args.n_generated, systems=args.systems,
            teacher=args.teacher, teacher_model=args.teacher_model,
            generator_model=args.generator_model,
            output_dir=args.output_dir, name=args.name, verbose=args.verbose,
        )
    except BenchmarkDataError as error:
        parser.error(str(error))
