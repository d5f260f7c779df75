"""Prefect flows over the callscribe library.

Importing this package changes nothing; an entry point (the ``callscribe`` command, ``python -m
callscribe.flows.serve``, the tests) calls :func:`configure_prefect` before it imports Prefect.
"""

import os

from callscribe.flows.persistent import running_server_url
from callscribe.pipeline.settings import home_from_environment


def configure_prefect() -> None:
    """Set Prefect's defaults for running offline with no server configured: no analytics, state
    under the callscribe home folder, a generous start-up time for the temporary local server, and
    callscribe's loggers captured into flow-run logs. Values already in the environment win.

    When ``callscribe server`` runs for this home (and no ``PREFECT_API_URL`` is set), Prefect
    uses it instead of starting a temporary server.

    Call it before the first import of ``prefect`` (Prefect reads some settings at import)."""
    home = home_from_environment()
    if "PREFECT_API_URL" not in os.environ:
        url = running_server_url(home)
        if url is not None:
            os.environ["PREFECT_API_URL"] = url
    defaults = {
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_HOME": str(home / "prefect"),
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
        "PREFECT_LOGGING_EXTRA_LOGGERS": "callscribe",
        # the CLI also calls the library outside flow runs; those log lines stay local
        "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
        "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "false",
        "PREFECT_UI_ENABLED": "false",
    }
    for name, value in defaults.items():
        os.environ.setdefault(name, value)

