"""Customer letters (issue 12, point 4): the same letter as Markdown, DOCX and PDF on A4, built from
a real redaction of a Dutch call; the DOCX without python-docx's template metadata; the PDF's text
read back (no PDF reader is a dependency: :func:`pdf_pages` decodes what fpdf2 writes)."""

from __future__ import annotations

import io
import json
import re
import zipfile
import zlib
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import docx
import pytest

from callscribe.pipeline.policy import letters
from callscribe.pipeline.storage import transcripts
from callscribe.pipeline.types import ModelInfo, Segment, Transcript, TranscriptionOptions

pytestmark = pytest.mark.both_databases  # catalogue tests run on SQLite and PostgreSQL

# A call with names, numbers and addresses, as Whisper would give it; redacted for real below.
DIALOGUE = (
    ("medewerker", 0.0, 3.0, "Goedemorgen, u spreekt met Sanne de Vries van de klantenservice."),
    ("klant", 3.2, 7.0, "Hallo, met Pieter Jansen. Mijn nummer is 06-12345678 en mijn postcode is 1234 AB."),
    ("klant", 7.9, 12.0, "Mijn e-mailadres is pieter.jansen@example.nl, en ik woon in de Dorpsstraat 12 in Zwolle."),
    ("medewerker", 65.4, 70.0, ("Dank u, meneer Jansen. Het abonnement kost € 12,50 per maand; u kunt mij "
                               "terugbellen op 020-7654321.")),
    ("klant", 71.0, 73.0, "Prima. Bel me gerust terug op 06-12345678."),
)
CALLER = "06-12345678"  # the caller's own number, as said in the call
PERSONAL = ("Sanne", "Vries", "Pieter", "Jansen", "12345678", "1234 AB", "pieter.jansen", "example.nl",
            "Dorpsstraat", "Zwolle", "7654321")
# 00:30 on 1 March in Amsterdam is still 28 February in UTC
JUST_AFTER_MIDNIGHT = datetime(2026, 2, 28, 23, 30, tzinfo=UTC)


def raw_transcript(dialogue=DIALOGUE) -> Transcript:
    return Transcript(
        segments=tuple(Segment(speaker, start, end, text) for speaker, start, end, text in dialogue),
        duration=dialogue[-1][2], channel_layout="stereo", speakers=("medewerker", "klant"),
        model=ModelInfo("base", "-", "cpu", "int8", 2), options=TranscriptionOptions())


