"""Dutch recognizers written in Python, one recognizer per module (Presidio's country-specific
layout). Each module defines ``recognizers(rules_dir) -> list[EntityRecognizer]`` (word lists are read from
the rules folder); :func:`recognizers`
collects them all, in module-name order. Regular-expression rules that need no code live in
``redaction_rules/*.yaml`` instead.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from presidio_analyzer import EntityRecognizer


def recognizers(rules_dir: Path) -> list[EntityRecognizer]:
    """Every Python recognizer of this package, instantiated for Dutch with the word lists of
    ``rules_dir``."""
    found: list[EntityRecognizer] = []
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module.name.startswith("_"):
            continue
        loaded = importlib.import_module(f"{__name__}.{module.name}")
        make = getattr(loaded, "recognizers", None)
        if make is not None:
            found.extend(make(rules_dir))
    return found
