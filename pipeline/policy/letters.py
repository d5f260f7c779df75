"""Letter-ready customer transcripts, in Markdown, DOCX and PDF (A4), from a redacted transcript only.

A :class:`Letter` is built from the document a recording's ``redacted.json`` holds (see
:func:`callscribe.pipeline.storage.transcripts.write_redacted`): its segments are already anonymised, and nothing else
(no raw transcript, no catalogue row with a phone number) ever reaches the renderers. Consecutive
segments of one speaker form one turn, shown with its start time. The one exception is the
caller's own access letter (:class:`CallFacts`): it adds the call data kept about that caller,
their own phone number included, which is what the caller asked to see.

Every format shows the same letter, in this order: the sender block, the date, the subject, the
references (complaint number, request id, call id, the call's local date, speakers; an access
letter adds the call's time, duration, direction, the caller's number and how long it is kept),
the greeting, why the letter comes, the notice that the text was made automatically and may hold
recognition errors, the closing by the service desk (never a person), and as an annex the line
explaining the tags and the redacted turns ``[00:01:05] Klant: …``. The PDF puts the annex on its
own pages, with page numbers on every page; the DOCX carries no metadata of python-docx's template.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from callscribe.pipeline.errors import ConfigurationError, StoreError
from callscribe.pipeline.storage.transcripts import TAG_EXPLANATION
from callscribe.pipeline.storage.transcripts import clock as store_clock

TITLE = "Transcript van uw gesprek met onze klantenservice"
ACCESS_TITLE = "Inzage in uw gegevens: uw gesprek met onze klantenservice"
GREETING = "Geachte heer/mevrouw,"
CLOSING = "Met vriendelijke groet,"
NOTICE = ("Deze tekst is automatisch gemaakt uit de geluidsopname (spraakherkenning) en kan daardoor "
          "herkenningsfouten bevatten.")
ANNEX = "Bijlage: transcript van het gesprek"
NOT_TRANSCRIBED = "Dit gesprek is niet uitgeschreven; er is alleen de geluidsopname."
_INTRO = ("U heeft ons gevraagd om een uitgeschreven versie van uw telefoongesprek met onze klantenservice. "
          "In de bijlage vindt u de tekst van dat gesprek. Namen, telefoonnummers en andere persoonsgegevens "
          "zijn daarin vervangen door labels.")
_ACCESS_INTRO = ("U heeft ons gevraagd welke gegevens wij van u bewaren (inzageverzoek, artikel 15 AVG). "
                 "Hierboven staan de gegevens die wij van dit gesprek vastleggen, met uw eigen telefoonnummer. "
                 "In de bijlage vindt u de tekst van het gesprek.")
_ACCESS_RULE = ("Uw eigen telefoonnummer staat ook in de tekst zichtbaar. Namen en andere persoonsgegevens, "
                "ook die van onze medewerker en van andere personen, zijn vervangen door labels: bij een "
                "automatisch gemaakte tekst kunnen wij niet met zekerheid vaststellen welke gegevens van u zijn.")
_DIRECTIONS = {"inbound": "inkomend (u belde ons)", "outbound": "uitgaand (wij belden u)"}
_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december")
# The PDF's font: DejaVu Sans as matplotlib (a declared dependency) ships it; it has every Dutch
# letter (ë, ï, é, ĳ) and €, which the PDF core fonts (Latin-1) lack. Style → file.
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
_FONT = "DejaVuSans"


@dataclass(frozen=True)
class Sender:
    """Who sends the letters: the company and its service desk, never a person."""

    name: str
    department: str
    address: tuple[str, ...]
    timezone: str = "Europe/Amsterdam"

    @property
    def lines(self) -> tuple[str, ...]:
        """The sender block: company, department, address lines."""
        return (self.name, self.department, *self.address)

    @property
    def signature(self) -> str:
        """Who signs (and, in the DOCX and PDF properties, authors) the letter: the service desk."""
        return f"{self.department} {self.name}"


# The address is a placeholder: a deployment replaces it with its postal address for letters
# (a company's, never a person's) and passes its Sender to the renderers.
SENDER = Sender("TBI Direct / Telecontrol", "Klantenservice", ("Postbus 0000", "0000 AA  Voorbeeldstad"))


@dataclass(frozen=True)
class Turn:
    """What one speaker said without interruption: label, start in seconds (None: unknown), redacted text."""

    speaker: str
    start: float | None
    text: str

    @property
    def line(self) -> str:
        """The turn as one line of the letter: ``[00:01:05] Klant: …``."""
        return f"{self.label}{self.text}"

    @property
    def label(self) -> str:
        """``[00:01:05] Klant: `` — the part shown in bold."""
        return f"[{clock(self.start)}] {self.speaker}: "


@dataclass(frozen=True)
class CallFacts:
    """The call data an access letter shows its caller, times in the local time zone.

    ``caller_number`` is the caller's own number as the catalogue stores it; it stays out of repr.
    """

    started: datetime
    duration_s: float | None
    direction: str
    caller_number: str = field(repr=False)
    kept_until: datetime
    retention_days: int


@dataclass(frozen=True)
class Letter:
    """Everything a customer transcript shows; every text in it comes from the redacted transcript,
    except the caller's own :class:`CallFacts` in an access letter.

    ``written`` is the letter's date (today in the sender's time zone when None); ``call`` makes it
    an access letter; ``transcribed`` is False for a call without a transcript (no turns).
    """

    call_id: str
    reference: str
    call_date: date
    speakers: tuple[str, ...]
    turns: tuple[Turn, ...]
    complaint_id: str | None = None
    written: date | None = None
    call: CallFacts | None = None
    transcribed: bool = True

    @classmethod
    def from_document(cls, document: dict, *, call_id: str, reference: str, call_date: date,
                      complaint_id: str | None = None, written: date | None = None,
                      call: CallFacts | None = None) -> Letter:
        """A letter from a ``redacted.json`` document.

        Args:
            document: the parsed ``redacted.json`` of the recording.
            call_id: the recording; reference: the request id quoted in the letter;
            call_date: the call's local date (in the retention time zone).
            complaint_id: the complaint (``K-…``) the request serves, quoted as the complaint number.
            written: the letter's date; default today in the sender's time zone.
            call: the caller's own call data, for an access letter.

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
        return cls(call_id, reference, call_date, speakers, tuple(turns), complaint_id, written, call)

    @classmethod
    def without_transcript(cls, *, call_id: str, reference: str, call_date: date, call: CallFacts | None = None,
                           written: date | None = None) -> Letter:
        """A letter about a call that was not transcribed: the references and call data only."""
        return cls(call_id, reference, call_date, (), (), None, written, call, transcribed=False)


