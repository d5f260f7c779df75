"""Fixtures of the recognizer unit tests: the rules folder, and the Dutch spaCy pipeline loaded once
per session for the recognizers that read ordinary words from it (through Presidio's NLP artifacts)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

pytest.register_assert_rewrite("tests.nl.assertions")


@pytest.fixture(scope="session")
def rules_dir() -> Path:
    """The shipped rules folder, as the redactor gets it."""
    from callscribe.pipeline.settings import RULES_DIR

    return RULES_DIR


@pytest.fixture(scope="session")
def nlp():
    """The bundled Dutch spaCy pipeline, loaded once for the session."""
    import spacy

    from callscribe.pipeline.settings import SPACY_MODEL

    return spacy.load(SPACY_MODEL)


@pytest.fixture(scope="session")
def nlp_artifacts(nlp) -> Callable:
    """``nlp_artifacts(text)``: Presidio's NLP artifacts of ``text`` made with the session's pipeline,
    as the analyzer passes them to ``EntityRecognizer.analyze``."""
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    from callscribe.pipeline.settings import SPACY_MODEL

    engine = SpacyNlpEngine(models=[{"lang_code": "nl", "model_name": str(SPACY_MODEL)}])
    engine.nlp = {"nl": nlp}  # the pipeline already loaded, instead of engine.load()

    def make(text: str):
        return engine.process_text(text, "nl")

    return make
