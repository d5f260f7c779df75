"""The golden cases of ``tests/golden/nl_<kind>.json``: our own invented sentences, each run
through the whole redactor as written and as a speech recogniser writes it (lower case, no
sentence punctuation: ``benchmarks/asr_style.py``).

A case holds ``text`` (the customer's turn), optionally ``before`` (the agent's turn before it),
``hidden`` (values that must not stay visible), ``visible`` (look-alikes that must stay) and
``types`` (entity types that must be among the results of the written form).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from tests.paths import REPO_ROOT

GOLDEN_DIR = Path(__file__).parent / "golden"
FORMS = ("written", "asr")

_spec = importlib.util.spec_from_file_location("asr_style", REPO_ROOT / "benchmarks" / "asr_style.py")
_asr_style = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_asr_style)


def asr(text: str) -> str:
    """``text`` lower case and without sentence punctuation, as in the benchmark's ``-asr`` sets."""
    return _asr_style.asr_text(text)[0]


def cases(kinds: tuple[str, ...]) -> list:
    """One pytest parameter ``(case, form)`` per golden case of each kind and per form."""
    return [
        pytest.param(case, form, id=f"{kind}-{form}:{case['text'][:40]}")
        for kind in kinds
        for case in json.loads((GOLDEN_DIR / f"nl_{kind}.json").read_text(encoding="utf-8"))["cases"]
        for form in FORMS
    ]


def check(redactor, case: dict, form: str) -> None:
    """Redact the case in the given form and assert what it promises."""
    shape = asr if form == "asr" else (lambda value: value)
    segments = [("medewerker", shape(case["before"]))] if "before" in case else []
    segments.append(("klant", shape(case["text"])))
    out = redactor.redact(segments).segments[-1]
    for value in case["hidden"]:
        assert shape(value) not in out.text, f"{shape(value)!r} left visible: {out.text!r}"
    for value in case["visible"]:
        assert shape(value) in out.text, f"{shape(value)!r} redacted but is not personal data: {out.text!r}"
    if form == "written":  # in lower case a value may be hidden under another type (NUMMER for a year)
        assert set(case["types"]) <= {e.type for e in out.entities}, f"types {case['types']} not all found"
