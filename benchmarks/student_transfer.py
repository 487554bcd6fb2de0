"""Which student, and which transfer set? AG News, K=100 labeled per class.

For each student architecture, the test accuracy of the student trained on:
- the labeled texts alone (no distillation);
- the labeled texts + the generated texts, soft-labeled by the teacher (generation-distillation);
- the labeled texts + as many real unlabeled AG News texts, soft-labeled by the teacher
  (what generation-distillation would give with a perfect generator).

The teacher and the generated texts come from ``--memory`` (shared with the example: run
``python examples/ag_news_benchmark.py --memory DIR`` first to make this take minutes).

    python benchmarks/student_transfer.py --memory /tmp/gd_memory
"""

import argparse
import time
from pathlib import Path

import numpy as np
from _results import write_csv  # benchmarks/_results.py

from sklearn_gd import GenerationDistillationClassifier, StudentClassifier
from sklearn_gd.datasets import load_dataset

parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
parser.add_argument("--memory", required=True, help="joblib cache folder (teacher, samples)")
parser.add_argument("--data-dir", default=None)
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--n-generated", type=int, default=2000)
parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "student_transfer"))
args = parser.parse_args()

data = load_dataset("ag_news", k=100, seed=args.seed, data_dir=args.data_dir)
y_test = np.asarray(data.y_test)


def gd(architecture, n_generated=args.n_generated):
    return GenerationDistillationClassifier(
        student=StudentClassifier(architecture), n_generated=n_generated,
        memory=args.memory, random_state=args.seed,
    )


rows = []
for architecture in ["bag", "cnn", "bilstm"]:
    generated = gd(architecture).fit(data.X_train, data.y_train)
    pool = data.X_pool[: generated.n_generated_]  # as many real texts as generated ones kept
    real = gd(architecture, n_generated=0).fit(data.X_train, data.y_train, X_unlabeled=pool)
    labels_only = StudentClassifier(architecture, random_state=args.seed)
    for transfer, model in [
        ("labels only", labels_only.fit(data.X_train, data.y_train)),
        (f"+ {generated.n_generated_} generated texts", generated),
        (f"+ {len(pool)} real unlabeled texts", real),
    ]:
        start = time.perf_counter()
        accuracy = float(np.mean(model.predict(data.X_test) == y_test))
        rows.append({"student": architecture, "transfer set": transfer,
                     "accuracy": round(accuracy, 4),
                     "predict_s": round(time.perf_counter() - start, 3)})
        print(rows[-1], flush=True)

write_csv(args.out + ".csv", rows)
lines = [f"Student accuracy on {len(y_test)} AG News test texts, K=100, seed {args.seed}.",
         "Command: `python benchmarks/student_transfer.py --memory DIR`.", "",
         "| student | transfer set | accuracy |", "|---|---|---|"]
lines += [f"| {r['student']} | {r['transfer set']} | {r['accuracy']:.3f} |" for r in rows]
Path(args.out + ".md").write_text("\n".join(lines) + "\n")
