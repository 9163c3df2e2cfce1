"""Single import point for the transliteration API (scripts, cyrillic, korean modules).

Temporary fallbacks keep the engine usable until those modules land.
"""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

try:
    from matching.scripts import detect_scripts, primary_script
except ImportError:  # pragma: no cover - fallback until matching.scripts lands

    def detect_scripts(text: str) -> set[str]:
        out: set[str] = set()
        for ch in text:
            o = ord(ch)
            if 0x400 <= o <= 0x52F:
                out.add("cyrillic")
            elif 0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
                out.add("hangul")
            elif ch.isalpha():
                out.add("latin" if unicodedata.name(ch, "").startswith("LATIN") else "other")
        return out

    def primary_script(text: str) -> str:
        s = detect_scripts(text)
        if not s:
            return "none"
        return s.pop() if len(s) == 1 else "mixed"


try:
    from matching.cyrillic import fold_latin, romanize_cyrillic
except ImportError:  # pragma: no cover
    import iuliia

    def romanize_cyrillic(text: str) -> dict[str, str]:
        t = text.replace("ё", "е").replace("Ё", "Е")
        out = {
            "icao": iuliia.ICAO_DOC_9303.translate(t),
            "bgn_pcgn": iuliia.BGN_PCGN.translate(t),
            "gost": iuliia.GOST_779.translate(t),
            "unidecode": unidecode(t),
        }
        return {k: v.lower() for k, v in out.items()}

    def fold_latin(token: str) -> str:
        t = unidecode(token).lower()
        for a, b in (("shch", "s"), ("kh", "h"), ("ch", "c"), ("sh", "s"), ("zh", "z"),
                     ("ts", "c"), ("tz", "c"), ("yu", "u"), ("ju", "u"), ("iu", "u"),
                     ("ya", "a"), ("ja", "a"), ("ia", "a"), ("ye", "e"), ("je", "e"),
                     ("y", "i"), ("j", "i"), ("w", "v"), ("ks", "x")):
            t = t.replace(a, b)
        t = re.sub(r"[^a-z]", "", t)
        return re.sub(r"(.)\1+", r"\1", t)


try:
    from matching.hangul import romanize_hangul
except ImportError:  # pragma: no cover

    def romanize_hangul(text: str) -> dict[str, str]:
        return {"unidecode": " ".join(unidecode(ch).strip() for ch in text).lower()}


try:
    from matching.korean import korean_name_key
except ImportError:  # pragma: no cover

    def korean_name_key(name: str) -> tuple[str, tuple[str, ...]] | None:
        return None


__all__ = [
    "detect_scripts",
    "fold_latin",
    "korean_name_key",
    "primary_script",
    "romanize_cyrillic",
    "romanize_hangul",
]
