"""``python -m sklearn_gd benchmark``: rows, merging, splits, clear errors, and the plots."""

import csv
import gzip
import json
import runpy
import sys
from pathlib import Path

import pytest
from conftest import make_texts

from sklearn_gd import SetFitClassifier, StudentClassifier, TransformerClassifier
from sklearn_gd.benchmark import SYSTEMS, BenchmarkDataError, main, read_results, run_benchmark

ROOT = Path(__file__).resolve().parents[1]


def write_csv(path, texts, labels, columns=("text", "label")):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(columns)
        writer.writerows(zip(texts, labels, strict=True))
    return path


@pytest.fixture
def train_csv(tmp_path):
    # 10 per class: after the 20% test split, 8 per class in the pool, 3 spare beyond K=5.
    return write_csv(tmp_path / "topics.csv.gz", *make_texts(10, seed=0))


def test_all_systems_two_seeds(tiny_models, train_csv, tmp_path, capsys, monkeypatch):
    # The command has no model options (users benchmark the defaults): fewer default epochs
    # keep the tiny teacher (default "auto": 150 steps at least) and the labels-only students
    # (also fitted 5 times by the classifier's cross-validated guard per gd fit) quick.
    monkeypatch.setitem(TransformerClassifier.__init__.__kwdefaults__, "epochs", 3)
    monkeypatch.setitem(StudentClassifier.__init__.__kwdefaults__, "epochs", 5)
    out = tmp_path / "results"
    args = ["--train", str(train_csv), "--k", "5", "--seeds", "0", "1", "--n-generated", "30",
            "--teacher-model", tiny_models["encoder"],
            "--generator-model", tiny_models["causal_lm"], "--output-dir", str(out)]
    main(args)
    rows = read_results(out / "results.csv")
    assert [(row["seed"], row["system"]) for row in rows] == [
        (seed, system) for seed in ("0", "1") for system in SYSTEMS
    ]
    for row in rows:
        assert row["dataset"] == "topics" and row["k"] == "5"
        assert 0 <= float(row["accuracy"]) <= 1 and 0 <= float(row["macro_f1"]) <= 1
        assert row["n_train"] == "15" and row["n_test"] == "6"
        assert float(row["predict_texts_per_s"]) > 0 and int(row["saved_bytes"]) > 0
        assert int(row["n_parameters"]) > 0
    by_system = {row["system"]: row for row in rows if row["seed"] == "0"}
    gd, pool = by_system["gd"], by_system["gd_real_pool"]
    # The gd rows carry the shared teacher's fit time, once in their total.
    assert gd["teacher_s"] == pool["teacher_s"] == by_system["teacher"]["fit_s"]
    vectors = by_system["teacher_vectors"]  # the same teacher's vectors, no samples
    assert vectors["teacher_s"] == gd["teacher_s"] and vectors["n_generated"] == ""
    assert float(vectors["fit_s"]) > float(vectors["teacher_s"])
    assert int(vectors["n_parameters"]) > int(by_system["labels_only"]["n_parameters"])
    assert float(gd["fit_s"]) >= float(gd["teacher_s"]) + float(gd["generator_s"])
    assert 0 <= int(gd["n_kept"]) <= 30
    # The guard's check is recorded: each candidate's cross-validated accuracy.
    scores = dict(item.split("=") for item in gd["selection_scores"].split())
    assert {"distilled", "labels_only", "teacher_vectors", "tfidf_lr"} <= scores.keys()
    assert all(0 <= float(score) <= 1 for score in scores.values())
    assert by_system["tfidf_lr"]["selection_scores"] == ""
    assert pool["n_kept"] == "0" and pool["n_unlabeled"] == "9"  # 3 spare rows per class
    assert by_system["tfidf_lr"]["teacher_s"] == ""
    markdown = (out / "results.md").read_text()
    assert all(system in markdown for system in SYSTEMS)
    assert "seed=1 gd_real_pool: accuracy" in capsys.readouterr().out

    # A rerun replaces its rows, and keeps the others.
    main(args[:6] + ["--systems", "tfidf_lr", "labels_only", "--output-dir", str(out)])
    assert len(read_results(out / "results.csv")) == 2 * len(SYSTEMS)
    markdown = (out / "results.md").read_text()
    table_rows = [line for line in markdown.splitlines()[2:] if line.startswith("| ")]
    assert "## Is distillation worth it here?" in markdown
    assert sum(row.split(" | ")[3] == "tfidf_lr" for row in table_rows) == 2


