"""Script detection for names: Latin, Cyrillic, Hangul, or other.

Only letters count; digits, punctuation and spaces are ignored, so "ООО «Альфа» 2" is Cyrillic.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

SCRIPTS = ("latin", "cyrillic", "hangul", "other")


@lru_cache(maxsize=8192)
def _char_script(ch: str) -> str | None:
    """Script of one character, None for non-letters."""
    cp = ord(ch)
    # Fast paths for the ranges that dominate sanctions lists.
    if cp < 0x80:
        return "latin" if ch.isalpha() else None
    if (
        0x0400 <= cp <= 0x052F
        or 0x1C80 <= cp <= 0x1C8F
        or 0x2DE0 <= cp <= 0x2DFF
        or 0xA640 <= cp <= 0xA69F
    ):
        return "cyrillic" if unicodedata.category(ch).startswith(("L", "M")) else None
    if (
        0xAC00 <= cp <= 0xD7A3  # syllables
        or 0x1100 <= cp <= 0x11FF  # jamo
        or 0x3130 <= cp <= 0x318F  # compatibility jamo
        or 0xA960 <= cp <= 0xA97F
        or 0xD7B0 <= cp <= 0xD7FF
    ):
        return "hangul"
    cat = unicodedata.category(ch)
    if cat.startswith("M"):
        return None  # combining marks belong to the preceding letter's script
    if not cat.startswith("L"):
        return None
    # Latin letters with diacritics (é, š, ŏ, ï...) and modifier letters used as
    # soft/hard signs in transliterations (ʹ ʺ) are Latin for our purposes.
    name = unicodedata.name(ch, "")
    if name.startswith("LATIN") or name.startswith("MODIFIER LETTER"):
        return "latin"
    return "other"


def detect_scripts(text: str) -> set[str]:
    """The scripts of the letters in `text`: a subset of {"latin","cyrillic","hangul","other"}."""
    found: set[str] = set()
    for ch in text:
        script = _char_script(ch)
        if script is not None:
            found.add(script)
    return found


@lru_cache(maxsize=65536)
def primary_script(text: str) -> str:
    """One label for the whole text: a single script, "mixed" or "none" (no letters)."""
    found = detect_scripts(text)
    if not found:
        return "none"
    if len(found) == 1:
        return next(iter(found))
    return "mixed"