def store_transcript(folder: Path, redactor, call_id: str, call_start: datetime, *, key: bytes | None = None,
                     dialogue=DIALOGUE) -> dict:
    """The call's ``redacted.json`` as the pipeline writes it (a real redaction), and with ``key``
    its encrypted raw transcript; returns the redacted document."""
    transcript = raw_transcript(dialogue)
    redacted = redactor.redact([(s.speaker, s.text) for s in transcript.segments],
                               [(s.start, s.end) for s in transcript.segments])
    folder.mkdir(parents=True, exist_ok=True)
    if key is not None:
        transcripts.write_raw(folder, transcript, key)
    transcripts.write_redacted(folder, call_id, call_start, transcript, redacted, "complaint", "Europe/Amsterdam")
    return json.loads((folder / transcripts.REDACTED_NAME).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def document(redactor, tmp_path_factory) -> dict:
    return store_transcript(tmp_path_factory.mktemp("call"), redactor, "TBI-2026-000101", JUST_AFTER_MIDNIGHT)


@pytest.fixture(scope="module")
def letter(document) -> letters.Letter:
    return letters.Letter.from_document(document, call_id="TBI-2026-000101", reference="V-2026-0007",
                                        call_date=date.fromisoformat(document["call_date"]),
                                        complaint_id="K-2026-0003", written=date(2026, 3, 4))


def turn_lines(document: dict) -> list[str]:
    """The letter's turns as the redacted transcript gives them (consecutive segments of one speaker joined)."""
    lines: list[tuple[str, float, str]] = []
    for s in document["segments"]:
        if lines and lines[-1][0] == s["speaker"]:
            lines[-1] = (s["speaker"], lines[-1][1], f"{lines[-1][2]} {s['text']}")
        else:
            lines.append((s["speaker"], s["start"], s["text"]))
    return [f"[{transcripts.clock(start)}] {speaker.capitalize()}: {text}" for speaker, start, text in lines]


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def flat(text: str) -> str:
    return " ".join(text.split())


# --- one letter, three formats ---------------------------------------------------------------------


def test_the_redaction_is_real_and_the_call_date_is_local(document):
    everything = json.dumps([s["text"] for s in document["segments"]], ensure_ascii=False)
    assert not [value for value in PERSONAL if value in everything]
    assert "[PERSOON-1]" in everything and "[TELEFOONNUMMER-1]" in everything and "€ 12,50" in everything
    assert document["call_date"] == "2026-03-01"


@pytest.mark.parametrize("render", ["pdf", "docx", "markdown"])
def test_every_format_holds_the_letter_and_none_of_the_calls_personal_data(letter, document, render):
    if render == "pdf":
        data = letters.render_pdf(letter)
        assert data.startswith(b"%PDF-")
        text = pdf_text(data)
    elif render == "docx":
        text = docx_text(letters.render_docx(letter))
    else:
        text = letters.render_markdown(letter).replace("**", "").replace("_", " ")
    body = flat(text)
    for expected in ("K-2026-0003", "V-2026-0007", "TBI-2026-000101", "1 maart 2026", "4 maart 2026",
                     "Geachte heer/mevrouw,", "Met vriendelijke groet,", letters.SENDER.signature,
                     *letters.SENDER.lines, "Medewerker, Klant", letters.NOTICE, letters.ANNEX,
                     transcripts.TAG_EXPLANATION, *turn_lines(document)):
        assert flat(expected) in body, expected
    assert "28 februari" not in body  # the call's local date, not its UTC date
    assert not [value for value in PERSONAL if value in text]
    # the letter comes first, the transcript after it, in the order of the call
    places = [body.index(flat(line)) for line in turn_lines(document)]
    assert body.index("Met vriendelijke groet,") < body.index(flat(transcripts.TAG_EXPLANATION)) < places[0]
    assert places == sorted(places)


def test_the_pdf_is_a4_with_its_own_font_and_properties_naming_the_service_desk(letter):
    data = letters.render_pdf(letter)
    assert re.search(rb"/MediaBox \[0 0 595\.28 841\.89\]", data)  # A4 in points
    assert b"/FontName /" in data and b"DejaVuSans" in data and b"/FontFile2" in data  # embedded TrueType
    info = pdf_info(data)
    assert info["Author"] == letters.SENDER.signature and info["Title"] == letters.TITLE
    assert info["Producer"] == info["Creator"] == "callscribe"
    pages = pdf_pages(data)
    assert len(pages) == 2  # the letter, then the transcript as its annex
    assert pages[0][0] == letters.SENDER.name and pages[1][1] == letters.ANNEX
    assert [page[-1] for page in pages] == ["Ons kenmerk V-2026-0007 Pagina 1 van 2",
                                            "Ons kenmerk V-2026-0007 Pagina 2 van 2"]
    assert "Klachtnummer K-2026-0003" in pages[0] and "Datum van het gesprek 1 maart 2026" in pages[0]


def test_a_long_call_breaks_over_numbered_pages_and_keeps_every_turn(redactor):
    turns = tuple((("medewerker", "klant")[i % 2], 7.5 * i, 7.5 * i + 7,
                   (f"Beurt {i}: over de factuur van € {i},50 en de reünie in ’s-Hertogenbosch, dat is "
                   "prima zo, en verder nog een hele tijd praten over het abonnement en de kosten."))
                  for i in range(160))
    document = {"speakers": ["medewerker", "klant"],
                "segments": [{"speaker": s, "start": a, "end": b, "text": t} for s, a, b, t in turns]}
    letter = letters.Letter.from_document(document, call_id="C-9", reference="V-2026-0009",
                                          call_date=date(2026, 3, 1), complaint_id="K-2026-0009")
    pages = pdf_pages(letters.render_pdf(letter))
    count = len(pages)
    assert count > 5
    assert [page[-1] for page in pages] == [f"Ons kenmerk V-2026-0009 Pagina {n} van {count}"
                                            for n in range(1, count + 1)]
    running = f"{letters.SENDER.name} · {letters.TITLE}"
    assert all(page[0] == running for page in pages[1:])
    body = flat(" ".join(line for page in pages for line in page[:-1] if line != running))
    places = [body.index(flat(line)) for line in turn_lines(document)]
    assert places == sorted(places)
    assert "’s-Hertogenbosch" in body and "€ 159,50" in body


def test_a_call_without_a_transcript_says_so_without_the_notice():
    letter = letters.Letter.without_transcript(call_id="C-5", reference="AVG-2026-0001", call_date=date(2026, 3, 1))
    text = flat(pdf_text(letters.render_pdf(letter)))
    assert letters.NOT_TRANSCRIBED in text and letters.NOTICE not in text
    assert transcripts.TAG_EXPLANATION not in text


def test_renderings_give_markdown_docx_and_pdf(letter):
    assert [suffix for suffix, _ in letters.renderings(letter)] == [".md", ".docx", ".pdf"]


@pytest.mark.parametrize(("seconds", "words"), [
    (None, "onbekend"), (0, "0 seconden"), (1, "1 seconde"), (59.6, "1 minuut"), (95, "1 minuut en 35 seconden"),
    (3600, "1 uur"), (3725, "1 uur, 2 minuten en 5 seconden")])
def test_durations_read_as_dutch_words(seconds, words):
    assert letters.duration(seconds) == words


# --- the DOCX leaves the template's metadata behind ----------------------------------------------


def test_the_docx_has_no_leftover_template_metadata(letter):
    before = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    data = letters.render_docx(letter)
    after = datetime.now(UTC).replace(tzinfo=None)
    core = docx.Document(io.BytesIO(data)).core_properties
    assert (core.author, core.last_modified_by) == (letters.SENDER.signature, letters.SENDER.signature)
    assert (core.title, core.language, core.revision) == (letters.TITLE, "nl-NL", 1)
    for name in ("subject", "comments", "keywords", "category", "content_status", "identifier", "version"):
        assert getattr(core, name) == "", name
    assert core.last_printed is None
    for moment in (core.created, core.modified):  # now, not the template's 2013
        assert before <= moment.replace(tzinfo=None) <= after
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        app = package.read("docProps/app.xml").decode("utf-8")
        settings = package.read("word/settings.xml").decode("utf-8")
        styles = package.read("word/styles.xml").decode("utf-8")
        everything = b"".join(package.read(name) for name in names if not name.endswith(".jpeg"))
    assert re.findall(r"<(\w+)>([^<]*)</\1>", app) == [("Application", "callscribe"), ("DocSecurity", "0")]
    assert not [n for n in names if n.startswith("customXml/") or n.endswith((".jpeg", ".png", ".wmf"))]
    assert "rsid" not in settings and "docId" not in settings and "<w:rsid " not in styles
    for leftover in (b"python-docx", b"Normal.dotm", b"Microsoft Macintosh Word", b"2013-12-23"):
        assert leftover not in everything, leftover


def test_the_docx_is_a4():
    letter = letters.Letter.without_transcript(call_id="C-5", reference="V-2026-0001", call_date=date(2026, 3, 1))
    section = docx.Document(io.BytesIO(letters.render_docx(letter))).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_the_caller_data_of_an_access_letter_reads_in_dutch(document):
    zone = ZoneInfo("Europe/Amsterdam")
    call = letters.CallFacts(started=JUST_AFTER_MIDNIGHT.astimezone(zone), duration_s=95.0, direction="inbound",
                             caller_number="06-1234 5678", kept_until=datetime(2026, 5, 2, 0, 30, tzinfo=zone),
                             retention_days=62)
    letter = letters.Letter.from_document(document, call_id="C-1", reference="AVG-2026-0001",
                                          call_date=call.started.date(), call=call)
    assert "06-1234 5678" not in repr(letter)
    lines = pdf_pages(letters.render_pdf(letter))[0]
    for line in ("Begin van het gesprek 00:30 uur", "Duur 1 minuut en 35 seconden", "Richting inkomend (u belde ons)",
                 "Uw telefoonnummer 06-1234 5678", "Datum van het gesprek 1 maart 2026"):
        assert line in lines
    assert ("Bewaard tot 2 mei 2026, 00:30 uur (62 dagen na het gesprek); daarna verwijderen wij de opname en het "
            "transcript") in flat(" ".join(lines))
    assert f"Betreft: {letters.ACCESS_TITLE}" in lines and not any(line.startswith("Klachtnummer") for line in lines)


# --- reading a PDF that fpdf2 wrote -----------------------------------------------------------------
# fpdf2 writes Unicode TrueType text as 2-byte glyph codes with a /ToUnicode map per font. These
# helpers read the objects (streams by their /Length, Flate-decoded), follow each page's fonts to
# their maps and decode the Tj/TJ strings of its content stream, placed by their Td position.

_OBJ = re.compile(rb"(\d+) 0 obj")
_REF = rb"(\d+) 0 R"
_OPERATOR = re.compile(r"[A-Za-z'\"*]+")
_WORD = re.compile(rb"<<|>>|/?[^\s()<>\[\]/]+")
_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}


