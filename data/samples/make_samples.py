"""Regenerate the synthetic Dutch sample calls in this folder.

Every call is a scripted dialogue between a medewerker (agent, LEFT channel) and a
klant (customer, RIGHT channel), spoken by two synthetic espeak-ng Dutch voices (the
Klatt variants ``nl+klatt`` / ``nl+klatt6`` at different pitches, which Whisper
understands better than espeak-ng's default formant voices). Turns alternate with
short pauses and the other channel stays silent, as in a stereo call recording.
The WAV is band-limited to telephone quality (300-3400 Hz, 8 kHz); the other
files are 16 kHz wideband (below 7 kHz), which Whisper transcribes more reliably.
Each is encoded in the format named by the file's extension.

All names, numbers, addresses and e-mail addresses are invented.

Calls 001-004 are short (15-40 s); calls 005 and 006 last 70-90 s, long enough for the coaching
draw (``CALLSCRIBE_COACHING_MIN_DURATION_S``, 60 s), one for each of employees MW-017 and MW-023.

Writes, next to this script (or to ``--out-dir``):
    call-001.wav, call-002.flac, call-003.mp3,
    call-004.ogg, call-005.ogg, call-006.ogg           the audio
    calls.csv                                             call metadata
    samples_pii.json                                      personal data per call

Needs ``espeak-ng`` and ``ffmpeg`` on PATH; Python standard library only.

Usage:
    python3 data/samples/make_samples.py [--out-dir DIR]
"""

from __future__ import annotations

import argparse
import array
import csv
import json
import shutil
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

SPEED_WPM = 140
LEAD_IN_S = 0.4
PAUSE_S = 0.7
TAIL_S = 0.5
MAX_TOTAL_AUDIO_BYTES = 2_500_000  # the samples ship in the wheel: keep them small
SHORT_CALL_S = (15.0, 40.0)  # the short calls
COACHING_CALL_S = (70.0, 90.0)  # calls long enough for the coaching draw (at least 60 s)
SILENCE_LEVEL = 200  # int16 amplitude below which espeak-ng output counts as silence

MEDEWERKER = "medewerker"
KLANT = "klant"

CSV_COLUMNS = ("call_id", "call_start", "employee_id", "caller_number", "direction", "file")

# The WAV is telephone audio: 300-3400 Hz at 8 kHz, so the decoder's resampling path
# gets exercised. The others stay 16 kHz wideband: Whisper recognises espeak-ng's
# speech much worse once it is band-limited to the telephone band.
_TELEPHONE = "highpass=f=300,lowpass=f=3400,aresample=8000,aformat=channel_layouts=stereo"
_WIDEBAND = "lowpass=f=7000,aresample=16000,aformat=channel_layouts=stereo"
_BITEXACT = ("-fflags", "+bitexact", "-flags:a", "+bitexact", "-map_metadata", "-1")
ENCODERS: dict[str, tuple[str, tuple[str, ...]]] = {
    ".wav": (_TELEPHONE, ("-c:a", "pcm_s16le")),
    ".flac": (_WIDEBAND, ("-c:a", "flac", "-sample_fmt", "s16", "-compression_level", "8")),
    # joint_stereo 0: no mid/side coding, so the silent channel stays silent.
    ".mp3": (
        _WIDEBAND,
        ("-c:a", "libmp3lame", "-b:a", "48k", "-joint_stereo", "0"),
    ),
    # Opus always decodes at 48 kHz; the Ogg header records 16 kHz as input rate.
    # Coupled stereo leaks below -75 dB into the silent channel, which is fine.
    ".ogg": (_WIDEBAND, ("-c:a", "libopus", "-b:a", "32k", "-application", "voip")),
}


@dataclass(frozen=True)
class Turn:
    speaker: str  # MEDEWERKER or KLANT
    text: str


@dataclass(frozen=True)
class Pii:
    """One piece of personal data: how the script speaks it, and its written forms."""

    kind: str  # name, phone, email, postcode, address, customer_number
    speaker: str | None  # MEDEWERKER or KLANT; None when it is only in calls.csv
    spoken: str  # exactly as it occurs in a turn's text
    written: tuple[str, ...]  # forms a transcript, log or the CSV could contain


