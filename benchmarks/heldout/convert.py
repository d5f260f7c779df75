"""Inline-annotated calls ([[TYPE:text]]) to the scored format, with checks."""
import json
import re
import sys
from collections import Counter

TYPES = {"PERSON", "PHONE_NUMBER", "EMAIL_ADDRESS", "ADDRESS", "POSTCODE", "LOCATION", "IBAN", "BSN",
         "DATE_OF_BIRTH", "CUSTOMER_ID", "LICENSE_PLATE", "CREDIT_CARD"}
SPAN = re.compile(r"\[\[([A-Z_]+):(.+?)\]\]")


def luhn(d):
    total = 0
    for i, ch in enumerate(reversed(d)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def main(src, dst):
    out, counts, errors = [], Counter(), []
    for line_no, line in enumerate(open(src, encoding="utf-8"), 1):
        if not line.strip():
            continue
        try:
            call = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"line {line_no}: bad JSON: {e}")
            continue
        turns, pii = [], []
        for t, turn in enumerate(call["turns"]):
            text, plain, pos = turn["text"], "", 0
            for m in SPAN.finditer(text):
                kind, surface = m.group(1), m.group(2)
                if kind not in TYPES:
                    errors.append(f"{call['id']} turn {t}: unknown type {kind}")
                plain += text[pos:m.start()]
                start = len(plain)
                plain += surface
                pii.append({"turn": t, "start": start, "end": len(plain), "type": kind, "text": surface})
                counts[kind] += 1
                pos = m.end()
                digits = re.sub(r"\D", "", surface)
                if kind == "BSN" and len(digits) == 9 and surface.strip().replace(" ", "").replace(".", "").isdigit():
                    if sum(int(c) * w for c, w in zip(digits, [9, 8, 7, 6, 5, 4, 3, 2, -1])) % 11:
                        errors.append(f"{call['id']} turn {t}: BSN {surface!r} fails the 11-test")
                if kind == "IBAN" and re.fullmatch(r"[A-Z]{2}\d{2}[A-Z]{4}\d{10}", re.sub(r"\s", "", surface)):
                    s = re.sub(r"\s", "", surface)
                    n = int("".join(str(int(c, 36)) for c in s[4:] + s[:4]))
                    if n % 97 != 1:
                        errors.append(f"{call['id']} turn {t}: IBAN {surface!r} fails mod-97")
                if kind == "CREDIT_CARD" and 13 <= len(digits) <= 19 and re.fullmatch(r"[\d \-]+", surface) and not luhn(digits):
                    errors.append(f"{call['id']} turn {t}: card {surface!r} fails Luhn")
            plain += text[pos:]
            if "[[" in plain or "]]" in plain:
                errors.append(f"{call['id']} turn {t}: unbalanced [[ ]]")
            turns.append({"speaker": turn["speaker"], "text": plain})
        for span in pii:
            assert turns[span["turn"]]["text"][span["start"]:span["end"]] == span["text"]
        out.append({"id": call["id"], "scenario": call.get("scenario", ""), "turns": turns, "pii": pii})
    with open(dst, "w", encoding="utf-8") as f:
        for call in out:
            f.write(json.dumps(call, ensure_ascii=False) + "\n")
    print(f"{len(out)} calls, {sum(counts.values())} spans: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    for e in errors:
        print("ERROR", e)


if __name__ == "__main__":
    main(*sys.argv[1:3])
