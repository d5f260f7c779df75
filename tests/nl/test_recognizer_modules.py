"""Every recognizer module of :mod:`callscribe.pipeline.redaction.nl` has its unit-test module here."""

import importlib
import pkgutil
from pathlib import Path

from callscribe.pipeline.redaction import nl

HERE = Path(__file__).parent


def recognizer_modules() -> list[str]:
    """The modules :func:`callscribe.pipeline.redaction.nl.recognizers` collects recognizers from."""
    names = []
    for module in pkgutil.iter_modules(nl.__path__):
        if not module.name.startswith("_") and hasattr(importlib.import_module(f"{nl.__name__}.{module.name}"),
                                                        "recognizers"):
            names.append(module.name)
    return sorted(names)


def test_every_recognizer_module_has_a_test_module():
    modules = recognizer_modules()
    assert modules, "no recognizer modules found"
    assert [name for name in modules if not (HERE / f"test_{name}.py").is_file()] == []


def test_each_recognizer_module_makes_one_recognizer(rules_dir):
    """The test modules take each module's one recognizer; a second one would go untested."""
    made = {name: len(importlib.import_module(f"{nl.__name__}.{name}").recognizers(rules_dir))
            for name in recognizer_modules()}
    assert made == {name: 1 for name in made}
