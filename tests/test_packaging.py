"""The wheel: built from this checkout, it holds every module and the data callscribe needs (rules,
the spaCy pipeline, the sample calls), and runs from outside the checkout with paths from the
installed package. (The README's production set-up installs it in a fresh virtual environment and
runs ``callscribe demo`` offline; this test checks the same wheel without downloading anything.)"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.paths import REPO_ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(REPO_ROOT)],
                   check=True, capture_output=True, text=True, cwd=out)
    (found,) = out.glob("callscribe-*.whl")
    return found


def test_the_wheel_holds_every_module_and_the_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder, package in (("pipeline", "callscribe/pipeline"), ("flows", "callscribe/flows"), ("cli", "callscribe/cli"),
                            ("web", "callscribe/web")):
        for path in (REPO_ROOT / folder).rglob("*.py"):
            assert f"{package}/{path.relative_to(REPO_ROOT / folder).as_posix()}" in names, path
    for path in (REPO_ROOT / "redaction_rules").iterdir():
        if path.suffix in (".yaml", ".txt"):
            assert f"callscribe/redaction_rules/{path.name}" in names, path
    for path in (REPO_ROOT / "nlp_models" / "nl_callscribe").rglob("*"):
        if path.is_file():
            assert f"callscribe/nlp_models/{path.relative_to(REPO_ROOT / 'nlp_models').as_posix()}" in names, path
    assert "callscribe/data/samples/calls.csv" in names
    for row in (REPO_ROOT / "data" / "samples" / "calls.csv").read_text(encoding="utf-8").splitlines()[1:]:
        assert f"callscribe/data/samples/{row.rsplit(',', 1)[1]}" in names, row  # every sample call the demo ingests
    entry_points = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "callscribe = callscribe.cli.main:main" in entry_points


def test_the_unpacked_wheel_redacts_from_outside_the_checkout(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = (
        "import callscribe.pipeline, sys\n"
        "from callscribe.pipeline.settings import RULES_DIR, SPACY_MODEL, SAMPLES_DIR\n"
        "from callscribe.pipeline.redaction.engine import get_redactor\n"
        "out = get_redactor(SPACY_MODEL, RULES_DIR, 0.35).redact([('klant', 'Bel me op 06 12 34 56 78.')])\n"
        "print(callscribe.pipeline.__file__, RULES_DIR, SPACY_MODEL, SAMPLES_DIR, sep='\\n')\n"
        "print(out.segments[0].text)\n"
    )
    # -S: no site hooks, so the editable install of this checkout cannot answer the imports; the
    # third-party packages come from this interpreter's site-packages, callscribe from the wheel.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), sysconfig.get_paths()["purelib"],
                                                       sysconfig.get_paths()["platlib"]])}
    result = subprocess.run([sys.executable, "-S", "-c", probe], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    *paths, redacted = result.stdout.strip().splitlines()
    assert all(path.startswith(str(site)) for path in paths), paths
    assert "06 12 34 56 78" not in redacted and "[TELEFOONNUMMER-1]" in redacted
