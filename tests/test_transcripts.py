"""The transcript folder: its one layout, and the readable transcript's local call date."""

import json
from datetime import UTC, datetime

from callscribe.pipeline.storage import transcripts
from callscribe.pipeline.types import (
    ModelInfo,
    RedactedSegment,
    RedactedTranscript,
    Segment,
    Transcript,
    TranscriptionOptions,
)

TRANSCRIPT = Transcript(
    segments=(Segment("klant", 0.0, 2.0, "Goedemorgen."),), duration=2.0, channel_layout="mono", speakers=("klant",),
    model=ModelInfo("base", "-", "cpu", "int8", 2), options=TranscriptionOptions(),
)
REDACTED = RedactedTranscript(segments=(RedactedSegment("klant", "Goedemorgen.", (), 0.0, 2.0),))


def test_a_call_just_after_midnight_in_amsterdam_carries_its_local_date(tmp_path):
    just_after_midnight = datetime(2026, 2, 28, 23, 30, tzinfo=UTC)  # 1 March, 00:30 in Amsterdam
    folder = transcripts.TranscriptFolder.of(tmp_path, "TBI-1")
    folder.path.mkdir()
    transcripts.write_redacted(folder.path, "TBI-1", just_after_midnight, TRANSCRIPT, REDACTED, "quality",
                               "Europe/Amsterdam")
    assert "Datum: 2026-03-01" in folder.text.read_text(encoding="utf-8")
    assert json.loads(folder.redacted.read_text(encoding="utf-8"))["call_date"] == "2026-03-01"
    assert "Datum: 2026-02-28" in transcripts.render_markdown("TBI-1", just_after_midnight, REDACTED, "UTC")


def test_the_folder_names_every_file_retention_deletes(tmp_path):
    folder = transcripts.TranscriptFolder.of(tmp_path, "TBI-2")
    assert folder.path == tmp_path / "TBI-2"
    assert {p.name for p in (folder.raw, folder.redacted, folder.text, folder.coaching)} == set(transcripts.TranscriptFolder.FILES)