# --- what every format shows ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Content:
    sender: tuple[str, ...]
    written: str
    title: str
    facts: tuple[tuple[str, str], ...]
    body: tuple[str, ...]  # greeting, paragraphs
    closing: tuple[str, str]
    tag_line: str | None
    turns: tuple[Turn, ...]


def _content(letter: Letter, sender: Sender) -> _Content:
    facts = []
    if letter.complaint_id:
        facts.append(("Klachtnummer", letter.complaint_id))
    facts += [("Ons kenmerk", letter.reference), ("Gesprek", letter.call_id),
              ("Datum van het gesprek", long_date(letter.call_date))]
    body = [GREETING]
    if letter.call is None:
        body.append(_INTRO)
    else:
        call = letter.call
        facts += [
            ("Begin van het gesprek", f"{call.started:%H:%M} uur"),
            ("Duur", duration(call.duration_s)),
            ("Richting", _DIRECTIONS.get(call.direction, call.direction)),
            ("Uw telefoonnummer", call.caller_number),
            ("Bewaard tot", (f"{long_date(call.kept_until.date())}, {call.kept_until:%H:%M} uur "
                             f"({call.retention_days} dagen na het gesprek); daarna verwijderen wij de opname en "
                             "het transcript")),
        ]
        body.append(_ACCESS_INTRO)
        if letter.transcribed:
            body.append(_ACCESS_RULE)
    if letter.speakers:
        facts.append(("Sprekers", ", ".join(letter.speakers)))
    if letter.transcribed:
        body.append(NOTICE)
    written = letter.written or datetime.now(UTC).astimezone(ZoneInfo(sender.timezone)).date()
    return _Content(
        sender=sender.lines, written=long_date(written), title=TITLE if letter.call is None else ACCESS_TITLE,
        facts=tuple(facts), body=tuple(body), closing=(CLOSING, sender.signature),
        tag_line=TAG_EXPLANATION if letter.transcribed else None, turns=letter.turns)