def pdf_pages(data: bytes) -> list[list[str]]:
    """Each page's lines, top to bottom; pieces on one line joined left to right."""
    objects = _objects(data)
    tree = next(body for body, _ in objects.values() if re.search(rb"/Type /Pages\b", body))
    kids = [int(n) for n in re.findall(_REF, re.search(rb"/Kids \[(.*?)\]", tree, re.DOTALL).group(1))]
    pages = []
    for kid in kids:
        body, _ = objects[kid]
        resources = _resolve(objects, body, b"/Resources")
        fonts = {name.decode(): _cmap(objects, int(ref)) for name, ref in re.findall(rb"/(F\d+) " + _REF, resources)}
        pages.append(_lines(objects[int(re.search(rb"/Contents " + _REF, body).group(1))][1], fonts))
    return pages


def pdf_text(data: bytes) -> str:
    """All text of the PDF, lines joined by newlines."""
    return "\n".join(line for page in pdf_pages(data) for line in page)


def pdf_info(data: bytes) -> dict[str, str]:
    """The document information dictionary's text entries (fpdf2 writes them as literal strings)."""
    info = next(body for body, _ in _objects(data).values() if b"/Producer" in body)
    found = {}
    for key, value in re.findall(rb"/(\w+) \((.*?)\)\n", info):
        raw, _ = _literal(value + b")", 0)
        found[key.decode()] = raw[2:].decode("utf-16-be") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")
    return found


