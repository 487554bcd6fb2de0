"""Which int8 quantization to sample with: a quick look at speed and label agreement.

For one labeled sample (default AG News K=16, seed 1), with the defaults' cached teacher
(``--memory``), it finetunes the default generator (the seed the classifier's fit uses)
and samples 384 texts from it in float32, with int8 linear layers of one scale per weight
matrix ("per-tensor"), of one scale per output row ("per-channel"), and per-channel with
the output layer left in float32. For each it prints the sampling time, the samples the
default filter keeps, the share of kept samples that the teacher puts in the class they
were asked for, and their mean length in words. ``generator_int8.py`` then measures the
chosen setting's effect on the student::

    python benchmarks/generator_int8_variants.py --data-dir ../shared/data \\
        --dataset ag_news --k 16 --seed 1 --memory /tmp/gd_cache \\
        > benchmarks/results/generator_int8_variants.log
"""

import copy
import time
import warnings

import numpy as np
import torch
from _results import fitted_defaults, one_sample_study_arguments

from sklearn_gd._classifier import _kept_sources
from sklearn_gd.filtering import filter_generated

warnings.simplefilter("ignore")
args = one_sample_study_arguments(__doc__, dataset="ag_news", k=16, seed=1)
(X, y, _, _), clf = fitted_defaults(args)
_, generator, _, seed = clf._components()
generator.fit(X, y)
base = copy.deepcopy(generator.net_.module_.model).float()
n = 384


def run(name, model):
    generator.net_.module_.model = model
    generator.net_.module_.dtype = torch.float32
    start = time.perf_counter()
    texts, sources = generator.generate(n, random_state=seed, return_sources=True)
    seconds = time.perf_counter() - start
    kept, _ = filter_generated(texts, X, min_words=clf.min_words,
                               max_similarity=clf.max_similarity)
    asked = np.asarray(y)[_kept_sources(texts, sources, kept)]
    agreement = np.mean(clf.teacher_.predict(kept) == asked)
    print(name, round(seconds, 1), len(kept), "agree", round(float(agreement), 3),
          "words", round(float(np.mean([len(t.split()) for t in kept])), 1), flush=True)


q = torch.ao.quantization
run("float32", copy.deepcopy(base))
run("int8 per-tensor", q.quantize_dynamic(copy.deepcopy(base), {torch.nn.Linear},
                                          dtype=torch.qint8))
run("int8 per-channel", q.quantize_dynamic(copy.deepcopy(base),
                                           {torch.nn.Linear: q.per_channel_dynamic_qconfig}))
model = copy.deepcopy(base)
model.model = q.quantize_dynamic(model.model, {torch.nn.Linear: q.per_channel_dynamic_qconfig})
run("int8 per-channel, lm_head float32", model)
