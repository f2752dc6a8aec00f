"""The application's vocabulary: every status, role and kind, each as one choice set in one place.

A code is what the database stores; beside it stand its Vietnamese label, its badge colour (grey, amber, red,
blue, green) and, where a cell is too small for the label, a short label. Everything else (models, rules,
templates, tests) imports the constants from here: a bare "issued" or "KH" elsewhere is a bug that a test finds.
Plain Python: no database, no request.

The vocabulary is kept in a few modules by subject; this package gathers them, so every name is imported as
`from models.choices import ISSUED` and templates read it as `C.ISSUED`.
"""

from __future__ import annotations

from models.choices.base import *  # noqa: F401,F403
from models.choices.office import *  # noqa: F401,F403
from models.choices.services import *  # noqa: F401,F403
from models.choices.work import *  # noqa: F401,F403
