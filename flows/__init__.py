"""Prefect flows over the pipeline library.

Importing this package sets Prefect's defaults for running offline with no server configured:
no analytics, state under the callscribe home folder, a generous start-up time for the temporary
local server, and the pipeline's loggers captured into flow-run logs. Values already in the
environment win.
"""

import os

from callscribe.pipeline.settings import home_from_environment


def _prefect_defaults() -> None:
    home = home_from_environment()
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


_prefect_defaults()