@dataclass(frozen=True)
class Call:
    call_id: str
    call_start: str  # ISO 8601, Europe/Amsterdam local time with UTC offset
    employee_id: str
    caller_number: str  # E.164
    direction: str  # inbound or outbound
    file: str
    voices: dict[str, tuple[str, int]]  # speaker -> (espeak-ng voice, pitch 0-99)
    turns: tuple[Turn, ...]
    pii: tuple[Pii, ...]
    distractors: tuple[str, ...]  # non-personal words a redactor must leave alone
    length_s: tuple[float, float] = SHORT_CALL_S  # the length the rendered call must fall in


def _m(text: str) -> Turn:
    return Turn(MEDEWERKER, text)


def _k(text: str) -> Turn:
    return Turn(KLANT, text)


CALLS: tuple[Call, ...] = (
    Call(
        call_id="TBI-2026-000101",
        call_start="2026-11-23T08:47:12+01:00",
        employee_id="MW-017",
        caller_number="+31641279358",
        direction="inbound",
        file="call-001.wav",
        voices={MEDEWERKER: ("nl+klatt6", 40), KLANT: ("nl+klatt6", 72)},
        turns=(
            _m("TBI Direct service desk, goedemorgen."),
            _k("Mijn naam is Sanne Verhoeven, mijn Remeha cv-ketel geeft een storing."),
            _m("Wat is uw postcode?"),
            _k("Twee vijf één acht K X, huisnummer veertien."),
            _m("En uw telefoonnummer?"),
            _k("Nul zes, eenenveertig, zevenentwintig, drieënnegentig, achtenvijftig."),
            _m("De monteur komt vandaag tussen twaalf en vier uur."),
        ),
        pii=(
            Pii("name", KLANT, "Sanne Verhoeven", ("Sanne Verhoeven", "Verhoeven")),
            Pii("postcode", KLANT, "Twee vijf één acht K X", ("2518 KX", "2518KX")),
            Pii(
                "phone",
                KLANT,
                "Nul zes, eenenveertig, zevenentwintig, drieënnegentig, achtenvijftig",
                ("06 41 27 93 58", "06-41279358", "0641279358", "+31641279358"),
            ),
        ),
        distractors=("TBI Direct", "Remeha", "cv-ketel", "vandaag",
                     "twaalf en vier uur"),
    ),
    Call(
        call_id="TBI-2026-000102",
        call_start="2026-11-24T09:14:03+01:00",
        employee_id="MW-023",
        caller_number="+31103874219",
        direction="inbound",
        file="call-002.flac",
        voices={MEDEWERKER: ("nl+klatt6", 40), KLANT: ("nl+klatt", 50)},
        turns=(
            _m("Telecontrol service desk, u spreekt met Ruud."),
            _k("Goedemorgen, met Bram de Wit-Hoekstra. Gisteren, maandag, zou er een "
               "monteur komen, maar er kwam niemand."),
            _m("Dat spijt me. Mag ik uw postcode?"),
            _k("Drie nul zeven twee L M, nummer acht."),
            _m("De monteur was ziek. Kan het donderdag om half tien?"),
            _k("Graag. Stuur de bevestiging naar b punt dewit apenstaartje example punt com."),
            _m("En uw mobiele nummer?"),
            _k("Nul zes, drieëntachtig, vijftien, tweeënzestig, nul zeven."),
        ),
        pii=(
            Pii("name", MEDEWERKER, "Ruud", ("Ruud",)),
            Pii("name", KLANT, "Bram de Wit-Hoekstra",
                ("Bram de Wit-Hoekstra", "de Wit-Hoekstra", "Wit-Hoekstra")),
            Pii("postcode", KLANT, "Drie nul zeven twee L M", ("3072 LM", "3072LM")),
            Pii("email", KLANT, "b punt dewit apenstaartje example punt com",
                ("b.dewit@example.com",)),
            Pii(
                "phone",
                KLANT,
                "Nul zes, drieëntachtig, vijftien, tweeënzestig, nul zeven",
                ("06 83 15 62 07", "06-83156207", "0683156207", "+31683156207"),
            ),
            Pii("phone", None, "", ("010 387 4219", "010-3874219", "0103874219",
                                    "+31103874219")),
        ),
        distractors=("Telecontrol", "maandag", "donderdag", "half tien", "monteur"),
    ),
    Call(
        call_id="TBI-2026-000103",
        call_start="2026-11-26T14:32:47+01:00",
        employee_id="MW-008",
        caller_number="+31612095573",
        direction="inbound",
        file="call-003.mp3",
        voices={MEDEWERKER: ("nl+klatt", 65), KLANT: ("nl+klatt6", 72)},
        turns=(
            _m("Goedemiddag, TBI Direct klantenservice."),
            _k("Met Fatima El Amrani, een vraag over mijn factuur van november."),
            _m("Wat is uw klantnummer en postcode?"),
            _k("Vier acht zeven twee nul één, postcode vijf zes één één Z T."),
            _m("Wat is uw vraag?"),
            _k("Er staat honderdtwintig euro voor onderhoud van de Remeha, "
               "maar ik heb een servicecontract."),
            _m("Klopt, u krijgt een creditnota. Uw telefoonnummer?"),
            _k("Nul zes, twaalf, nul negen, vijfenvijftig, drieënzeventig."),
        ),
        pii=(
            Pii("name", KLANT, "Fatima El Amrani", ("Fatima El Amrani", "El Amrani")),
            Pii("customer_number", KLANT, "Vier acht zeven twee nul één", ("487201",)),
            Pii("postcode", KLANT, "vijf zes één één Z T", ("5611 ZT", "5611ZT")),
            Pii(
                "phone",
                KLANT,
                "Nul zes, twaalf, nul negen, vijfenvijftig, drieënzeventig",
                ("06 12 09 55 73", "06-12095573", "0612095573", "+31612095573"),
            ),
        ),
        distractors=("TBI Direct", "november", "honderdtwintig euro", "Remeha",
                     "servicecontract", "creditnota"),
    ),
    Call(
        call_id="TBI-2026-000104",
        call_start="2026-11-27T16:05:30+01:00",
        employee_id="MW-023",
        caller_number="+31302748196",
        direction="outbound",
        file="call-004.ogg",
        voices={MEDEWERKER: ("nl+klatt6", 40), KLANT: ("nl+klatt", 50)},
        turns=(
            _m("Goedemiddag, u spreekt met Ruud van TBI Direct. Spreek ik met meneer Brinkman?"),
            _k("Ja, met Joost Brinkman."),
            _m("U had een storing aan uw cv-ketel. Is die verholpen?"),
            _k("Ja, de monteur heeft vanochtend de pomp vervangen. Alles werkt weer."),
            _m("Fijn. Klopt uw postcode nog, drie vijf twee vier H B?"),
            _k("Klopt. En mijn nummer is nul dertig, twee zeven vier, eenentachtig, "
               "zesennegentig."),
            _m("Dank u wel, en een fijn weekend."),
        ),
        pii=(
            Pii("name", MEDEWERKER, "Ruud", ("Ruud",)),
            Pii("name", KLANT, "Joost Brinkman", ("Joost Brinkman", "Brinkman")),
            Pii("postcode", MEDEWERKER, "drie vijf twee vier H B", ("3524 HB", "3524HB")),
            Pii(
                "phone",
                KLANT,
                "nul dertig, twee zeven vier, eenentachtig, zesennegentig",
                ("030 274 81 96", "030-2748196", "0302748196", "+31302748196"),
            ),
        ),
        distractors=("TBI Direct", "cv-ketel", "vanochtend", "pomp", "weekend"),
    ),
    Call(
        call_id="TBI-2026-000105",
        call_start="2026-11-28T11:03:26+01:00",
        employee_id="MW-017",
        caller_number="+31648316702",
        direction="inbound",
        file="call-005.ogg",
        voices={MEDEWERKER: ("nl+klatt", 65), KLANT: ("nl+klatt6", 45)},
        turns=(
            _m("Goedemorgen, TBI Direct klantenservice, u spreekt met Linda. Waarmee kan ik u helpen?"),
            _k("Goedemorgen, met Henk Scholten. Ik ga volgende maand verhuizen en wil mijn "
               "servicecontract meenemen."),
            _m("Dat kan. Mag ik eerst uw klantnummer?"),
            _k("Dat is zes drie nul vier vijf acht."),
            _m("Dank u. En uw huidige postcode en huisnummer?"),
            _k("Postcode acht nul één twee B R, nummer negen."),
            _m("Dat klopt. Wat wordt het nieuwe adres?"),
            _k("Kastanjelaan drieëntwintig in Deventer, postcode zeven vier één één K P."),
            _m("Per welke datum gaat de verhuizing in?"),
            _k("Per vijftien december. Kan de monteur de ketel daar meteen controleren?"),
            _m("Zeker. Ik plan een controlebezoek in de week na de verhuizing. "
               "Op welk nummer kan de monteur u bereiken?"),
            _k("Nul zes, achtenveertig, eenendertig, zevenenzestig, nul twee."),
            _m("En naar welk e-mailadres mag de bevestiging?"),
            _k("h punt scholten apenstaartje example punt com."),
            _m("Dank u wel, meneer Scholten. U krijgt de bevestiging vandaag nog. "
               "Kan ik verder nog iets voor u doen?"),
            _k("Nee, dat was het. Fijne dag."),
        ),
        pii=(
            Pii("name", MEDEWERKER, "Linda", ("Linda",)),
            Pii("name", KLANT, "Henk Scholten", ("Henk Scholten", "Scholten")),
            Pii("customer_number", KLANT, "zes drie nul vier vijf acht", ("630458",)),
            Pii("postcode", KLANT, "acht nul één twee B R", ("8012 BR", "8012BR")),
            Pii("address", KLANT, "Kastanjelaan drieëntwintig", ("Kastanjelaan 23", "Kastanjelaan")),
            Pii("postcode", KLANT, "zeven vier één één K P", ("7411 KP", "7411KP")),
            Pii(
                "phone",
                KLANT,
                "Nul zes, achtenveertig, eenendertig, zevenenzestig, nul twee",
                ("06 48 31 67 02", "06-48316702", "0648316702", "+31648316702"),
            ),
            Pii("email", KLANT, "h punt scholten apenstaartje example punt com", ("h.scholten@example.com",)),
        ),
        distractors=("TBI Direct", "servicecontract", "vijftien december", "monteur", "controlebezoek",
                     "verhuizing"),
        length_s=COACHING_CALL_S,
    ),
    Call(
        call_id="TBI-2026-000106",
        call_start="2026-11-29T13:41:52+01:00",
        employee_id="MW-023",
        caller_number="+31505732814",
        direction="inbound",
        file="call-006.ogg",
        voices={MEDEWERKER: ("nl+klatt6", 40), KLANT: ("nl+klatt6", 72)},
        turns=(
            _m("Telecontrol service desk, goedemiddag, u spreekt met Ruud."),
            _k("Goedemiddag, met Ingrid van der Meulen. Mijn thermostaat geeft al twee dagen een "
               "foutmelding en de verwarming slaat steeds af."),
            _m("Vervelend. Welke melding ziet u op het scherm?"),
            _k("Er staat E vierentwintig."),
            _m("Dat is meestal de temperatuursensor. Mag ik uw postcode en huisnummer?"),
            _k("Negen zeven drie één E S, nummer honderdzeven."),
            _m("Ik zie het, Berkenstraat honderdzeven. Klopt dat?"),
            _k("Ja, dat klopt."),
            _m("Dan stuur ik een monteur. Kan het woensdag tussen acht en twaalf?"),
            _k("Woensdag is goed, dan werk ik thuis."),
            _m("Op welk nummer kan de monteur u bellen als hij onderweg is?"),
            _k("Nul vijftig, vijf zeven drie, achtentwintig, veertien."),
            _m("En wat is uw e-mailadres voor de bevestiging?"),
            _k("ingrid punt vandermeulen apenstaartje example punt com."),
            _m("Dank u, mevrouw Van der Meulen. Zet de thermostaat tot die tijd op de handstand."),
            _k("Dat doe ik. Bedankt voor de hulp."),
            _m("Graag gedaan. Een fijne middag nog."),
        ),
        pii=(
            Pii("name", MEDEWERKER, "Ruud", ("Ruud",)),
            Pii("name", KLANT, "Ingrid van der Meulen",
                ("Ingrid van der Meulen", "Van der Meulen", "van der Meulen")),
            Pii("postcode", KLANT, "Negen zeven drie één E S", ("9731 ES", "9731ES")),
            Pii("address", MEDEWERKER, "Berkenstraat honderdzeven", ("Berkenstraat 107", "Berkenstraat")),
            Pii(
                "phone",
                KLANT,
                "Nul vijftig, vijf zeven drie, achtentwintig, veertien",
                ("050 573 28 14", "050-5732814", "0505732814", "+31505732814"),
            ),
            Pii("email", KLANT, "ingrid punt vandermeulen apenstaartje example punt com",
                ("ingrid.vandermeulen@example.com",)),
        ),
        distractors=("Telecontrol", "thermostaat", "foutmelding", "woensdag", "acht en twaalf",
                     "temperatuursensor", "handstand"),
        length_s=COACHING_CALL_S,
    ),
)


