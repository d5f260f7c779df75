"""The ``callscribe`` command line: parses arguments, calls the library and flows, prints results.

Errors go to stderr with exit code 1 (2 for usage errors). Each command lives in a module of
this package that is imported only when the command runs, so ``callscribe --help`` loads neither
the database layer nor Prefect.
"""

from __future__ import annotations

import importlib

import click

# name → (module:attribute, the one-line help ``callscribe --help`` shows without importing it)
COMMANDS = {
    "ingest": ("callscribe.cli.recordings:ingest",
               'Import the recordings of FOLDER listed in a metadata CSV (all or nothing).'),
    "recordings": ("callscribe.cli.recordings:recordings",
               'List the catalogue: id, call start, employee, state and expiry.'),
    "transcribe": ("callscribe.cli.recordings:transcribe",
               'Run the transcribe_recordings flow over catalogued recordings that an approved request, an approved access request or a coaching pick names (manager, teamleider or ict_backoffice; recorded in the audit log).'),
    "demo": ("callscribe.cli.recordings:demo",
               'Ingest the bundled sample calls and transcribe them end to end, offline.'),
    "transcribe-files": ("callscribe.cli.recordings:transcribe_files",
               'Transcribe audio FILES without the catalogue; redacted unless --no-redact.'),
    "redact-transcripts": ("callscribe.cli.recordings:redact_transcripts",
               'Redact transcripts that are already text: {"id", "segments": [{"speaker", "text"}]} per line.'),
    "model": ("callscribe.cli.recordings:model",
               'Prepare the configured Whisper model (assemble the bundled one) and print where it is.'),
    "retention": ("callscribe.cli.retention:retention_command",
               'Delete recordings past the retention period and everything derived from them.'),
    "keys": ("callscribe.cli.keys:keys",
               'The transcript key: make it, check it (CALLSCRIBE_TRANSCRIPT_KEY_FILE, outside the home).'),
    "audit": ("callscribe.cli.audit:audit",
               'The tamper-evident audit log.'),
    "users": ("callscribe.cli.users:users",
               'Users and their roles (manager, teamleider, ict_backoffice, klachtendesk, coach).'),
    "complaints": ("callscribe.cli.requests:complaints",
               'The complaint registry (klachtendesk, team leaders, managers).'),
    "requests": ("callscribe.cli.requests:requests",
               'Transcript and listen-back requests under four eyes: add, approve or reject, release.'),
    "coaching": ("callscribe.cli.coaching:coaching",
               'Coaching draws, picks and sessions.'),
    "employees": ("callscribe.cli.coaching:employees",
               'Employees (medewerkers) known from the call metadata.'),
    "subjects": ("callscribe.cli.subjects:subjects",
               "Data-subject requests: a caller's access or erasure request, filed, approved by a second person, then carried out."),
    "server": ("callscribe.cli.server:server",
               'Run a persistent Prefect server for this home; commands use it instead of a temporary one.'),
    "worker": ("callscribe.cli.worker:worker",
               "Run callscribe's flows for the Prefect server: registers the deployments (schedules included) and runs each flow run as a process (`callscribe server` starts one beside itself)."),
    "runs": ("callscribe.cli.runs:runs",
               "Recent runs of callscribe's deployments on the Prefect server: id, deployment, state, start, duration, progress."),
    "web": ("callscribe.cli.web:web",
               'Serve the web application (login, pages per role) on the catalogue, with uvicorn.'),
}


class LazyGroup(click.Group):
    """A group whose commands are imported when they run; ``--help`` lists them from
    :data:`COMMANDS` (a test checks those lines against the commands' own help)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, _, attribute = COMMANDS[name][0].partition(":")
        return getattr(importlib.import_module(module), attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, COMMANDS[name][1]) for name in self.list_commands(ctx)])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """callscribe: privacy-safe transcripts of Dutch customer-service calls.

    State lives under CALLSCRIBE_HOME (default ~/.callscribe); see the README for all settings.
    """
    from callscribe.flows import configure_prefect  # reads the settings: not needed for --help

    configure_prefect()  # commands that run a flow import Prefect later, with these defaults


if __name__ == "__main__":  # `python -m callscribe.cli.main`: how `callscribe server` starts its worker
    main()
