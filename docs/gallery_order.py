"""The order of the examples in the gallery (``within_subsection_order`` in conf.py)."""

import os

ORDER = [
    "quickstart.py",
    "ag_news_benchmark.py",
    "custom_components.py",
    "compare_baselines_pipeline.py",
    "grid_search_with_caching.py",
]


class ExampleOrder:
    """Sort key: the examples of ``ORDER`` first, in that order, then any other by name."""

    def __init__(self, src_dir):
        self.src_dir = src_dir

    def __call__(self, filename):
        name = os.path.basename(filename)
        return (ORDER.index(name), "") if name in ORDER else (len(ORDER), name)

    def __repr__(self):
        return f"<{type(self).__name__}>"