def test_setfit_teacher_option(tiny_models, train_csv, tmp_path, monkeypatch):
    fitted = []
    fit = SetFitClassifier.fit
    monkeypatch.setattr(SetFitClassifier, "fit", lambda self, X, y: fitted.append(self) or
                        fit(self, X, y))
    monkeypatch.setitem(SetFitClassifier.__init__.__kwdefaults__, "steps", 5)
    main(["--train", str(train_csv), "--k", "5", "--systems", "teacher", "--teacher", "setfit",
          "--teacher-model", tiny_models["encoder"], "--output-dir", str(tmp_path)])
    (row,) = read_results(tmp_path / "results.csv")
    assert row["system"] == "teacher" and 0 <= float(row["accuracy"]) <= 1
    assert len(fitted) == 1 and fitted[0].steps == 5


def test_splits_select_the_labeled_sample_and_test_rows(tmp_path):
    train = write_csv(tmp_path / "train.csv", *make_texts(6, seed=0))  # rows cycle 3 classes
    test = write_csv(tmp_path / "test.csv", *make_texts(4, seed=1))
    splits = tmp_path / "splits.json"
    splits.write_text(json.dumps({"train_rows": {"k2_s0": [0, 1, 2, 3, 4, 5]},
                                  "eval_test_rows": [0, 1, 2, 3, 4, 5, 6, 7, 8]}))
    rows = run_benchmark(train, test=test, splits=splits, k=[2], seeds=[0],
                         systems=["tfidf_lr"], output_dir=tmp_path / "out")
    assert rows[0]["dataset"] == tmp_path.name  # train.csv: named after its folder
    assert (rows[0]["n_train"], rows[0]["n_test"]) == (6, 9)
    with pytest.raises(BenchmarkDataError, match=r"no labeled sample 'k2_s1'.*'k2_s0'"):
        run_benchmark(train, test=test, splits=splits, k=[2], seeds=[1], systems=["tfidf_lr"],
                      output_dir=tmp_path / "out")
    splits.write_text(json.dumps({"train_rows": {"k2_s0": [0, 18]}, "eval_test_rows": [0]}))
    with pytest.raises(BenchmarkDataError, match="out of range for a file of 18 rows, e.g. 18"):
        run_benchmark(train, test=test, splits=splits, k=[2], systems=["tfidf_lr"],
                      output_dir=tmp_path / "out")
    with pytest.raises(BenchmarkDataError, match="--splits needs --test"):
        run_benchmark(train, splits=splits, k=[2], systems=["tfidf_lr"],
                      output_dir=tmp_path / "out")


def test_k_larger_than_a_class_is_a_clear_error(train_csv, tmp_path, capsys):
    with pytest.raises(BenchmarkDataError, match="has only 8 rows in the training pool, "
                                                 "fewer than K=9"):
        run_benchmark(train_csv, k=[9], output_dir=tmp_path)
    with pytest.raises(SystemExit):  # the command: a usage error, not a traceback
        main(["--train", str(train_csv), "--k", "9", "--output-dir", str(tmp_path)])
    assert "fewer than K=9" in capsys.readouterr().err
    assert not (tmp_path / "results.csv").exists()  # checked before fitting anything


def test_missing_column_names_the_columns_available(tmp_path, capsys):
    train = write_csv(tmp_path / "data.csv", *make_texts(5, seed=0), columns=("body", "topic"))
    with pytest.raises(BenchmarkDataError, match="no column 'text'; columns available: body, "
                                                 "topic"):
        run_benchmark(train, k=[2], output_dir=tmp_path)
    with pytest.raises(SystemExit):
        main(["--train", str(train), "--label-column", "category", "--text-column", "body"])
    assert "no column 'category'; columns available: body, topic" in capsys.readouterr().err


def test_csv_from_a_spreadsheet_with_a_byte_order_mark_reads(tmp_path):
    texts, labels = make_texts(5, seed=0)
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + write_csv(tmp_path / "plain.csv", texts,
                                                      labels).read_bytes())
    rows = run_benchmark(path, k=[2], systems=["tfidf_lr"], output_dir=tmp_path / "out")
    assert rows[0]["n_train"] == 6


@pytest.mark.parametrize("content, message", [
    ("text,label\nA fine match,sports\nNo label here\n", "line 3 .* header's 2 fields"),
    ("text,label\nhello, world,sports\n", "line 2 .* put texts that hold commas in quotes"),
    ("text,label\nA fine match,sports\nA new chip, \n", "line 3 .* has an empty label"),
    ("text,label\nUne r\u00e9ussite,sports\n", "is not UTF-8 text"),
    ("text,label\nA match,sports\nA cup,sports\nA goal,sports\n", "holds 1 class"),
])
def test_bad_rows_of_a_csv_are_named(tmp_path, capsys, content, message):
    path = tmp_path / "data.csv"
    path.write_bytes(content.encode("latin-1" if "UTF-8" in message else "utf-8"))
    with pytest.raises(BenchmarkDataError, match=message):
        run_benchmark(path, k=[2], systems=["tfidf_lr"], output_dir=tmp_path)


