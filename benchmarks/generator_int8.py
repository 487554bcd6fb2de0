"""Samples from int8 weights: what they cost the student, and what they save in time.

On a CPU without native bfloat16 (AVX2 only) the generator samples in float32, and
sampling is most of the default fit's time there. ``CausalLMGenerator(dtype="int8")``
samples with int8 linear layers instead (PyTorch's dynamic quantization, one scale per
output row). For one labeled sample, this fits the defaults' teacher (cached in
``--memory``), finetunes the defaults' generator (the seed the classifier's fit uses) in
float32, and samples 2,000 texts from it in float32 and with int8 linear layers, with the
same sampling seed. Each sample set goes
through the default filter and the teacher's soft labels, and the default student is
distilled from it with seeds 0-2 and scored on validation texts (never the test set).
With ``--draws 2`` or more it also samples, in both precisions, with further sampling
seeds: how much one draw of samples moves the student. It times ``--n-timed`` samples in
both precisions, and appends one row per precision and draw to ``generator_int8.csv``::

    python benchmarks/generator_int8.py --data-dir ../shared/data --dataset sst2 --k 16 \\
        --seed 0 --validation dev --n-timed 128 --draws 2 --memory /tmp/gd_cache
"""

import copy
import time
from pathlib import Path

import numpy as np
import torch
from _results import (
    append_row,
    fitted_defaults,
    one_sample_study_arguments,
    student_accuracies,
    transfer_set,
)

from sklearn_gd import EncoderWordVectors
from sklearn_gd._classifier import _kept_sources
from sklearn_gd.filtering import filter_generated


def add_arguments(parser):
    parser.add_argument("--n-timed", type=int, default=256,
                        help="samples timed in each precision (default: 256)")
    parser.add_argument("--n-generated", type=int, default=2000)
    parser.add_argument("--draws", type=int, default=1,
                        help="sampling seeds per precision (default: 1, the fit's own)")


args = one_sample_study_arguments(__doc__, add_arguments=add_arguments)
# The teacher only: the samples are drawn below, in each precision.
(X, y, X_valid, y_valid), clf = fitted_defaults(args, n_generated=0)
vectors = EncoderWordVectors(clf.teacher_)
teacher_accuracy = float(np.mean(clf.teacher_.predict(X_valid) == y_valid))
_, generator, _, seed = clf._components()  # the generator and seed that fit uses
# Finetuned in float32, as "auto" does on a CPU without native bfloat16.
generator.set_params(dtype="float32").fit(X, y)
float_model = copy.deepcopy(generator.net_.module_.model)
native_bf16 = getattr(torch.cpu, "_is_avx512_bf16_supported", lambda: False)()


def sample(precision, n, draw):
    """Kept samples and their asked labels, as a copy of the fitted defaults; seconds."""
    module = generator.net_.module_
    module.model, module.quantized = copy.deepcopy(float_model), False
    generator.sampling_precision_ = precision
    start = time.perf_counter()
    texts, sources = generator.generate(n, random_state=seed + draw, return_sources=True)
    seconds = time.perf_counter() - start
    kept, _ = filter_generated(texts, X, min_words=clf.min_words,
                               max_similarity=clf.max_similarity)
    fitted = copy.copy(clf)
    fitted.generated_texts_ = kept
    fitted.generated_labels_ = np.asarray(y)[_kept_sources(texts, sources, kept)]
    return fitted, seconds


seconds = {name: sample(precision, args.n_timed, 0)[1]
           for name, precision in [("float32", torch.float32), ("int8", "int8")]}
for draw in range(args.draws):
    for name in ["float32", "int8"]:
        fitted, all_seconds = sample(torch.float32 if name == "float32" else "int8",
                                     args.n_generated, draw)
        transfer, targets = transfer_set(fitted, X, y)
        scores, _ = student_accuracies(transfer, targets, vectors, X_valid, y_valid,
                                       clf.classes_)
        n_kept = len(fitted.generated_texts_)
        teacher_labels = clf.classes_[targets[:n_kept].argmax(1)]
        append_row(Path(args.out) / "generator_int8.csv", {
            "dataset": args.dataset, "k": args.k, "seed": args.seed,
            "validation": args.validation, "precision": name, "draw": draw,
            "valid_accuracy": round(float(np.mean(scores)), 4),
            "std": round(float(np.std(scores)), 4), "student_seeds": len(scores),
            "kept": n_kept,
            "mean_words": round(float(np.mean([len(t.split()) for t in fitted.generated_texts_])),
                                1),
            "label_agreement": round(float(np.mean(teacher_labels == fitted.generated_labels_)),
                                     3),
            "timed_samples": args.n_timed, "timed_seconds": round(seconds[name], 1),
            "samples": args.n_generated, "seconds": round(all_seconds, 1),
            "native_bf16": native_bf16,
            "teacher_valid_accuracy": round(teacher_accuracy, 4)})