def _objects(data: bytes) -> dict[int, tuple[bytes, bytes]]:
    """Object number → (dictionary text, decoded stream or b"")."""
    objects, position = {}, 0
    while match := _OBJ.search(data, position):
        end = data.find(b"endobj", match.end())
        stream = data.find(b"stream", match.end())
        if 0 <= stream < end:
            head = data[match.end():stream]
            length = int(re.search(rb"/Length (\d+)", head).group(1))
            start = stream + len(b"stream") + (2 if data[stream + 6:stream + 8] == b"\r\n" else 1)
            raw = data[start:start + length]
            objects[int(match.group(1))] = (head, zlib.decompress(raw) if b"/FlateDecode" in head else raw)
            end = data.find(b"endobj", start + length)
        else:
            objects[int(match.group(1))] = (data[match.end():end], b"")
        position = end + len(b"endobj")
    return objects


def _resolve(objects, body: bytes, key: bytes) -> bytes:
    ref = re.search(re.escape(key) + b" " + _REF, body)
    return objects[int(ref.group(1))][0] if ref else body[body.index(key):]


def _cmap(objects, font: int) -> dict[int, str]:
    stream = objects[int(re.search(rb"/ToUnicode " + _REF, objects[font][0]).group(1))][1].decode("latin-1")
    mapping = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", stream, re.DOTALL):
        for code, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", stream, re.DOTALL):
        for first, last, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            for offset, code in enumerate(range(int(first, 16), int(last, 16) + 1)):
                mapping[code] = chr(int(text, 16) + offset)
    return mapping