class SampleError(Exception):
    """The call scripts are inconsistent or a tool needed to render them failed."""


def check_calls(calls: tuple[Call, ...]) -> None:
    """Check that the scripts and their metadata agree before any audio is made.

    Raises:
        SampleError: naming the call and the field that is wrong.
    """
    for call in calls:
        where = f"call {call.call_id}"
        if call.direction not in ("inbound", "outbound"):
            raise SampleError(f"{where}: direction {call.direction!r}, use inbound or outbound")
        if Path(call.file).suffix not in ENCODERS:
            raise SampleError(f"{where}: file {call.file!r} must end in one of {sorted(ENCODERS)}")
        if not call.caller_number.startswith("+31") or not call.caller_number[1:].isdigit():
            raise SampleError(
                f"{where}: caller_number {call.caller_number!r} is not E.164, e.g. +31612345678"
            )
        if set(call.voices) != {MEDEWERKER, KLANT}:
            raise SampleError(f"{where}: voices needs exactly {MEDEWERKER!r} and {KLANT!r}")
        script = " ".join(turn.text for turn in call.turns)
        for item in call.pii:
            if item.spoken and item.spoken not in script:
                raise SampleError(f"{where}: pii spoken form {item.spoken!r} is not in the script")
        if call.caller_number not in {form for item in call.pii for form in item.written}:
            raise SampleError(f"{where}: caller_number must also be listed as a pii written form")
        for word in call.distractors:
            if word not in script:
                raise SampleError(f"{where}: distractor {word!r} is not in the script")


