"""
Quick start: generation-distillation on AG News
===============================================

Fit :class:`~sklearn_gd.GenerationDistillationClassifier` with its default components (a
MiniLM-L6 teacher, a SmolLM2-135M generator and a bag-of-words student) on 100 labeled AG
News texts per class, score it on the fixed evaluation subset of the test set, and label a
couple of new texts.

Sampling is the slowest stage on a CPU, so this example samples 500 texts instead of the
default 1,000: it takes 5 to 10 minutes on 2 CPU cores.
"""

# %%
# The data
# --------
# :func:`~sklearn_gd.datasets.load_dataset` returns 100 labeled texts per class (400 in
# all, four topics) and the 2,000 evaluation texts of the test set.
from sklearn_gd import GenerationDistillationClassifier
from sklearn_gd.benchmark import n_parameters
from sklearn_gd.datasets import load_dataset

data = load_dataset("ag_news", k=100, seed=0)
print(f"{len(data.X_train)} labeled texts, classes {data.classes}")
print(data.X_train[0])

# %%
# Fit
# ---
# ``verbose=1`` prints one line per stage (teacher, generator, filter, soft-label,
# student) with its time; ``random_state`` makes the fit reproducible.
clf = GenerationDistillationClassifier(n_generated=500, random_state=0, verbose=1)
clf.fit(data.X_train, data.y_train)

# %%
# Score and predict
# -----------------
# ``score`` is the accuracy; ``predict`` returns the labels as they were given in ``y``.
# Both use the kept model alone: by default a student network of about 1.3M parameters.
print(f"test accuracy: {clf.score(data.X_test, data.y_test):.3f}")
print(clf.predict([
    "Stocks rally as oil prices fall for a third day",
    "Striker signs a three-year deal with the champions",
]))
# ``selected_`` says which model predicts: "distilled", or "baseline_average" when the
# guard found that the distilled student did not beat fast baselines on this data.
print(f"kept model: {clf.selected_}, {n_parameters(clf):,} parameters")

# %%
# What the fit did
# ----------------
# The generated texts that passed the filter, what the filter dropped, and the time of
# each stage.
for text in clf.generated_texts_[:5]:
    print("-", text[:120])
print(clf.filter_report_)
print({stage: round(seconds, 1) for stage, seconds in clf.stage_times_.items()})
