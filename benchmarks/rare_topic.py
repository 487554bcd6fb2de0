"""Write ``rare_topic``, a 2-class dataset beyond the three of ``shared/data``, as CSV
files for the benchmark command: one AG News topic against the three others, with a test
set in which that topic is rare (13% of the texts, as spam is among text messages), while
the labeled samples stay K per class (see ``_results.rare_topic``). Then benchmark it
like any user's data:

    python benchmarks/rare_topic.py --data-dir ../shared/data --out /tmp/rare
    python -m sklearn_gd benchmark --train /tmp/rare/train.csv.gz --test /tmp/rare/test.csv.gz \\
        --k 16 --seeds 0 --systems tfidf_lr labels_only teacher teacher_vectors gd \\
        --name rare_topic --output-dir benchmarks/results/benchmark_rare_topic
"""

import argparse

from _results import rare_topic, write_labeled_csvs  # benchmarks/_results.py

parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
parser.add_argument("--data-dir", required=True)
parser.add_argument("--out", required=True, help="folder for train.csv.gz and test.csv.gz")
parser.add_argument("--topic", default="Sci/Tech", help="the rare class (an AG News topic)")
args = parser.parse_args()

write_labeled_csvs(args.out, *rare_topic(args.data_dir, topic=args.topic))