def _run(command: list[str]) -> None:
    try:
        subprocess.run(command, check=True, capture_output=True)
    except subprocess.CalledProcessError as err:
        stderr = err.stderr.decode(errors="replace").strip()
        raise SampleError(f"{command[0]} failed (exit {err.returncode}): {stderr}") from err


def _speak(text: str, voice: str, workdir: Path) -> tuple[array.array, int]:
    """Synthesise one turn; returns mono 16-bit samples and their rate."""
    path = workdir / "turn.wav"
    name, pitch = voice
    _run(["espeak-ng", "-v", name, "-p", str(pitch), "-s", str(SPEED_WPM), "-w", str(path), text])
    with wave.open(str(path), "rb") as wav:
        if wav.getnchannels() != 1 or wav.getsampwidth() != 2:
            raise SampleError(f"espeak-ng wrote an unexpected format for voice {voice!r}")
        samples = array.array("h", wav.readframes(wav.getnframes()))
        rate = wav.getframerate()
    return _trim(samples, rate), rate


def _trim(samples: array.array, rate: int) -> array.array:
    """Drop espeak-ng's leading and trailing silence, keeping a 50 ms margin."""
    loud = [i for i, value in enumerate(samples) if abs(value) > SILENCE_LEVEL]
    if not loud:
        return samples
    margin = int(0.05 * rate)
    return samples[max(0, loud[0] - margin):loud[-1] + margin]


