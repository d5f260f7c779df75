"""Letter-ready customer transcripts, in Markdown and DOCX, from a redacted transcript only.

A :class:`Letter` is built from the document a recording's ``redacted.json`` holds (see
:func:`callscribe.pipeline.storage.transcripts.write_redacted`): its segments are already anonymised, and nothing else
(no raw transcript, no catalogue row with a phone number) ever reaches the renderers. Consecutive
segments of one speaker form one turn, shown with its start time.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from callscribe.pipeline.errors import StoreError
from callscribe.pipeline.storage.transcripts import TAG_EXPLANATION
from callscribe.pipeline.storage.transcripts import clock as store_clock

TITLE = "Transcript van uw gesprek met onze klantenservice"
_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december")


@dataclass(frozen=True)
class Turn:
    """What one speaker said without interruption: label, start in seconds (None: unknown), redacted text."""

    speaker: str
    start: float | None
    text: str

    @property
    def line(self) -> str:
        """The turn as one line of the letter: ``[00:01:05] Klant: …``."""
        return f"[{clock(self.start)}] {self.speaker}: {self.text}"


@dataclass(frozen=True)
class Letter:
    """Everything a customer transcript shows; every text in it comes from the redacted transcript."""

    call_id: str
    reference: str
    call_date: date
    speakers: tuple[str, ...]
    turns: tuple[Turn, ...]

    @classmethod
    def from_document(cls, document: dict, *, call_id: str, reference: str, call_date: date) -> Letter:
        """A letter from a ``redacted.json`` document.

        Args:
            document: the parsed ``redacted.json`` of the recording.
            call_id: the recording; reference: the request id quoted in the letter;
            call_date: the call's local date (in the retention time zone).

        Raises:
            StoreError: the document has no segments or a malformed one.
        """
        segments = document.get("segments")
        if not isinstance(segments, list):
            raise StoreError(f"the redacted transcript of {call_id} has no segments: transcribe it again")
        turns: list[Turn] = []
        for number, segment in enumerate(segments, start=1):
            try:
                speaker = _label(str(segment["speaker"]))
                text = " ".join(str(segment["text"]).split())
                start = None if segment.get("start") is None else float(segment["start"])
            except (KeyError, TypeError, ValueError) as err:
                raise StoreError(f"segment {number} of the redacted transcript of {call_id} is malformed: "
                                 "transcribe it again") from err
            if not text:
                continue
            if turns and turns[-1].speaker == speaker:
                turns[-1] = Turn(speaker, turns[-1].start, f"{turns[-1].text} {text}")
            else:
                turns.append(Turn(speaker, start, text))
        speakers = tuple(dict.fromkeys(_label(str(s)) for s in document.get("speakers") or ()))
        speakers = speakers or tuple(dict.fromkeys(t.speaker for t in turns))
        return cls(call_id, reference, call_date, speakers, tuple(turns))


def render_markdown(letter: Letter) -> str:
    """The letter as Markdown: heading, call, reference, date, speakers, tag explanation, turns."""
    lines = [
        f"# {TITLE}",
        "",
        f"Gesprek: {letter.call_id}  ",
        f"Ons kenmerk: {letter.reference}  ",
        f"Datum van het gesprek: {long_date(letter.call_date)}  ",
        f"Sprekers: {', '.join(letter.speakers)}",
        "",
        f"_{TAG_EXPLANATION}_",
        "",
    ]
    for turn in letter.turns:
        lines += [f"**[{clock(turn.start)}] {turn.speaker}:** {turn.text}", ""]
    return "\n".join(lines)


def render_docx(letter: Letter) -> bytes:
    """The letter as a Word document (python-docx); its properties name no person."""
    import docx

    document = docx.Document()
    properties = document.core_properties
    properties.author = properties.last_modified_by = "callscribe"
    properties.title = f"Transcript {letter.call_id}"
    properties.subject = properties.comments = properties.keywords = properties.category = ""
    document.add_heading(TITLE, level=1)
    document.add_paragraph(f"Gesprek: {letter.call_id}")
    document.add_paragraph(f"Ons kenmerk: {letter.reference}")
    document.add_paragraph(f"Datum van het gesprek: {long_date(letter.call_date)}")
    document.add_paragraph(f"Sprekers: {', '.join(letter.speakers)}")
    document.add_paragraph().add_run(TAG_EXPLANATION).italic = True
    for turn in letter.turns:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"[{clock(turn.start)}] {turn.speaker}: ").bold = True
        paragraph.add_run(turn.text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def clock(seconds: float | None) -> str:
    """``hh:mm:ss`` of a time in seconds, ``--:--:--`` when unknown."""
    return "--:--:--" if seconds is None else store_clock(seconds)


def long_date(day: date) -> str:
    """A date as a Dutch letter writes it: ``23 november 2026``."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _label(speaker: str) -> str:
    return speaker.strip().capitalize() or "Onbekend"