def renderings(letter: Letter, sender: Sender = SENDER) -> tuple[tuple[str, bytes], ...]:
    """The letter in every format, as ``(suffix, bytes)``: ``.md``, ``.docx`` and ``.pdf``."""
    return ((".md", render_markdown(letter, sender).encode("utf-8")), (".docx", render_docx(letter, sender)),
            (".pdf", render_pdf(letter, sender)))


def render_markdown(letter: Letter, sender: Sender = SENDER) -> str:
    """The letter as Markdown: sender, date, heading, references, body, closing, then the transcript."""
    content = _content(letter, sender)
    lines = [*(f"{line}  " for line in content.sender), "", content.written, "", f"# {content.title}", ""]
    lines += [f"{label}: {value}  " for label, value in content.facts]
    lines.append("")
    for paragraph in content.body:
        lines += [paragraph, ""]
    lines += [content.closing[0], "", content.closing[1], "", f"## {ANNEX}", ""]
    if content.tag_line is None:
        lines += [NOT_TRANSCRIBED, ""]
    else:
        lines += [f"_{content.tag_line}_", ""]
    for turn in content.turns:
        lines += [f"**[{clock(turn.start)}] {turn.speaker}:** {turn.text}", ""]
    return "\n".join(lines)


# --- DOCX ---------------------------------------------------------------------------------------------


def render_docx(letter: Letter, sender: Sender = SENDER) -> bytes:
    """The letter as a Word document (python-docx) on A4, without the template's metadata: the
    properties name the service desk only, dates are now, and the template's thumbnail,
    bibliography part and revision ids are gone."""
    import docx
    from docx.enum.text import WD_BREAK
    from docx.shared import Mm

    content = _content(letter, sender)
    document = docx.Document()
    _neutral_metadata(document, sender, content.title, datetime.now(UTC))
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin, section.right_margin = Mm(25), Mm(20)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    block = document.add_paragraph()
    for number, line in enumerate(content.sender):
        run = block.add_run(line)
        run.bold = number == 0
        if number < len(content.sender) - 1:
            run.add_break()
    document.add_paragraph(content.written)
    document.add_heading(content.title, level=1)
    for label, value in content.facts:
        document.add_paragraph(f"{label}: {value}")
    for paragraph in content.body:
        document.add_paragraph(paragraph)
    document.add_paragraph(content.closing[0])
    document.add_paragraph(content.closing[1])
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_heading(ANNEX, level=2)
    if content.tag_line is None:
        document.add_paragraph(NOT_TRANSCRIBED)
    else:
        document.add_paragraph().add_run(content.tag_line).italic = True
    for turn in content.turns:
        paragraph = document.add_paragraph()
        paragraph.add_run(turn.label).bold = True
        paragraph.add_run(turn.text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_APP_PROPERTIES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    b"<Application>callscribe</Application><DocSecurity>0</DocSecurity></Properties>"
)


