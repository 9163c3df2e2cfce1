"""What list files say in prose rather than in fields: related parties named only in
free text ("Associated with X", "(Parent company):X", "brother of Y (QDi.301)") and
links to the official documents behind an entry (an INTERPOL-UN notice, OFAC's
directives page, the EUR-Lex publication). Kept as published: the loaders store the
statements and URLs, the profile shows them."""

from __future__ import annotations

import bisect
import re
from urllib.parse import urlsplit

# Relations the lists write in prose (UN comments, UK "Other Information" and statements
# of reasons, EU remarks). Longest first, so "family member of" wins over "member of".
RELATIONS = (
    "owned or controlled by", "acting on behalf of", "business associate of",
    "family member of", "associated with", "affiliated with", "subsidiary of",
    "parent company", "linked to", "acting for", "director of", "owner of",
    "associate of", "member of", "spouse of", "husband of", "wife of", "son of",
    "daughter of", "brother of", "sister of", "father of", "mother of", "cousin of",
    "nephew of", "niece of", "uncle of",
)
_RELATION = re.compile(r"\b(" + "|".join(re.escape(r) for r in RELATIONS) + r")\b", re.I)
# Sentence ends and UK "(Key):value" segments both start a new statement (each pattern
# starts with a literal, so the scan is quick).
_SENTENCE_END = re.compile(r"[.;]\s+(?=[A-Z(])")
_KEY_START = re.compile(r"\s\((?=[A-Z][^()]{1,40}\):)")
_URL = re.compile(r"https?://[^\s<>\"';,]+", re.I)
# Official sources only: lists also give the designated party's own website, which is
# not a document about the designation (and not a link to hand an analyst).
OFFICIAL_DOMAINS = (
    "interpol.int", "un.org", "treasury.gov", "treas.gov", "europa.eu", "gov.uk",
    "state.gov", "doc.gov", "trade.gov", "opensanctions.org", "gov.ua",
)
_MAX_STATEMENT = 400
# One page per entry, addressed by the id the file gives.
OFAC_ENTRY = "https://sanctionssearch.ofac.treas.gov/Details.aspx?id="
OPENSANCTIONS_ENTITY = "https://www.opensanctions.org/entities/"
EUR_LEX = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:"


def related_statements(*texts: str | None) -> list[str]:
    """The statements (sentences, or UK "(Key):value" segments) that name a related
    party, verbatim; long ones are cut at _MAX_STATEMENT characters."""
    out: list[str] = []
    for text in texts:
        if not text:
            continue
        flat = " ".join(text.split())
        low = flat.lower()
        if len(low) != len(flat):  # a rare letter whose lower case is longer: no offsets
            low = "".join(c if len(c.lower()) != 1 else c.lower() for c in flat)
        # Only the statements around a relation are cut out: most of a long statement of
        # reasons names none, and is never split.
        bounds: list[int] | None = None
        for start in _relation_starts(low):
            if bounds is None:
                bounds = sorted({0, len(flat), *(m.end() for m in _SENTENCE_END.finditer(flat)),
                                 *(m.start() for m in _KEY_START.finditer(flat))})
            i = bisect.bisect_right(bounds, start)
            segment = flat[bounds[i - 1]:bounds[i]].strip()
            cut = segment if len(segment) <= _MAX_STATEMENT else (
                segment[: _MAX_STATEMENT - 1] + "…")
            if cut and cut not in out:
                out.append(cut)
    return out


def _relation_starts(low: str) -> list[int]:
    """Where each relation named in the lower-cased text begins. str.find per phrase:
    a regex alternation of the phrases costs several times more on every list's prose."""
    starts = []
    for phrase in RELATIONS:
        at = low.find(phrase)
        while at != -1:
            end = at + len(phrase)
            if (at == 0 or not low[at - 1].isalnum()) and (
                    end == len(low) or not low[end].isalnum()):
                starts.append(at)
            at = low.find(phrase, end)
    return sorted(starts)


def official_urls(*texts: str | None) -> list[str]:
    """URLs in the text whose host is an official source (see OFFICIAL_DOMAINS)."""
    out: list[str] = []
    for text in texts:
        if not text or "http" not in text.lower():
            continue
        for match in _URL.finditer(text):
            url = match.group(0).rstrip(".)")
            if is_official(url) and url not in out:
                out.append(url)
    return out


def is_official(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == d or host.endswith("." + d) for d in OFFICIAL_DOMAINS)


def first_relation(statement: str) -> tuple[str, str] | None:
    """(relation, the text after it) of the statement's relation whose object is a
    party rather than another relation ("owned or controlled by or otherwise associated
    with the SSRC" gives ("associated with", "the SSRC"))."""
    found = None
    for match in _RELATION.finditer(statement):
        rest = statement[match.end():].lstrip(" :)")
        if rest and not rest.lower().startswith(("or ", "and ", "/")):
            return match.group(1).lower(), rest
        found = found or (match.group(1).lower(), rest)
    return found