def _lines(content: bytes, fonts: dict[str, dict[int, str]]) -> list[str]:
    pieces: list[tuple[float, float, str]] = []
    operands: list = []
    font: dict[int, str] = {}
    x = y = 0.0
    for token in _tokens(content):
        if not (isinstance(token, str) and _OPERATOR.fullmatch(token)):
            operands.append(token)
            continue
        if token == "Tf":
            font = fonts[operands[-2][1:]]
        elif token == "Td":
            x, y = float(operands[-2]), float(operands[-1])
        elif token in ("Tj", "TJ"):
            strings = operands[-1] if token == "TJ" else [operands[-1]]
            text = "".join(_decode(s, font) for s in strings if isinstance(s, bytes))
            if pieces and pieces[-1][:2] == (x, y):  # a second Tj in the same text object continues it
                pieces[-1] = (x, y, pieces[-1][2] + text)
            else:
                pieces.append((x, y, text))
        operands = []
    rows: dict[float, list[tuple[float, str]]] = {}
    for px, py, text in pieces:
        rows.setdefault(round(py, 1), []).append((px, text))
    return [" ".join(" ".join(text for _, text in sorted(row)).split())
            for _, row in sorted(rows.items(), key=lambda item: -item[0])]


def _decode(string: bytes, font: dict[int, str]) -> str:
    return "".join(font.get(int.from_bytes(string[i:i + 2], "big"), "\ufffd") for i in range(0, len(string) - 1, 2))


def _tokens(content: bytes) -> list:
    """Content-stream tokens: bytes for strings, lists for arrays, str for numbers, names and operators."""
    stack: list[list] = [[]]
    i = 0
    while i < len(content):
        char = content[i]
        if char in b" \t\r\n\f\x00":
            i += 1
            continue
        if char == ord("("):
            value, i = _literal(content, i + 1)
        elif char == ord("<") and content[i + 1:i + 2] != b"<":
            end = content.index(b">", i)
            value, i = bytes.fromhex(content[i + 1:end].decode()), end + 1
        elif char == ord("["):
            stack.append([])
            i += 1
            continue
        elif char == ord("]"):
            value, i = stack.pop(), i + 1
        else:
            match = _WORD.match(content, i)
            value, i = match.group().decode("latin-1"), match.end()
        stack[-1].append(value)
    return stack[0]


def _literal(content: bytes, i: int) -> tuple[bytes, int]:
    """A literal string's bytes from just after its ``(``, and the position after its ``)``."""
    value, depth = bytearray(), 1
    while True:
        char = content[i]
        if char == ord("\\"):
            following = content[i + 1]
            if following in _ESCAPES:
                value += _ESCAPES[following]
                i += 2
            elif ord("0") <= following <= ord("7"):
                digits = re.match(rb"[0-7]{1,3}", content[i + 1:i + 4]).group()
                value.append(int(digits, 8) & 0xFF)
                i += 1 + len(digits)
            else:
                value += b"" if following in b"\r\n" else bytes([following])
                i += 2
            continue
        depth += (char == ord("(")) - (char == ord(")"))
        if depth == 0:
            return bytes(value), i + 1
        value.append(char)
        i += 1