def _render(call: Call, workdir: Path) -> Path:
    """Write the call as 16-bit stereo WAV at espeak-ng's rate; left medewerker, right klant."""
    channels = {MEDEWERKER: array.array("h"), KLANT: array.array("h")}
    rate = 0
    for index, turn in enumerate(call.turns):
        samples, turn_rate = _speak(turn.text, call.voices[turn.speaker], workdir)
        if rate and turn_rate != rate:
            raise SampleError(f"call {call.call_id}: espeak-ng changed rate mid-call")
        rate = turn_rate
        gap = LEAD_IN_S if index == 0 else PAUSE_S
        silence = array.array("h", bytes(2 * int(gap * rate)))
        muted = array.array("h", bytes(2 * len(samples)))
        for speaker, channel in channels.items():
            channel.extend(silence)
            channel.extend(samples if speaker == turn.speaker else muted)
    tail = array.array("h", bytes(2 * int(TAIL_S * rate)))
    for channel in channels.values():
        channel.extend(tail)
    stereo = array.array("h", bytes(4 * len(channels[MEDEWERKER])))
    stereo[0::2] = channels[MEDEWERKER]
    stereo[1::2] = channels[KLANT]
    path = workdir / f"{call.call_id}.wav"
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(stereo.tobytes())
    return path