def _neutral_metadata(document, sender: Sender, title: str, now: datetime) -> None:
    """Replace what python-docx's default template carries (author ``python-docx``, comments,
    2013 dates, Word's application properties, a thumbnail, a bibliography part, revision ids)."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml.ns import qn

    core = document.core_properties
    core.author = core.last_modified_by = sender.signature
    core.title = title
    core.subject = core.comments = core.keywords = core.category = ""
    core.content_status = core.identifier = core.version = ""
    core.language = "nl-NL"
    core.revision = 1
    core.created = core.modified = now.replace(tzinfo=None, microsecond=0)  # python-docx writes naive as UTC
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype in (RT.THUMBNAIL, RT.EXTENDED_PROPERTIES):
            package.rels.pop(rel_id)
    package.relate_to(Part(PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES, _APP_PROPERTIES, package),
                      RT.EXTENDED_PROPERTIES)
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype == RT.CUSTOM_XML:
            document.part.rels.pop(rel_id)
    settings = document.settings.element
    for name in ("w:rsids", "w14:docId"):
        for element in settings.findall(qn(name)):
            settings.remove(element)
    for element in list(document.styles.element.iter(qn("w:rsid"))):
        element.getparent().remove(element)
    for section in document.sections:
        attributes = section._sectPr.attrib
        for name in [n for n in attributes if n.startswith(qn("w:rsid"))]:  # w:rsidR, w:rsidRPr, w:rsidSect
            del attributes[name]


# --- PDF ----------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def font_files() -> dict[str, Path]:
    """The TrueType files of the PDF's font, by style (``""``, ``"B"``, ``"I"``).

    Raises:
        ConfigurationError: matplotlib's copy of DejaVu Sans is missing.
    """
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    files = {style: folder / name for style, name in _FONT_FILES.items()}
    missing = [str(p) for p in files.values() if not p.is_file()]
    if missing:
        raise ConfigurationError(f"the letter font is missing ({', '.join(missing)}): reinstall matplotlib, "
                                 "which ships DejaVu Sans")
    return files


def render_pdf(letter: Letter, sender: Sender = SENDER) -> bytes:
    """The letter as a PDF on A4 (fpdf2): the letter on the first page, the transcript as an annex
    from the next page on, the reference and ``Pagina n van m`` at the foot of every page."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    content = _content(letter, sender)

    class _Pdf(FPDF):
        def header(self) -> None:
            if self.page_no() > 1:
                self.set_font(_FONT, "", 8)
                self.set_text_color(110)
                self.cell(0, 4, f"{sender.name} · {content.title}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                self.ln(4)
                self.set_text_color(0)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font(_FONT, "", 8)
            self.set_text_color(110)
            self.cell(0, 4, f"Ons kenmerk {letter.reference}", align="L")
            self.set_x(self.l_margin)
            self.cell(0, 4, f"Pagina {self.page_no()} van {{nb}}", align="R")
            self.set_text_color(0)

    pdf = _Pdf(format="A4")
    for style, path in font_files().items():
        pdf.add_font(_FONT, style, str(path))
    pdf.set_margins(25, 20, 20)
    pdf.set_auto_page_break(True, margin=22)
    pdf.set_title(content.title)
    pdf.set_author(sender.signature)
    pdf.set_creator("callscribe")
    pdf.set_producer("callscribe")
    pdf.set_lang("nl-NL")
    pdf.set_creation_date(datetime.now(UTC))
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def paragraph(text: str, size: float = 10.5, style: str = "", after: float = 3.0) -> None:
        pdf.set_font(_FONT, style, size)
        pdf.multi_cell(width, 5.2, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(after)

    pdf.add_page()
    for number, line in enumerate(content.sender):
        pdf.set_font(_FONT, "B" if number == 0 else "", 11 if number == 0 else 9.5)
        pdf.cell(0, 5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(12)
    paragraph(content.written, after=8)
    paragraph(f"Betreft: {content.title}", size=11, style="B", after=4)
    label_width = 48
    for label, value in content.facts:
        pdf.set_font(_FONT, "", 9.5)
        pdf.set_text_color(90)
        pdf.cell(label_width, 5, label)
        pdf.set_text_color(0)
        pdf.multi_cell(width - label_width, 5, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(8)
    for text in content.body:
        paragraph(text)
    pdf.ln(3)
    paragraph(content.closing[0], after=10)
    paragraph(content.closing[1])

    pdf.add_page()
    paragraph(ANNEX, size=12, style="B", after=2)
    if content.tag_line is None:
        paragraph(NOT_TRANSCRIBED)
    else:
        pdf.set_text_color(70)
        paragraph(content.tag_line, size=9, style="I", after=5)
        pdf.set_text_color(0)
    for turn in content.turns:
        pdf.set_font(_FONT, "B", 10)
        pdf.write(5.2, turn.label)
        pdf.set_font(_FONT, "", 10)
        pdf.write(5.2, turn.text)
        pdf.ln(5.2 + 2.2)
    return bytes(pdf.output())


# --- small formats ------------------------------------------------------------------------------------


def clock(seconds: float | None) -> str:
    """``hh:mm:ss`` of a time in seconds, ``--:--:--`` when unknown."""
    return "--:--:--" if seconds is None else store_clock(seconds)


def long_date(day: date) -> str:
    """A date as a Dutch letter writes it: ``23 november 2026``."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def duration(seconds: float | None) -> str:
    """A call's length in Dutch words: ``1 minuut en 35 seconden``; ``onbekend`` when unknown."""
    if seconds is None:
        return "onbekend"
    whole = round(seconds)
    hours, minutes, rest = whole // 3600, whole % 3600 // 60, whole % 60
    parts = [f"{hours} uur"] if hours else []
    if minutes:
        parts.append(f"{minutes} {'minuut' if minutes == 1 else 'minuten'}")
    if rest or not parts:
        parts.append(f"{rest} {'seconde' if rest == 1 else 'seconden'}")
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} en {parts[-1]}"


def _label(speaker: str) -> str:
    return speaker.strip().capitalize() or "Onbekend"
