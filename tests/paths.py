"""Where the checkout and the shared evaluation data lie, for tests that read files beside the package."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_EVAL = REPO_ROOT.parent / "shared" / "eval"
