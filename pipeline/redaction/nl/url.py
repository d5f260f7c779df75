"""Web addresses (URL), written or dictated, in any case: "www.jansen-loodgieter.nl",
"https://instagram.com/janvries", "w w w punt jansen punt nl", "www punt dakdekkerij de vries punt nl", "mijn website is bakkerij de vries punt nl", "instagram punt com slash
janvries", "facebook punt com schuine streep sanne punt de wit".

A personal site or a profile page names a person; the service desk's own sites and those of the
organisations of ``redaction_rules/public_domains_nl.txt`` and ``not_person_nl.txt`` (brands,
housing corporations, public services, e-mail providers) stay visible when they are said without a
path ("kijk op tbi-direct.nl", "mijnoverheid punt nl"); a profile path on any site
("facebook.com/janvries") is personal. A domain right after an e-mail at-sign ("apenstaartje
gmail punt com") belongs to the e-mail address, not here.
"""

from __future__ import annotations

from pathlib import Path

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult

from callscribe.pipeline.redaction.lexicon import load_word_list
from callscribe.pipeline.redaction.nl.person_context import result

_TLDS = (r"nl|be|com|org|net|eu|info|nu|de|fr|uk|co\.uk|io|me|tv|app|dev|online|shop|site|biz|frl|amsterdam"
         r"|brussels|vlaanderen|gent|nl\.eu|email|website|blog|store|tech|cloud|academy|services|xyz")
_WRITTEN = regex.compile(
    rf"""(?ix)(?<![\p{{L}}\d@._%+-])
    (?P<url>
      (?:https?://|www\.)?
      (?P<host>(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+(?:{_TLDS}))
      (?::\d{{2,5}})?
      (?P<path>/[^\s,;"'<>()]*)?
    )
    (?![\p{{L}}\d@-]|\.[\p{{L}}\d])
    """
)
# Top-level domains said aloud; those that are also Dutch words ("net", "be") only after "www punt".
_SPOKEN_TLDS = r"nl|n[ \t]+l|com|c[ \t]+o[ \t]+m"
_SPOKEN_WWW_TLDS = r"nl|n[ \t]+l|com|c[ \t]+o[ \t]+m|be|b[ \t]+e|org|net|eu|e[ \t]+u|info|frl|io"
_LABEL = r"(?!(?:punt|slash|streep|apenstaartje|at)(?![\p{L}\d]))[\p{L}\d][\p{L}\d-]*"
_SLASH = r"(?:slash|schuine[ \t]+streep|forward[ \t]+slash|streep)"
_SPOKEN = regex.compile(
    rf"""(?ix)(?<![\p{{L}}\d@.])
    (?P<url>
      (?:(?:h[ \t]*t[ \t]*t[ \t]*p[ \t]*s?|https?)[ \t]+(?:dubbele[ \t]+punt|dubbelepunt)[ \t]+{_SLASH}[ \t]+{_SLASH}[ \t]+)?
      (?P<www>(?:w[ \t]+w[ \t]+w|www|wee[ \t]+wee[ \t]+wee)[ \t]+punt[ \t]+)?
      (?P<host>{_LABEL}(?:[ \t]+(?:streepje|koppelteken)[ \t]+{_LABEL})*(?:[ \t]+punt[ \t]+{_LABEL}(?:[ \t]+(?:streepje|koppelteken)[ \t]+{_LABEL})*)*
        [ \t]+punt[ \t]+(?P<tld>(?(www)(?:{_SPOKEN_WWW_TLDS})|(?:{_SPOKEN_TLDS}))))
      (?P<path>(?:[ \t]+{_SLASH}[ \t]+(?:apenstaartje[ \t]+)?{_LABEL}(?:[ \t]+punt[ \t]+{_LABEL})*)*)
    )
    (?![\p{{L}}\d])
    """
)
_BARE_TLDS = frozenset({"nl", "be", "com", "org", "net", "eu", "info", "io", "frl", "shop", "online", "app"})
# A dictated domain of several words after "mijn website is" ("bakkerij de vries punt nl").
_INTRODUCED = regex.compile(
    rf"""(?ix)(?<![\p{{L}}])(?:website|site|webadres|webpagina|homepage|webshop|internetadres)
    (?:[ \t]+(?:is|heet|staat[ \t]+op|:))?[ \t]*:?[ \t]+
    (?P<url>(?:(?:w[ \t]+w[ \t]+w|www)[ \t]+punt[ \t]+)?(?P<host>(?:{_LABEL}[ \t]+){{1,4}}punt[ \t]+(?:{_SPOKEN_WWW_TLDS})))
    (?![\p{{L}}\d])
    """
)
# After a said "www punt", a domain of several words ("www punt dakdekkerij de vries punt nl").
_WWW_WORDS = regex.compile(
    rf"""(?ix)(?<![\p{{L}}\d@.])
    (?P<url>(?:w[ \t]+w[ \t]+w|www|wee[ \t]+wee[ \t]+wee)[ \t]+punt[ \t]+
      (?P<host>(?:{_LABEL}[ \t]+){{1,4}}punt[ \t]+(?:{_SPOKEN_WWW_TLDS}))
      (?P<path>(?:[ \t]+{_SLASH}[ \t]+{_LABEL})*))
    (?![\p{{L}}\d])
    """
)
# Words that make what follows part of an e-mail address, not a web address.
_EMAIL_BEFORE = regex.compile(r"(?i)(?:@|apenstaartje|\bat|\bapestaartje|\bapenstaart)[ \t]*$")

