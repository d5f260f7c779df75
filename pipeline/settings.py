"""All configuration in one settings object, read from ``CALLSCRIBE_*`` environment variables.

Create it on demand with :func:`get_settings`; nothing is read at import time.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import os
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from callscribe.pipeline.types import DUTCH_TAGS, RedactionOptions

DEFAULT_HOME = Path("~/.callscribe")


def package_folder(name: str) -> Path:
    """The folder of one of callscribe's data packages ("redaction_rules", "nlp_models", "data"):
    the checkout's folder in an editable install, the installed copy from a wheel."""
    spec = importlib.util.find_spec(f"callscribe.{name}")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"callscribe.{name} is not installed: reinstall callscribe (pip install callscribe)")
    return Path(next(iter(spec.submodule_search_locations)))


RULES_DIR = package_folder("redaction_rules")
SPACY_MODEL = package_folder("nlp_models") / "nl_callscribe"
SAMPLES_DIR = package_folder("data") / "samples"


def available_cores() -> int:
    """The cores this process may run on (its affinity, e.g. a container's CPU set)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # no affinity on this platform
        return os.cpu_count() or 1


def default_key_file() -> Path:
    """Where the transcript key file is looked for by default: the user's configuration folder,
    outside any callscribe home."""
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path("~/.config").expanduser())
    return Path(config) / "callscribe" / "transcript.key"


class Settings(BaseSettings):
    """callscribe settings. Every field can be set as ``CALLSCRIBE_<FIELD>`` (upper case)."""

    model_config = SettingsConfigDict(env_prefix="CALLSCRIBE_", extra="ignore")

    home: Path = Field(DEFAULT_HOME, description="Folder holding all runtime state.")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL of the catalogue; default SQLite file in the home folder."
    )

    whisper_model: str = Field(
        "base",
        description="'base' (bundled, offline), another faster-whisper name (tiny … large-v3, "
        "large-v3-turbo; fetched when the network allows) or a local CTranslate2 folder.",
    )
    compute_type: str = "int8"
    cpu_threads: int = Field(
        1, ge=0,
        description="Threads per Whisper worker (0: CTranslate2's own default). Default 1, with as many "
        "recordings at a time as cores: on 2 cores two recordings with one thread each went 2.3x as fast "
        "as one with two threads, text unchanged (benchmarks/fanout.py).",
    )
    device: str = "cpu"
    beam_size: int = Field(5, ge=1, le=20)
    language: str = "nl"
    vad_threshold: float = Field(0.5, gt=0, lt=1, description="Silero VAD speech threshold (faster-whisper's default).")
    vad_threshold_narrowband: float = Field(
        0.2, gt=0, lt=1,
        description="Silero VAD speech threshold on narrow-band audio (8 kHz telephone recordings, or almost no "
        "energy above 4.5 kHz); on G.711 calls 0.5 dropped 4.6 % of the speech, 0.35 1.8 %, 0.2 0.3 % "
        "(benchmarks/results/telephone.md).",
    )
    max_duration_s: float = Field(3 * 3600.0, gt=0, description="Longer recordings are refused.")
    channel_speakers: Annotated[tuple[str, str], NoDecode] = Field(
        ("medewerker", "klant"), description="Speaker of the left and right channel of stereo calls."
    )
    mono_speaker: str = "onbekend"

    spacy_model: Path = Field(
        SPACY_MODEL,
        description="Path of the Dutch spaCy pipeline directory used by Presidio.",
    )
    rules_dir: Path = Field(RULES_DIR, description="Folder of recognizer YAML files.")
    score_threshold: float = Field(0.35, ge=0, le=1)
    review_threshold: float = Field(
        0.5, ge=0, le=1, description="Redacted spans scoring below this are flagged for human review."
    )
    operator: Literal["tag", "mask", "hash"] = Field("tag", description="How a found span is replaced.")
    operators: Annotated[dict[str, Literal["tag", "mask", "hash"]], NoDecode] = Field(
        default_factory=dict, description="Per-type operators, e.g. 'PHONE_NUMBER=mask,PERSON=hash'."
    )
    hash_secret: str | None = Field(None, repr=False, description="Per-deployment secret of the hash operator.")
    transcript_key: str | None = Field(
        None, repr=False,
        description="Fernet key (urlsafe base64, 32 bytes) encrypting unredacted transcripts at "
        "rest, e.g. from a secret store; when unset, the key file is read.",
    )
    transcript_key_file: Path = Field(
        default_factory=default_key_file,
        description="File holding the transcript key, outside the home (checked: owner-only, not "
        "inside CALLSCRIBE_HOME); default $XDG_CONFIG_HOME/callscribe/transcript.key.",
    )

    retention_days: int = Field(62, ge=1)
    retention_timezone: str = "Europe/Amsterdam"
    max_parallel: int = Field(
        0, ge=0, le=32,
        description="Recordings processed at the same time; 0 (default): as many as the cores hold at cpu_threads "
        "each, so Whisper threads never outnumber the cores.",
    )
    dask_address: str | None = Field(
        None, description="Scheduler of a Dask cluster (tcp://host:8786) whose worker processes transcribe "
        "the recordings, one Whisper model each; they must see this home at the same path (checked at the start).",
    )
    dask_workers: int = Field(
        0, ge=0, le=64,
        description="Without dask_address: more than 1 runs the transcriptions on a local Dask cluster of this "
        "many worker processes; 0 or 1 (default): threads in the flow's own process.",
    )

    identity: Literal["os", "env"] = Field(
        "os", description="Where the acting user comes from: 'os' the operating-system login; 'env' "
        "CALLSCRIBE_USER, for a deployment that sets it where its users cannot change it."
    )
    simulated_clock: bool = Field(
        False, description="Allow a deleting retention run at a moment other than now (tests only)."
    )
    impersonation: bool = Field(
        False, description="Allow --as to name another user than the acting one (tests and support only)."
    )
    reason_min_length: int = Field(
        30, ge=1, description="Characters a written reason needs at least (requests, rejections)."
    )
    listen_copy_hours: float = Field(
        48.0, gt=0, description="Hours an approved listen-back copy of the audio stays in the outbox."
    )
    outbox_days: int = Field(
        14, ge=1, description="Days a released transcript or export stays in the outbox (never past the "
        "recording's own expiry)."
    )
    policy_secret: str | None = Field(
        None, repr=False,
        description="Deployment secret keying the coaching draw (and other keyed choices); default: a "
        "key file created in <home>/keys.",
    )
    coaching_min_duration_s: float = Field(
        60.0, ge=0, description="Calls shorter than this are not drawn for coaching."
    )
    coaching_exclude_failed: bool = Field(
        True, description="Leave recordings whose transcription failed out of the coaching draw."
    )
    coaching_show_employee_name: bool = Field(
        True, description="Keep the employee's own name visible in coaching transcripts."
    )

    web_secret: str | None = Field(
        None, repr=False,
        description="Secret signing the web application's session cookies (at least 32 characters); "
        "default: a key file created in <home>/keys.",
    )
    web_idle_minutes: float = Field(15.0, gt=0, description="A web session ends after this long without a request.")
    web_absolute_hours: float = Field(10.0, gt=0, description="A web session ends this long after login, however busy.")
    web_login_failures: int = Field(
        5, ge=1, description="Failed logins of one login name within the window that lock it (an address: 4 times as many)."
    )
    web_login_window_minutes: float = Field(15.0, gt=0, description="The window in which failed logins are counted.")
    web_lockout_minutes: float = Field(15.0, gt=0, description="How long a locked login name or address is refused.")
    web_secure_cookies: Literal["auto", "always"] = Field(
        "auto", description="'auto': cookies are Secure when the request came over https (directly or, from a "
        "trusted proxy, X-Forwarded-Proto); 'always': always Secure."
    )
    web_trusted_user_header: str | None = Field(
        None, description="Header naming the logged-in user, set by an SSO reverse proxy (e.g. X-Remote-User); "
        "off when unset, honoured only from CALLSCRIBE_WEB_TRUSTED_PROXIES."
    )
    web_trusted_proxies: Annotated[tuple[str, ...], NoDecode] = Field(
        (), description="Addresses or networks of reverse proxies whose X-Forwarded-For/-Proto (and the user "
        "header) are believed, comma-separated, e.g. '127.0.0.1,::1'; none by default."
    )

    @field_validator("home", "spacy_model", "rules_dir", "transcript_key_file", mode="after")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()

    @field_validator("max_parallel", mode="after")
    @classmethod
    def _parallel_for_the_cores(cls, value: int, info) -> int:
        if value:
            return value
        threads = info.data.get("cpu_threads") or 1
        return max(1, min(32, available_cores() // threads))

    @field_validator("dask_address", mode="after")
    @classmethod
    def _scheduler_address(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"(tcp|tls)://[^\s/]+:[0-9]+", value):
            raise ValueError("give the Dask scheduler's address as tcp://HOST:PORT (or tls://HOST:PORT)")
        return value

    @field_validator("channel_speakers", mode="before")
    @classmethod
    def _split_speakers(cls, value):
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",")]
            if len(parts) != 2 or not all(parts):
                raise ValueError("give two speaker names separated by a comma, e.g. 'medewerker,klant'")
            return tuple(parts)
        return value

    @field_validator("web_trusted_proxies", mode="before")
    @classmethod
    def _split_proxies(cls, value):
        if isinstance(value, str):
            value = tuple(p.strip() for p in value.split(",") if p.strip())
        for proxy in value:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError as err:
                raise ValueError(f"{proxy!r} is not an address or network: write e.g. '127.0.0.1,::1,10.0.0.0/24'") \
                    from err
        return tuple(value)

    @field_validator("web_secret", mode="after")
    @classmethod
    def _long_secret(cls, value: str | None) -> str | None:
        if value is not None and len(value) < 32:
            raise ValueError("use a random string of at least 32 characters, e.g. "
                             "`python -c 'import secrets; print(secrets.token_hex(32))'`")
        return value

    @field_validator("operators", mode="before")
    @classmethod
    def _split_operators(cls, value):
        if isinstance(value, str):
            pairs = [p.strip() for p in value.split(",") if p.strip()]
            parsed = {}
            for pair in pairs:
                kind, sep, operator = pair.partition("=")
                if not sep:
                    raise ValueError(f"{pair!r}: write TYPE=OPERATOR pairs, e.g. 'PHONE_NUMBER=mask,PERSON=hash'")
                parsed[kind.strip().upper()] = operator.strip()
            return parsed
        return value

    @field_validator("operators", mode="after")
    @classmethod
    def _known_types(cls, value: dict) -> dict:
        unknown = sorted(set(value) - set(DUTCH_TAGS))
        if unknown:
            raise ValueError(f"unknown entity type(s) {', '.join(unknown)}; valid: {', '.join(DUTCH_TAGS)}")
        return value

    def redaction_options(self) -> RedactionOptions:
        """The anonymisation part of the settings, as the redactor takes it."""
        return RedactionOptions(
            default_operator=self.operator,
            operators=tuple(sorted(self.operators.items())),
            hash_secret=self.hash_secret,
            review_threshold=self.review_threshold,
        )

    @property
    def on_dask(self) -> bool:
        """Whether the flow's transcriptions run on a Dask cluster (an address, or a local one of
        more than one worker process) rather than on threads in the flow's process."""
        return bool(self.dask_address) or self.dask_workers > 1

    @property
    def catalogue_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'catalogue.sqlite'}"

    @property
    def audio_dir(self) -> Path:
        return self.home / "audio"

    @property
    def transcripts_dir(self) -> Path:
        return self.home / "transcripts"

    @property
    def models_dir(self) -> Path:
        return self.home / "models"

    @property
    def keys_dir(self) -> Path:
        return self.home / "keys"

    @property
    def outbox_dir(self) -> Path:
        return self.home / "outbox"


def get_settings(**overrides) -> Settings:
    """Read the settings from the environment, with keyword overrides on top."""
    return Settings(**overrides)


def home_from_environment() -> Path:
    """The home folder as the environment sets it, without validating the other settings."""
    return Path(os.environ.get("CALLSCRIBE_HOME", str(DEFAULT_HOME))).expanduser()
