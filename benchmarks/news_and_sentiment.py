"""Write ``news_and_sentiment``, a 6-class dataset beyond the three of ``shared/data``, as
CSV files for the benchmark command: AG News topics and SST-2 sentiments in one task, a
mix of topics and sentiments, of news and film-review sentences (see
``_results.news_and_sentiment``). Then benchmark it like any user's data:

    python benchmarks/news_and_sentiment.py --data-dir ../shared/data --out /tmp/mix
    python -m sklearn_gd benchmark --train /tmp/mix/train.csv.gz --test /tmp/mix/test.csv.gz \\
        --k 16 --seeds 0 --systems tfidf_lr labels_only teacher teacher_vectors gd \\
        --name news_and_sentiment --output-dir benchmarks/results/benchmark_news_and_sentiment
"""

import argparse

from _results import news_and_sentiment, write_labeled_csvs  # benchmarks/_results.py

parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
parser.add_argument("--data-dir", required=True)
parser.add_argument("--out", required=True, help="folder for train.csv.gz and test.csv.gz")
args = parser.parse_args()

write_labeled_csvs(args.out, *news_and_sentiment(args.data_dir))