@pytest.mark.parametrize("option, value", [("--k", "1"), ("--seeds", "-1"),
                                           ("--n-generated", "-5")])
def test_out_of_range_options_are_usage_errors(train_csv, tmp_path, capsys, option, value):
    args = ["--train", str(train_csv), "--output-dir", str(tmp_path), "--k", "2", option, value]
    with pytest.raises(SystemExit):
        main(args)
    assert f"{option} takes numbers of at least" in capsys.readouterr().err
    assert not (tmp_path / "results.csv").exists()


def test_test_labels_never_in_train_are_announced(tmp_path):
    train = write_csv(tmp_path / "train.csv", *make_texts(4, seed=0))
    texts, labels = make_texts(2, seed=1)
    test = write_csv(tmp_path / "test.csv", texts + ["Rain all week"], labels + ["weather"])
    with pytest.warns(UserWarning, match="1 test texts have labels that --train never has "
                                         "\\('weather'\\)"):
        run_benchmark(train, test=test, k=[2], systems=["tfidf_lr"], output_dir=tmp_path)


@pytest.mark.parametrize("argv, expected", [
    (["install", "--dry-run"], "pip install --no-deps"),
    (["benchmark", "--help"], "python -m sklearn_gd benchmark"),
])
def test_module_dispatches_install_and_benchmark(monkeypatch, capsys, argv, expected):
    monkeypatch.setattr(sys, "argv", ["python -m sklearn_gd", *argv])
    try:
        runpy.run_module("sklearn_gd", run_name="__main__")
    except SystemExit as exit:  # --help exits 0
        assert exit.code == 0
    assert expected in capsys.readouterr().out