_SCORE_WRITTEN = 0.85
_SCORE_SPOKEN = 0.6


class DutchUrlRecognizer(EntityRecognizer):
    """URL for web addresses of a person: written or dictated, organisations' own sites left visible."""

    def __init__(self, rules_dir: Path):
        super().__init__(
            supported_entities=["URL"], name="DutchUrlRecognizer", supported_language="nl",
            context=["website", "site", "webadres", "internet", "instagram", "facebook", "linkedin", "profiel"],
        )
        self._public = load_word_list(rules_dir / "public_domains_nl.txt") | load_word_list(rules_dir / "not_person_nl.txt")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        found: list[RecognizerResult] = []
        for match in _WRITTEN.finditer(text):
            bare = not regex.match(r"(?i)https?://|www\.", match.group("url"))
            if bare and match.group("host").rsplit(".", 1)[-1].casefold() not in _BARE_TLDS:
                continue  # "zie.de": a typo, not a site
            if self._personal(text, match, match.group("host").split(".")):
                end = match.end("url")
                while end > match.end("host") and text[end - 1] in ".,!?:;":
                    end -= 1  # "kijk op https://jansen.nl/contact." : the full stop ends the sentence
                found.append(result(self, "URL", match.start("url"), end, _SCORE_WRITTEN))
        for match in _INTRODUCED.finditer(text):
            labels = [regex.sub(r"(?i)[ \t]+punt[ \t]+.*$", "", match.group("host")).replace(" ", ""), "nl"]
            if self._personal(text, match, labels):
                found.append(result(self, "URL", match.start("url"), match.end("url"), _SCORE_SPOKEN))
        for match in _WWW_WORDS.finditer(text):
            if any(r.start <= match.start("url") < r.end for r in found):
                continue
            labels = [regex.sub(r"(?i)[ \t]+punt[ \t]+.*$", "", match.group("host")).replace(" ", ""), "nl"]
            if self._personal(text, match, labels):
                found.append(result(self, "URL", match.start("url"), match.end("url"), _SCORE_SPOKEN))
        for match in _SPOKEN.finditer(text):
            labels = regex.split(r"(?i)[ \t]+punt[ \t]+", match.group("host"))
            if any(r.start <= match.start("url") < r.end for r in found):
                continue
            if self._personal(text, match, labels):
                found.append(result(self, "URL", match.start("url"), match.end("url"), _SCORE_SPOKEN))
        return found

    def _personal(self, text: str, match, labels: list[str]) -> bool:
        """False for a domain that is part of an e-mail address or an organisation's own site."""
        if _EMAIL_BEFORE.search(text, max(0, match.start("url") - 15), match.start("url")):
            return False
        names = [regex.sub(r"[ \t]+(?:streepje|koppelteken)[ \t]+", "-", label).casefold() for label in labels[:-1]]
        names = [n for n in names if n not in ("www", "w w w", "wee wee wee", "mijn", "m")]
        if not names:
            return False
        path = (match.groupdict().get("path") or "").strip(" /\t")
        if path:
            return True
        public = any(n in self._public or n.replace("-", "") in self._public for n in names)
        return not public


def recognizers(rules_dir: Path) -> list[EntityRecognizer]:
    return [DutchUrlRecognizer(rules_dir)]
