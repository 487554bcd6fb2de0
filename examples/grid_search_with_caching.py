"""
Grid search with a cache: tune the distillation without refitting the teacher
=============================================================================

The teacher and the generator are the slow stages of generation-distillation, and they
do not depend on the distillation parameters (``alpha``, ``temperature``) nor on the
student's. With ``memory=`` a folder,
:class:`~sklearn_gd.GenerationDistillationClassifier` caches the fitted teacher and the
generated texts, keyed by the data, the component's parameters and the seed. A
:class:`~sklearn.model_selection.GridSearchCV` over those parameters then fits the teacher
and the generator once per cross-validation fold, not once per candidate: every other
candidate only re-runs the filter, the soft labels and the student, in seconds.

With 3 folds and 8 candidates (24 fits, and a final refit on all the data), the teacher
and the generator are fitted 4 times instead of 25.
"""

# %%
# The data and the cache folder
# -----------------------------
# The cache folder outlives the script: running it again reuses every fitted teacher and
# every set of generated texts. Delete it to start over.
import tempfile
from pathlib import Path

from sklearn.model_selection import GridSearchCV

from sklearn_gd import GenerationDistillationClassifier
from sklearn_gd.datasets import load_dataset

data = load_dataset("ag_news", k=100, seed=0)
cache = Path(tempfile.gettempdir()) / "sklearn_gd_grid_search_cache"

# %%
# The search
# ----------
# A fixed ``random_state`` is what lets the cache hit: each fit draws the same seeds for
# the teacher and the generator, so the same fold gives the same cache key. The grid
# covers the two distillation parameters and one parameter of the default student
# (``student__learning_rate``: nested parameters of the default components work without
# building them first).
clf = GenerationDistillationClassifier(
    n_generated=300, memory=str(cache), random_state=0, verbose=1
)
param_grid = {
    "alpha": [0.5, 0.9],
    "temperature": [1.0, 2.0],
    "student__learning_rate": [3e-3, 1e-2],
}
search = GridSearchCV(clf, param_grid, cv=3, n_jobs=1)
search.fit(data.X_train, data.y_train)

# %%
# In the log above, the teacher and generator stages take minutes in the first three fits
# (the first candidate, on each of the three folds) and seconds in all later ones: they
# are read from the cache. The final refit of the best candidate on all 400 texts
# (``refit=True``) is new data for the cache, so it fits both once more.
#
# The results
# -----------
for params, mean, std in zip(
    search.cv_results_["params"],
    search.cv_results_["mean_test_score"],
    search.cv_results_["std_test_score"],
    strict=True,
):
    print(f"{mean:.3f} +/- {std:.3f}  {params}")
print("best:", search.best_params_)
print(f"test accuracy of the refitted best model: {search.score(data.X_test, data.y_test):.3f}")

# %%
# ``n_jobs=1`` runs the fits one after the other, so that the first candidate fills the
# cache before the others read it; fits run in parallel from the start would each fit the
# teacher and the generator themselves.
