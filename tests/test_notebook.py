"""notebooks/operations_report.ipynb: executed with nbclient on invented data
(notebooks/generate_demo_data.py) in a temporary home, in a kernel of this interpreter registered in a
temporary Jupyter folder (nothing of the user's home is read or written), and committed clean."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from datetime import UTC, datetime

import nbformat
import pytest
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

from tests.conftest import REPO

NOTEBOOK = REPO / "notebooks" / "operations_report.ipynb"
GENERATOR = REPO / "notebooks" / "generate_demo_data.py"
TITLES = ("Gesprekken per dag", "Verzoeken per status en leeftijd", "Coachingdekking", "Verloopt binnen 7 dagen")


def _generator():
    spec = importlib.util.spec_from_file_location("generate_demo_data", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def jupyter_dirs(tmp_path, monkeypatch):
    """A kernel spec "python3" running this interpreter, found first through JUPYTER_PATH; Jupyter's
    and IPython's own folders in the temporary directory too."""
    kernel = tmp_path / "jupyter" / "kernels" / "python3"
    kernel.mkdir(parents=True)
    (kernel / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (callscribe tests)", "language": "python",
    }), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    for variable, folder in (("JUPYTER_DATA_DIR", "data"), ("JUPYTER_CONFIG_DIR", "config"),
                             ("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython")):
        monkeypatch.setenv(variable, str(tmp_path / folder))
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    return tmp_path


def test_the_committed_notebook_has_no_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code, "the notebook has code"
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None, f"clear the outputs of cell {cell.id}"
    assert notebook.metadata.kernelspec.name == "python3"
    assert "CALLSCRIBE_USER" in notebook.cells[0].source, "the notebook says who acts"


def test_the_notebook_runs_on_invented_data(settings, jupyter_dirs, monkeypatch):
    from callscribe.pipeline.storage import catalogue

    generator = _generator()
    engine = catalogue.get_engine(settings.catalogue_url)
    made = generator.generate(engine, settings, datetime.now(UTC), employees=12, days=65, seed=7)
    assert made["expired"] > 0 and made["held"] == 1 and made["erased"] == 2 and made["sessions"] > 0
    with pytest.raises(SystemExit, match="new home"):
        generator.generate(engine, settings)  # never mixes invented data into a catalogue in use
    with engine.connect() as conn:
        numbers = [n for (n,) in conn.exec_driver_sql("SELECT caller_number FROM recordings LIMIT 50")]
    monkeypatch.setenv("CALLSCRIBE_USER", "anna")  # the home fixture allows impersonation, as a demo does

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    kernel = KernelManager(kernel_name="python3")
    assert kernel.kernel_spec.argv[0] == sys.executable, "the temporary kernel spec: this interpreter"
    assert kernel.kernel_spec.resource_dir == str(jupyter_dirs / "jupyter" / "kernels" / "python3")
    client = NotebookClient(notebook, km=kernel, timeout=120, startup_timeout=60,
                            resources={"metadata": {"path": str(jupyter_dirs)}})
    client.execute()
    nbformat.write(notebook, jupyter_dirs / "operations_report.ipynb")  # to look at when this fails

    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    svgs = [o.data["image/svg+xml"] for o in outputs if "image/svg+xml" in o.get("data", {})]
    assert len(svgs) == 4 and all(any(title in svg for svg in svgs) for title in TITLES)
    tables = [o.data["text/html"] for o in outputs if "<table" in o.get("data", {}).get("text/html", "")]
    assert len(tables) >= 8
    text = json.dumps([o for o in outputs])
    for expected in ("inbound", "oldest_request_id", "employee_id", "recordings_expired", "schedule:expire-recordings",
                     "report of", "for anna"):
        assert expected in text
    assert re.search(r"V-\d{4}-\d{4}", text) and re.search(r"MW-\d{3}", text), "ids are shown"
    for personal in (generator.REASON, generator.NOTE, "ontevreden", generator.ERASURE_NUMBER, *numbers):
        assert personal not in text, "no personal data in the notebook's outputs"