def _encode(source: Path, target: Path) -> None:
    audio_filter, codec = ENCODERS[target.suffix]
    _run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-i", str(source),
          "-af", audio_filter, "-ac", "2", *codec, *_BITEXACT, str(target)])


def _duration_s(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


def _write_csv(calls: tuple[Call, ...], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for call in calls:
            writer.writerow([getattr(call, column) for column in CSV_COLUMNS])


def _write_pii(calls: tuple[Call, ...], path: Path) -> None:
    document = {
        "about": "Invented personal data per sample call. 'turns' is the script as spoken "
                 "(left channel = medewerker, right = klant). 'strings' lists every spoken and "
                 "written form of the personal data; none may appear in logs, flow run data or "
                 "redacted output. A pii item with speaker null is only in calls.csv. "
                 "'distractors' are non-personal words that should survive redaction.",
        "calls": [
            {
                "call_id": call.call_id,
                "file": call.file,
                "turns": [{"speaker": turn.speaker, "text": turn.text} for turn in call.turns],
                "pii": [
                    {"kind": item.kind, "speaker": item.speaker, "spoken": item.spoken,
                     "written": list(item.written)}
                    for item in call.pii
                ],
                "strings": sorted(
                    {form for item in call.pii for form in (item.spoken, *item.written) if form}
                ),
                "distractors": list(call.distractors),
            }
            for call in calls
        ],
    }
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def make_samples(out_dir: Path, calls: tuple[Call, ...] = CALLS) -> list[Path]:
    """Render every call and write calls.csv and samples_pii.json to ``out_dir``.

    Args:
        out_dir: folder to write into; created if missing.
        calls: the call scripts to render.

    Returns:
        The paths written.

    Raises:
        SampleError: when a script is inconsistent, a tool is missing or fails, a call's
            length falls outside its ``length_s`` (15-40 s, or 70-90 s for the coaching
            calls), or the audio together exceeds :data:`MAX_TOTAL_AUDIO_BYTES`.
    """
    check_calls(calls)
    for tool in ("espeak-ng", "ffmpeg"):
        if shutil.which(tool) is None:
            raise SampleError(f"{tool} not found on PATH; install it with "
                              "`apt-get install -y espeak-ng ffmpeg`")
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="callscribe-samples-") as tmp:
        for call in calls:
            master = _render(call, Path(tmp))
            duration = _duration_s(master)
            shortest, longest = call.length_s
            if not shortest <= duration <= longest:
                raise SampleError(f"call {call.call_id} lasts {duration:.1f} s; shorten or "
                                  f"lengthen its turns to {shortest:.0f}-{longest:.0f} s")
            target = out_dir / call.file
            _encode(master, target)
            written.append(target)
    audio_bytes = sum(path.stat().st_size for path in written)
    if audio_bytes > MAX_TOTAL_AUDIO_BYTES:
        raise SampleError(f"audio totals {audio_bytes} bytes, over the {MAX_TOTAL_AUDIO_BYTES} "
                          "limit; shorten the calls or lower the bitrates")
    _write_csv(calls, out_dir / "calls.csv")
    _write_pii(calls, out_dir / "samples_pii.json")
    return [*written, out_dir / "calls.csv", out_dir / "samples_pii.json"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out-dir", type=Path, default=Path(__file__).resolve().parent,
                        help="folder to write the samples to (default: this script's folder)")
    args = parser.parse_args(argv)
    try:
        paths = make_samples(args.out_dir)
    except SampleError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    for path in paths:
        print(f"{path}  {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
