"""The recordings catalogue in a real SQLite database: ingest validation, idempotence, listing."""

import errno
import shutil
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from callscribe.pipeline.errors import IngestError, RecordingNotFoundError, StoreError
from callscribe.pipeline.storage import catalogue
from tests.audio_files import tone, write_wav
from tests.conftest import SAMPLES

pytestmark = pytest.mark.both_databases  # catalogue tests run on SQLite and PostgreSQL

HEADER = "call_id,call_start,employee_id,caller_number,direction,file\n"


@pytest.fixture
def engine(settings):
    return catalogue.get_engine(settings.catalogue_url)


@pytest.fixture
def folder(tmp_path):
    """A copy of two sample recordings to build metadata CSVs around."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "call-001.wav", folder / "a.wav")
    shutil.copy(SAMPLES / "call-004.ogg", folder / "b.ogg")
    return folder


def write_csv(folder, rows: list[str], header: str = HEADER):
    path = folder / "calls.csv"
    path.write_text(header + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


GOOD = [
    "C-1,2026-11-24T09:14:03+01:00,MW-1,+31612345678,inbound,a.wav",
    "C-2,2026-07-01T23:30:00+02:00,MW-2,020 123 4567,outbound,b.ogg",
]


def test_ingest_copies_audio_into_the_store_and_records_the_metadata(engine, folder, settings):
    result = catalogue.ingest(engine, folder, write_csv(folder, GOOD), settings.audio_dir)
    assert (result.added, result.unchanged) == (2, 0)
    rec = catalogue.get_recording(engine, "C-2")
    assert rec.call_start == datetime(2026, 7, 1, 21, 30, tzinfo=UTC)
    assert rec.call_start.tzinfo is not None
    assert (rec.employee_id, rec.caller_number, rec.direction) == ("MW-2", "020 123 4567", "outbound")
    assert rec.channel_layout == "stereo" and 25 < rec.duration < 40
    assert rec.state == "ingested" and len(rec.sha256) == 64
    assert (settings.home / rec.audio_path).read_bytes() == (folder / "b.ogg").read_bytes()
    assert [r.call_id for r in catalogue.list_recordings(engine)] == ["C-2", "C-1"]


def test_reingesting_the_same_files_is_a_no_op(engine, folder, settings):
    csv_path = write_csv(folder, GOOD)
    catalogue.ingest(engine, folder, csv_path, settings.audio_dir)
    catalogue.set_state(engine, "C-1", "transcribed")
    result = catalogue.ingest(engine, folder, csv_path, settings.audio_dir)
    assert (result.added, result.unchanged) == (0, 2)
    assert catalogue.get_recording(engine, "C-1").state == "transcribed"


@pytest.mark.parametrize(
    "rows, header, expected",
    [
        (GOOD, HEADER.replace("direction", "richting"), ["unknown column 'richting'", "missing column 'direction'"]),
        ([GOOD[0], "C-2,24-11-2026 09:14,MW-2,0612345678,inbound,b.ogg"], HEADER, ["row 3: call_start is not an ISO 8601"]),
        ([GOOD[0], "C-2,2026-11-24T09:14:03,MW-2,0612345678,inbound,b.ogg"], HEADER, ["row 3: call_start has no UTC offset"]),
        ([GOOD[0], "C-2,2026-11-24T09:14:03+01:00,MW-2,0612345678,inbound,gone.wav"], HEADER, ["row 3: file gone.wav not found"]),
        ([GOOD[0], GOOD[0].replace("C-1", "C-9")], HEADER, ["row 3: file a.wav is also listed in row 2"]),
        ([GOOD[0], GOOD[1].replace("C-2", "C-1")], HEADER, ["row 3: duplicate call_id C-1"]),
        ([GOOD[0], GOOD[1].replace("outbound", "sideways").replace("020 123 4567", "onbekend")], HEADER,
         ["row 3: caller_number is not a phone number", "row 3: direction must be one of inbound, outbound"]),
    ],
    ids=["header", "bad-timestamp", "naive-timestamp", "missing-file", "duplicate-file", "duplicate-id", "two-problems"],
)
def test_bad_rows_are_listed_and_nothing_is_imported(engine, folder, settings, rows, header, expected):
    with pytest.raises(IngestError) as info:
        catalogue.ingest(engine, folder, write_csv(folder, rows, header), settings.audio_dir)
    message = str(info.value)
    for fragment in expected:
        assert fragment in message
    assert "nothing was imported" in message
    assert list(catalogue.list_recordings(engine)) == []
    assert not settings.audio_dir.exists() or not any(settings.audio_dir.iterdir())


def test_error_messages_do_not_echo_phone_numbers(engine, folder, settings):
    rows = [GOOD[0].replace("+31612345678", "06-1234-ABCD")]
    with pytest.raises(IngestError) as info:
        catalogue.ingest(engine, folder, write_csv(folder, rows), settings.audio_dir)
    assert "1234" not in str(info.value)


def test_same_call_id_with_other_audio_is_refused(engine, folder, settings):
    catalogue.ingest(engine, folder, write_csv(folder, GOOD[:1]), settings.audio_dir)
    shutil.copy(SAMPLES / "call-002.flac", folder / "c.flac")
    with pytest.raises(IngestError, match="already in the catalogue with different audio"):
        catalogue.ingest(engine, folder, write_csv(folder, [GOOD[0].replace("a.wav", "c.flac")]), settings.audio_dir)


def test_unknown_recording_id_is_named_without_a_command(engine):
    with pytest.raises(RecordingNotFoundError, match="NOPE is not in the catalogue") as missing:
        catalogue.get_recording(engine, "NOPE")
    assert "callscribe" not in str(missing.value), "the library names no command; the CLI adds its hint"


@pytest.mark.parametrize("call_start", ["9999-12-31T23:59:59+01:00", "1999-12-31T23:00:00+00:00", "2099-01-01T00:00:00+01:00"])
def test_a_call_start_outside_sane_bounds_is_refused_at_ingest(engine, folder, settings, call_start):
    """The fault: `call_start 9999-12-31…` was accepted and later crashed `recordings` and retention."""
    csv_path = write_csv(folder, [GOOD[0].replace("2026-11-24T09:14:03+01:00", call_start)])
    assert call_start in csv_path.read_text(encoding="utf-8")
    with pytest.raises(IngestError, match="outside 2000-01-01 .. tomorrow") as refused:
        catalogue.ingest(engine, folder, csv_path, settings.audio_dir)
    assert "+316" not in str(refused.value), "no phone number in the message"
    assert list(catalogue.list_recordings(engine)) == []


def test_a_recording_left_processing_by_a_dead_run_is_taken_up_after_its_lease(engine, folder, settings):
    """The fault: `kill -9` during `transcribe` left the recording `processing` forever and
    `--pending` skipped it. Now a claim lapses after its lease; a live claim keeps other runs out."""
    catalogue.ingest(engine, folder, write_csv(folder, GOOD[:1]), settings.audio_dir)
    killed_at = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    catalogue.claim(engine, "C-1", now=killed_at)  # the run that was killed
    assert catalogue.needs_transcribing(engine, now=killed_at + timedelta(minutes=5)) == []
    with pytest.raises(StoreError, match="another run is transcribing it"):
        catalogue.claim(engine, "C-1", now=killed_at + timedelta(minutes=5))
    later = killed_at + catalogue.DEFAULT_LEASE + timedelta(minutes=1)
    assert catalogue.needs_transcribing(engine, now=later) == ["C-1"]
    catalogue.claim(engine, "C-1", now=later)  # taken over
    assert catalogue.get_recording(engine, "C-1").state == "processing"


def test_an_older_catalogue_gets_the_claim_column(engine):
    with engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE recordings DROP COLUMN claimed_at"))
    url = engine.url.render_as_string(hide_password=False)
    catalogue.get_engine.__wrapped__(url).dispose()  # opened again, as a newer callscribe opens it
    assert "claimed_at" in {c["name"] for c in sa.inspect(engine).get_columns("recordings")}


def test_two_ingests_of_one_csv_at_once_keep_the_audio_and_one_row(engine, folder, settings, monkeypatch):
    """The fault: two `ingest` runs of the same CSV at once; the losing run deleted the winner's
    stored audio and its traceback printed the caller's number. Both runs here pass the "known"
    check, copy the audio and meet at a barrier before inserting, so they always race."""
    import threading

    csv_path = write_csv(folder, GOOD[:1])
    barrier = threading.Barrier(2, timeout=30)
    probe = catalogue._probe_or_none

    def probe_then_meet(path):
        info = probe(path)
        barrier.wait()
        return info

    monkeypatch.setattr(catalogue, "_probe_or_none", probe_then_meet)
    outcomes = []

    def run():
        try:
            outcomes.append(catalogue.ingest(engine, folder, csv_path, settings.audio_dir))
        except Exception as err:  # noqa: BLE001 - collected and checked below
            outcomes.append(err)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(o, catalogue.IngestResult) for o in outcomes), [str(o) for o in outcomes]
    assert sorted(o.added for o in outcomes) == [0, 1]
    recording = catalogue.get_recording(engine, "C-1")
    assert catalogue.verified_audio(settings.home, recording).is_file(), "the winner's audio is still there"
    assert [p.name for p in settings.audio_dir.iterdir()] == ["C-1.wav"], "the loser removed its temporary copy"


def refused(engine, folder, settings, rows, header=HEADER) -> str:
    """Ingest ``rows``, expect the refusal, check nothing was imported; the message."""
    with pytest.raises(IngestError) as info:
        catalogue.ingest(engine, folder, write_csv(folder, rows, header), settings.audio_dir)
    assert "nothing was imported" in str(info.value)
    assert list(catalogue.list_recordings(engine)) == []
    assert not settings.audio_dir.exists() or not any(settings.audio_dir.iterdir())
    return str(info.value)


def test_a_link_in_the_folder_to_a_file_outside_it_is_refused(engine, folder, settings):
    outside = folder.parent / "elsewhere.wav"
    shutil.copy(folder / "a.wav", outside)
    (folder / "link.wav").symlink_to(outside)
    message = refused(engine, folder, settings, [GOOD[0].replace("a.wav", "link.wav")])
    assert f"row 2: file link.wav is outside {folder}; list files relative to the folder" in message


def test_a_link_in_the_folder_to_a_file_inside_it_is_taken(engine, folder, settings):
    (folder / "sub").mkdir()
    (folder / "a.wav").rename(folder / "sub" / "a.wav")
    (folder / "a.wav").symlink_to(folder / "sub" / "a.wav")
    assert catalogue.ingest(engine, folder, write_csv(folder, GOOD), settings.audio_dir).added == 2


@pytest.mark.parametrize("duration", ["-1", "-0.5", "86401", "1e400", "lang"])
def test_a_duration_outside_zero_to_a_day_is_refused(engine, folder, settings, duration):
    with_duration = HEADER.replace("file\n", "file,duration_s\n")
    message = refused(engine, folder, settings, [GOOD[0] + f",{duration}"], with_duration)
    assert "row 2: duration_s must be a number of seconds from 0 to 86400 (a day); leave it empty" in message


def test_a_duration_in_the_csv_is_kept(engine, folder, settings):
    csv_path = write_csv(folder, [GOOD[0] + ",12.5"], HEADER.replace("file\n", "file,duration_s\n"))
    catalogue.ingest(engine, folder, csv_path, settings.audio_dir)
    assert catalogue.get_recording(engine, "C-1").duration == 12.5


def _cut(sample: str, folder, name: str) -> None:
    data = (SAMPLES / sample).read_bytes()
    (folder / name).write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize("make, expected", [
    (lambda folder: _cut("call-001.wav", folder, "x.wav"), "is cut short: 454404 bytes fewer than its header states"),
    (lambda folder: _cut("call-003.mp3", folder, "x.mp3"), "is cut short: its audio ends at 19 s of the 38 s"),
    (lambda folder: write_wav(folder / "x.wav", [tone(1.0)] * 3), "has 3 audio channels; callscribe takes mono"),
], ids=["wav-cut-short", "mp3-cut-short", "three-channels"])
def test_audio_that_would_fail_at_transcription_is_refused_at_ingest(engine, folder, settings, make, expected):
    make(folder)
    name = next(p.name for p in folder.iterdir() if p.stem == "x")
    message = refused(engine, folder, settings, [GOOD[0].replace("a.wav", name)])
    assert f"row 2: file {name} {expected}" in message


def test_a_file_named_after_the_caller_is_not_named_in_the_message(engine, folder, settings):
    message = refused(engine, folder, settings, [GOOD[0].replace("a.wav", "0612345678_2026.wav")])
    assert "row 2: file …_2026.wav not found" in message and "612345678" not in message


def test_a_metadata_csv_that_is_not_utf8_is_named_by_its_line(engine, folder, settings):
    csv_path = folder / "calls.csv"
    latin1 = "C-2,2026-07-01T23:30:00+02:00,MW-Ö,020 123 4567,outbound,b.ogg\n".encode("latin-1")
    csv_path.write_bytes((HEADER + GOOD[0] + "\n").encode() + latin1)
    with pytest.raises(IngestError, match="line 3 is not UTF-8 text; save the CSV as UTF-8"):
        catalogue.ingest(engine, folder, csv_path, settings.audio_dir)


def test_reingesting_leaves_stored_audio_that_differs_alone(engine, folder, settings):
    """A row whose stored audio is present but changed is not overwritten: transcription still
    refuses it (the sha256 check); removing the file and ingesting again restores it."""
    csv_path = write_csv(folder, GOOD)
    catalogue.ingest(engine, folder, csv_path, settings.audio_dir)
    recording = catalogue.get_recording(engine, "C-1")
    stored = settings.home / recording.audio_path
    stored.write_bytes(b"changed")
    result = catalogue.ingest(engine, folder, csv_path, settings.audio_dir)
    assert (result.added, result.unchanged) == (0, 2) and stored.read_bytes() == b"changed"
    with pytest.raises(StoreError, match="changed since ingest"):
        catalogue.verified_audio(settings.home, recording)
    stored.unlink()
    catalogue.ingest(engine, folder, csv_path, settings.audio_dir)
    assert catalogue.verified_audio(settings.home, recording) == stored


def test_reingesting_gives_no_audio_back_to_a_recording_being_deleted(engine, folder, settings):
    csv_path = write_csv(folder, GOOD)
    catalogue.ingest(engine, folder, csv_path, settings.audio_dir)
    catalogue.mark_expiring(engine, ["C-1"])
    stored = settings.home / catalogue.get_recording(engine, "C-1").audio_path
    stored.unlink()  # retention deleted the file and has yet to write the tombstone
    assert catalogue.ingest(engine, folder, csv_path, settings.audio_dir).added == 0
    assert not stored.exists()


def test_a_stray_file_with_other_audio_where_a_recording_goes_is_never_replaced(engine, folder, settings):
    """A file no recording owns (left by an interrupted run) is kept; the run refuses and removes
    only what it created (the first row's audio, its temporary copies)."""
    settings.audio_dir.mkdir(parents=True)
    stray = settings.audio_dir / "C-2.ogg"
    stray.write_bytes(b"not ours")
    with pytest.raises(IngestError, match="row 3: audio/C-2.ogg in the store is not this row's audio") as info:
        catalogue.ingest(engine, folder, write_csv(folder, GOOD), settings.audio_dir)
    assert "nothing was imported" in str(info.value)
    assert list(catalogue.list_recordings(engine)) == []
    assert [p.name for p in settings.audio_dir.iterdir()] == ["C-2.ogg"] and stray.read_bytes() == b"not ours"


def test_a_stray_file_with_the_same_audio_becomes_the_recording_s(engine, folder, settings):
    settings.audio_dir.mkdir(parents=True)
    shutil.copy(folder / "a.wav", settings.audio_dir / "C-1.wav")
    assert catalogue.ingest(engine, folder, write_csv(folder, GOOD), settings.audio_dir).added == 2
    assert catalogue.verified_audio(settings.home, catalogue.get_recording(engine, "C-1")).is_file()
    assert sorted(p.name for p in settings.audio_dir.iterdir()) == ["C-1.wav", "C-2.ogg"]


def test_a_store_without_hard_links_gets_an_exclusive_copy(engine, folder, settings, monkeypatch):
    def no_links(source, target):
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(catalogue.os, "link", no_links)
    assert catalogue.ingest(engine, folder, write_csv(folder, GOOD), settings.audio_dir).added == 2
    assert catalogue.verified_audio(settings.home, catalogue.get_recording(engine, "C-2")).is_file()
    assert sorted(p.name for p in settings.audio_dir.iterdir()) == ["C-1.wav", "C-2.ogg"]