def test_plot_script(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    results = tmp_path / "results.csv"
    rows = [{"dataset": dataset, "k": k, "seed": seed, "system": system,
             "accuracy": 0.5 + k / 1000 + seed / 100, "macro_f1": 0.5, "fit_s": 1.0,
             "predict_texts_per_s": 100}
            for dataset in ("a", "b") for k in (16, 100) for seed in (0, 1)
            for system in ("tfidf_lr", "gd")]
    # A run with fewer samples: its own curve, kept out of the default-size table.
    rows += [{"dataset": "a", "k": 16, "seed": seed, "system": "gd", "n_generated": 500,
              "accuracy": 0.1, "macro_f1": 0.1, "fit_s": 1.0, "predict_texts_per_s": 100}
             for seed in (0, 1)]
    with open(results, "w", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=[*rows[0], "n_generated"])
        writer.writeheader()
        writer.writerows(rows)
    monkeypatch.setattr(sys, "argv", ["plot_benchmark.py", str(results),
                                      "--output-dir", str(tmp_path / "plots")])
    runpy.run_path(str(ROOT / "benchmarks" / "plot_benchmark.py"), run_name="__main__")
    assert (tmp_path / "plots" / "accuracy_vs_k.png").stat().st_size > 0
    summary = (tmp_path / "plots" / "summary.md").read_text()
    assert "| a | 100 | gd | 2 | 0.605 |" in summary  # mean of seeds 0 and 1
    assert "| a | 16 | gd | 2 | 0.521 |" in summary  # the 500-sample rows are not in it
    assert (tmp_path / "plots" / "gd_vs_samples.png").stat().st_size > 0
    # Asked for, the 500-sample rows are the table's gd rows (files from before the
    # n_generated column, read as 2,000 samples, are left out then).
    monkeypatch.setattr(sys, "argv", ["plot_benchmark.py", str(results), "--n-generated", "500",
                                      "--output-dir", str(tmp_path / "plots500")])
    runpy.run_path(str(ROOT / "benchmarks" / "plot_benchmark.py"), run_name="__main__")
    summary = (tmp_path / "plots500" / "summary.md").read_text()
    assert "| a | 16 | gd | 2 | 0.100 |" in summary
    assert "| a | 100 | gd |" not in summary and "| a | 100 | tfidf_lr |" in summary


def test_samples_plot_averages_only_seeds_run_at_every_size(tmp_path):
    pytest.importorskip("matplotlib")
    plot = runpy.run_path(str(ROOT / "benchmarks" / "plot_benchmark.py"), run_name="plot")
    results = tmp_path / "results.csv"
    rows = [{"dataset": "a", "k": 16, "seed": seed, "system": "gd", "n_generated": n,
             "accuracy": accuracy}
            for seed, n, accuracy in [(0, 500, 0.6), (0, 2000, 0.7), (1, 2000, 0.9)]]
    with open(results, "w", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    sweep = plot["read_sample_sweep"]([results])
    assert plot["plot_samples"](sweep, tmp_path / "samples.png")  # seed 0 at both sizes
    # No seed at every size: no panel to draw, and no error.
    sweep["a", 16]["gd"][500] = {2: 0.6}
    assert not plot["plot_samples"](sweep, tmp_path / "none.png")


def test_results_written_before_the_samples_column_still_merge(tmp_path):
    from sklearn_gd.benchmark import write_results

    old = {"dataset": "a", "k": 16, "seed": 0, "system": "gd", "accuracy": 0.5}
    with open(tmp_path / "results.csv", "w", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(old))
        writer.writeheader()
        writer.writerows([old, {**old, "system": "tfidf_lr"}])
    write_results(tmp_path, [{**old, "system": "labels_only", "accuracy": 0.6}])
    rows = read_results(tmp_path / "results.csv")
    assert len(rows) == 3
    assert {row["system"]: row["n_generated"] for row in rows} == {
        "gd": "2000", "tfidf_lr": "", "labels_only": ""}  # the old default, where it applies
    assert "| labels_only |" in (tmp_path / "results.md").read_text()


def test_verdicts_compare_gd_with_each_system_over_shared_seeds():
    from sklearn_gd.benchmark import verdicts

    def row(system, seed, accuracy, n_generated="", selected=""):
        return {"dataset": "a", "k": "16", "seed": str(seed), "system": system,
                "accuracy": str(accuracy), "n_generated": n_generated, "selected": selected}

    rows = [row("gd", 0, 0.70, "2000", "distilled"), row("gd", 1, 0.60, "2000", "tfidf_lr"),
            row("gd", 0, 0.99, 0, "distilled"),  # another sample size (0, as an int): own line
            row("teacher", 0, 0.75), row("teacher", 1, 0.75),
            row("teacher_vectors", 0, 0.72), row("teacher_vectors", 1, 0.62),
            row("tfidf_lr", 0, 0.50), row("tfidf_lr", 1, 0.65),
            row("labels_only", 0, 0.6998),  # 0.02 points above gd: a tie at one decimal
            row("gd_real_pool", 0, 0.80, "2000")]  # seed 0 only: compared with gd's seed 0
    lines = [line for line in verdicts(rows).splitlines() if line.startswith("- ")]
    assert [line.split("**")[1] for line in lines] == ["a, K=16, 0 samples",
                                                      "a, K=16, 2000 samples"]
    assert "gd 0.990 over 1 seed;" in lines[0] and "24.0 points above the teacher" in lines[0]
    line = lines[1]
    assert "gd 0.650 over 2 seeds" in line
    assert "kept the distilled student at 1 of 2 seeds" in line
    assert "10.0 points below the teacher" in line
    assert "2.0 points below teacher_vectors" in line
    assert "below labels_only" not in line  # 0.7000 against 0.6998 on seed 0
    assert "points below tfidf_lr" not in line  # on average, gd leads it (0.650 against 0.575)
    # Per seed against the better plain baseline that ran it: seed 1, 0.60 < 0.65.
    assert "below the better of labels_only and tfidf_lr at 1 of 2 seeds" in line
    assert "+10.0 points (1 seed) (pass yours as `X_unlabeled`)" in line
    assert verdicts([row("tfidf_lr", 0, 0.5)]) == ""  # nothing to say without gd
    # Rows written before the guard existed: no claim about its choices.
    assert "guard" not in verdicts([row("gd", 0, 0.5)]).split("\n- ")[1]


def test_parameters_of_the_guards_average_add_up():
    from sklearn_gd.benchmark import n_parameters
    from sklearn_gd.guard import average_of_baselines, default_baselines

    X, y = make_texts(6, seed=0)
    # The average without a teacher: "teacher_vectors" needs one.
    baselines = {name: model for name, model in default_baselines(0).items()
                 if name != "teacher_vectors"}
    average = average_of_baselines(baselines).fit(X, y)
    counts = [n_parameters(model.fit(X, y)) for model in baselines.values()]
    assert n_parameters(average) == sum(counts) and min(counts) > 0
