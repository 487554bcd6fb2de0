"""Why the GD student over-predicts the rare class on ``rare_topic`` (K=16 seed 1 of the
benchmark): refit the benchmark's run (the same labeled sample, teacher and seed) and
print, on the test set, each model's predicted class shares and confusion matrix, and for
the kept samples the share of each class asked for and the share the teacher gave:

    python benchmarks/rare_topic.py --data-dir ../shared/data --out /tmp/rare
    python benchmarks/rare_topic_diagnosis.py --rare-dir /tmp/rare --seed 1 \\
        > benchmarks/results/rare_topic_diagnosis_k16_s1.log
"""

import argparse

import numpy as np
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import confusion_matrix

from sklearn_gd import GenerationDistillationClassifier, TransformerClassifier
from sklearn_gd.benchmark import draw_labeled_sample, read_labeled_csv

parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
parser.add_argument("--rare-dir", default="/tmp/rare", help="rare_topic.py's --out")
parser.add_argument("--k", type=int, default=16)
parser.add_argument("--seed", type=int, default=1)
args = parser.parse_args()

X_pool, y_pool = read_labeled_csv(f"{args.rare_dir}/train.csv.gz")
X_test, y_test = read_labeled_csv(f"{args.rare_dir}/test.csv.gz")
rows = draw_labeled_sample(y_pool, args.k, args.seed)  # as the benchmark command draws it
X, y = [X_pool[i] for i in rows], [y_pool[i] for i in rows]
# As the benchmark runs gd: the teacher fitted first, then frozen inside the classifier.
teacher = TransformerClassifier(random_state=args.seed).fit(X, y)
gd = GenerationDistillationClassifier(teacher=FrozenEstimator(teacher),
                                      random_state=args.seed).fit(X, y)


def shares(labels):
    return {str(c): round(float(np.mean(np.asarray(labels) == c)), 3) for c in gd.classes_}


print(f"rare_topic K={args.k} seed={args.seed}; test shares: {shares(y_test)}")
for name, model in [("teacher", teacher), ("gd", gd)]:
    predicted = model.predict(X_test)
    print(f"{name}: accuracy {np.mean(predicted == np.asarray(y_test)):.4f}, "
          f"predicted shares {shares(predicted)}")
    print(f"confusion matrix (rows: true {list(map(str, gd.classes_))}):")
    print(confusion_matrix(y_test, predicted, labels=gd.classes_))
print(f"kept samples: {gd.n_generated_}; asked for: {shares(gd.generated_labels_)}; "
      f"teacher's labels: {shares(teacher.predict(gd.generated_texts_))}")
