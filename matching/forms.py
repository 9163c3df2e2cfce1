"""Comparable forms of one name: every romanisation a list or passport might use,
plus a glossary-translated form for organisation names, all as canonical Latin tokens
with romanisation-insensitive keys."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from unidecode import unidecode

from matching.cyrillic import (
    fold_latin,
    given_name_key,
    romanize_cyrillic,
    romanize_cyrillic_as,
)
from matching.glossary import absorbed, canonical_latin, segment_hangul, translate_cyrillic
from matching.hangul import romanize_hangul
from matching.hangul_foreign import is_legal_form, looks_foreign, strip_hangul_legal_form
from matching.hangul_foreign import readings as foreign_readings
from matching.korean import (
    hangul_syllable_key,
    korean_name_key,
    korean_surname_key,
    korean_syllable_keys,
)
from matching.korean_cyrillic import glued_keys_from_cyrillic, korean_keys_from_cyrillic
from matching.korean_syllables import is_hangul_surname, name_readings
from matching.lexicon import loanword, translate_general, translate_latin, translate_word
from matching.normalize import normalize_name, split_legal_forms
from matching.ordinals import ordinal_number
from matching.scripts import primary_script

KoreanKey = tuple[str, tuple[str, ...]]

# Lists keep one romanisation per foreign-script name: keys fold the rest together.
LIST_CYRILLIC_SCHEME = "icao"
LIST_HANGUL_SCHEME = "mr"
_NATIONAL = ("ukrainian", "belarusian")


@dataclass(frozen=True, slots=True)
class Form:
    text: str  # the romanised/translated text this form stands for
    script: str  # script of the original name
    scheme: str  # "original", a romanisation scheme, or "glossary+<scheme>"
    tokens: tuple[str, ...]  # canonical Latin tokens
    keys: tuple[str, ...]  # romanisation-insensitive key of each token


@dataclass(frozen=True, slots=True)
class NameForms:
    name: str
    script: str
    forms: tuple[Form, ...]
    korean: tuple[KoreanKey, ...]  # readings as a Korean personal name (query: both orders)
    legal_forms: tuple[str, ...]


_MARKS = str.maketrans("", "", "’ʹʺʼ'`´")


@lru_cache(maxsize=262144)
def token_key(token: str) -> str:
    """Romanisation-insensitive key of a Latin token (Sergey/Sergei/Sergej -> one key)."""
    if token_script(token) != "latin":
        return token
    key = fold_latin(token) if token.isalpha() else ""
    # Given-name equivalents (Oleksandr = Aleksandr) share one key.
    return given_name_key(key) if key else unidecode(token)


@lru_cache(maxsize=65536)
def token_script(token: str) -> str:
    for ch in token:
        o = ord(ch)
        if 0x400 <= o <= 0x52F:
            return "cyrillic"
        if 0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
            return "hangul"
    return "latin"


@lru_cache(maxsize=65536)
def _cyr(token: str) -> dict[str, str]:
    return romanize_cyrillic(token)


@lru_cache(maxsize=65536)
def _hangul(token: str) -> dict[str, str]:
    return romanize_hangul(token)


def _romanized(token: str, script: str, scheme: str | None, joined: bool) -> list[str]:
    variants = _cyr(token) if script == "cyrillic" else _hangul(token)
    text = variants.get(scheme or "", "")
    if not text and script == "cyrillic" and scheme:
        # Dropped as equal to an earlier scheme's rendering, which need not be the first.
        text = romanize_cyrillic_as(token, scheme)
    text = text or next(iter(variants.values()), token)
    parts = [p for p in text.replace("-", " ").replace("'", "").split() if p]
    if joined and script == "hangul":
        return ["".join(parts)]
    return parts


# Turkic patronymics are written "Marat kyzy" / "Heydar oglu" or Russian-style
# "Maratovna" / "Heydarovich": the two-word form becomes the Russian one.
_TURKIC_PATRONYMIC = {
    "kyzy": "ovna", "kizi": "ovna", "qizi": "ovna", "gyzy": "ovna", "kyzi": "ovna",
    "oglu": "ovich", "ogly": "ovich", "ogli": "ovich", "ugli": "ovich", "uly": "ovich",
    "uuly": "ovich",
}  # fmt: skip


def _finish(
    raw: list[str], schema: str | None, *, strip_legal: bool = True
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    tokens: list[str] = []
    for t in raw:
        t = t.lower().translate(_MARKS)
        if not t:
            continue
        ending = _TURKIC_PATRONYMIC.get(t)
        if ending and schema in (None, "Person") and tokens and tokens[-1].isalpha():
            tokens[-1] += ending
            continue
        if tokens and tokens[-1].isdigit() and t in _ORDINAL_ENDINGS:
            continue  # 5-й, 5-y, 33-го: the number is the name's word
        ordinal = _ORDINAL.match(t)
        if ordinal:
            t = ordinal.group(1)  # 33rd = 33
        elif t.isascii() and schema != "Person" and (number := ordinal_number(t)) is not None:
            t = number  # Tenth = 10th = 10
        if t.isascii():
            tokens.extend(canonical_latin(t))
        else:
            tokens.append(t)
    if schema != "Person" and strip_legal:
        tokens, _ = split_legal_forms(tokens)
    return tuple(tokens), tuple(token_key(t) for t in tokens)


# An ordinal is its number: 33rd, 5th, 5-й, 5-y (lists write either).
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
_ORDINAL_ENDINGS = frozenset([
    "y", "i", "j", "yi", "iy", "ij", "ii", "yy", "ya", "ia", "ja", "aya", "e", "oe", "ye",
    "go", "ogo", "yj", "й", "я", "е", "го", "ого", "ый", "ий", "ая", "ое",
])
_PAREN = re.compile(r"\([^()]*\)")
# A one-letter prefix joined by a hyphen is also written solid: T-Bank = TBank.
_LETTER_HYPHEN = re.compile(r"(?<!\w)(\w)-(\w)")


def build_forms(name: str, schema: str | None = None, *, query: bool = True) -> NameForms:
    """All forms of `name`. Queries get every romanisation scheme; list names one per
    script (the keys make the schemes equivalent) plus their glossary translation.
    A parenthesised part ("(VGTRK)", "(Aliases: KOGEN)") also gives forms without it,
    a one-letter prefix ("T-Bank") forms with it joined ("TBank"), and an organisation's
    parts forms of their own (name_parts: quoted core names, a short name in brackets,
    "X / Y" and "X - Y" alternatives)."""
    full = _build_forms(name, schema, query=query)
    forms = full.forms
    korean = full.korean
    seen = {f.keys for f in forms}
    alts = [_PAREN.sub(" ", name).strip(), _LETTER_HYPHEN.sub(r"\1\2", name)]
    whole = len(alts)
    if schema != "Person":
        alts.extend(name_parts(name))
    elif "/" in name:
        alts.extend(p.strip() for p in _SLASHED.split(name))
    for n, alt in enumerate(alts):
        if alt == name or not alt:
            continue
        extra = _build_forms(alt, schema, query=query)
        # A part that is one short word alone (ИСИ of АО “ИСИ ‘Взлет’”) meets unrelated
        # acronyms on the lists (ISI, Al-Qaida in Iraq): the part's other words must count.
        short = n >= whole and _one_short_word(alt, schema)
        forms += tuple(f for f in extra.forms if f.keys not in seen and not (
            short and len(f.tokens) == 1))
        seen.update(f.keys for f in extra.forms)
        korean = korean or extra.korean
    if forms is full.forms:
        return full
    return NameForms(name, full.script, forms, korean, full.legal_forms)


# Quote pairs as written in Russian, Ukrainian, German and English names; ' and ’ are
# apostrophes inside a word (Мар’їнка, O'Neil), quotes only at a word's edge.
_CLOSERS = {"«": "»", "“": "”", "‘": "’", "„": "“”", "‚": "‘’", "‹": "›", '"': '"', "'": "'"}


def _edge(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not (before.isalnum() and after.isalnum())


def quoted_spans(name: str) -> list[tuple[int, int, int]]:
    """(start, end, depth) of each balanced quoted part of `name`, pairs matched by
    kind (« with », “ with ”, ‘ with ’...), so that nested quotes of different kinds
    (АО “ИСИ ‘Взлет’”) are read as written."""
    stack: list[tuple[str, int]] = []
    spans: list[tuple[int, int, int]] = []
    for i, ch in enumerate(name):
        if stack and ch in _CLOSERS[stack[-1][0]] and (ch not in "'’" or _edge(name, i)):
            start = stack.pop()[1]
            spans.append((start + 1, i, len(stack)))
        elif ch in _CLOSERS and (ch not in "'" or _edge(name, i)):
            stack.append((ch, i))
    while stack:  # an unclosed quote runs to the end (Корпорация «МиГ» (АО «РСК «МиГ»)
        spans.append((stack.pop()[1] + 1, len(name), len(stack)))
    return spans


_QUOTES = re.compile(r"[«»“”‘’\"„‚‹›]|(?<!\w)'|'(?!\w)")
# A person's names side by side: the EU writes the Russian and Ukrainian forms as
# "Дмитрий Викторович ПОДЛИПАНОВ / Дмитро Вiкторович ПОДЛИПАНОВ".
_SLASHED = re.compile(r"(?<=\w)/(?=\w)|\s+/\s+")
# "X - Y", "X/Y", "X a.k.a. Y": one name's alternatives
_ALTERNATIVES = re.compile(
    rf"\s[-–—]\s|{_SLASHED.pattern}|\s+a\.k\.a\.?\s+", re.IGNORECASE
)
PART_MIN = 4  # letters a lone one-word part needs to be searched on its own (ИСИ: no)


def quoted_core(name: str) -> str:
    """The innermost quoted name inside a long legal form: Акционерное общество «Вятское
    машиностроительное предприятие «АВИТЕК»» -> АВИТЕК; JSC Commercial Bank “Forshtadt”
    -> Forshtadt. Empty when there is none or it is the whole name."""
    spans = quoted_spans(name)
    inner = [(a, b) for a, b, _ in spans if not any(a < c and d < b for c, d, _ in spans)]
    core = name[inner[-1][0]:inner[-1][1]].strip() if inner else ""
    return core if core and len(core) < len(name.strip()) - 2 else ""


def _one_short_word(part: str, schema: str | None) -> bool:
    """True when `part`, less its legal forms, is one word of fewer than PART_MIN
    letters as written (СТЦ, though romanised STTs)."""
    tokens = normalize_name(part, schema).tokens
    return len(tokens) == 1 and len(tokens[0]) < PART_MIN


def name_parts(name: str) -> list[str]:
    """Parts of an organisation's name that are names themselves: the innermost quoted
    core and the quoted name around it (АО “ИСИ ‘Взлет’” -> Взлет, ИСИ Взлет), the same
    inside a bracketed short name ((АО «РСК «МиГ») -> РСК МиГ), and the sides of "X / Y"
    and "X - Y" (МЗКТ - Минский завод колёсных тягачей). build_forms keeps a part's
    one-word forms only from PART_MIN letters."""
    out: list[str] = []
    pieces = [name, *(m[1:-1] for m in _PAREN.findall(name))]
    pieces += [p for p in _ALTERNATIVES.split(_PAREN.sub(" ", name))
               if p.strip() != name.strip()]
    for piece in pieces:
        spans = quoted_spans(piece)
        # innermost quoted parts, then the outermost quotes that hold others
        found = [piece[a:b] for a, b, _ in spans if not any(a < c and d < b for c, d, _ in spans)]
        found += [_QUOTES.sub(" ", piece[a:b]) for a, b, depth in spans if depth == 0
                  and any(a < c and d < b for c, d, _ in spans)]
        if piece is not name:
            found.append(piece)
        for part in found:
            part = " ".join(part.split())
            if part and part not in out and part != name.strip():
                out.append(part)
    return out


def _build_forms(name: str, schema: str | None, *, query: bool) -> NameForms:
    parts = normalize_name(name, schema)
    toks = list(parts.tokens)
    scripts = [token_script(t) for t in toks]
    script = primary_script(name)
    foreign = [t for t, s in zip(toks, scripts, strict=True) if s != "latin"]
    variants: list[tuple[str, list[str]]] = []
    org = schema not in (None, "Person")
    if not foreign:
        variants.append(("original", toks))
        if query and (schema in _ORG_SCHEMAS or (schema is None and parts.legal_forms)):
            variants.extend(_latin_translated(toks))
    else:
        sample = foreign[0]
        s0 = token_script(sample)
        table = _cyr(sample) if s0 == "cyrillic" else _hangul(sample)
        if query:
            schemes: list[str] = list(table)
            if s0 == "cyrillic":
                # The national forms of the whole name: its first word may not show
                # them (Аліна is alina in every scheme, Сяргееўна is not).
                whole = _cyr(" ".join(t for t, s in zip(toks, scripts, strict=True) if s == s0))
                schemes += [s for s in _NATIONAL if s in whole and s not in table]
        else:
            schemes = [LIST_CYRILLIC_SCHEME if s0 == "cyrillic" else LIST_HANGUL_SCHEME]
        # Joined syllables ("kwangson") for organisation-like Hangul only: a joined
        # personal name ("kimjongun") only creates false neighbours.
        long_hangul = any(s == "hangul" and len(t) >= 4 for t, s in zip(toks, scripts, strict=True))
        joins = (False, True) if org or (schema is None and long_hangul) else (False,)
        # A foreign name in Hangul (세르게이, 레이디) read as Korean syllables only meets
        # other names by shared syllables: it is read back by `_foreign_forms` instead.
        foreign_looking = s0 == "hangul" and any(
            looks_foreign(t) for t, s in zip(toks, scripts, strict=True) if s == "hangul"
        )
        for scheme in schemes if not (query and foreign_looking) else ():
            for joined in joins:
                out: list[str] = []
                for t, s in zip(toks, scripts, strict=True):
                    out.extend(
                        [t]
                        if s == "latin"
                        else _romanized(t, s, scheme if s == s0 else None, joined)
                    )
                variants.append((scheme + ("+joined" if joined else ""), out))
        if schema != "Person":
            variants.extend(_glossary_variants(toks, scripts, schemes if query else schemes[:1]))
    forms: list[Form] = []
    seen: set[tuple[str, ...]] = set()
    # Schemes often spell every word alike: the same words give the same form, once.
    seen_raw: set[tuple[bool, tuple[str, ...]]] = set()
    for scheme, raw in variants:
        # Romanised Hangul syllables are no Latin legal forms ("sa" is 사, not S.A.).
        hangul_plain = script in ("hangul", "mixed") and not scheme.startswith(
            ("glossary", "original")
        )
        signature = (hangul_plain, tuple(raw))
        if signature in seen_raw:
            continue
        seen_raw.add(signature)
        tokens, keys = _finish(raw, schema, strip_legal=not hangul_plain)
        if not tokens or keys in seen:
            continue
        seen.add(keys)
        forms.append(Form(" ".join(tokens), script, scheme, tokens, keys))
    korean: tuple[KoreanKey, ...] = ()
    if schema in (None, "Person") and len(toks) <= 5:
        korean = _korean_keys(name, forms, both_orders=query)
    if "hangul" in scripts and not _korean_surname_first(korean, toks, scripts):
        # Lists: one form (the likeliest reading), so that a Hangul query meets it word
        # by word; queries: every reading rank.
        extra = _foreign_forms(toks, scripts, script, FOREIGN_READINGS if query else 1)
        if query or any(looks_foreign(t) for t in toks):
            forms.extend(f for f in extra if f.keys not in seen)
    return NameForms(name, script, tuple(forms), korean, parts.legal_forms)


_ORG_SCHEMAS = ("Company", "Organization", "LegalEntity")


def _latin_translated(toks: list[str]) -> list[tuple[str, list[str]]]:
    """An organisation's name transliterated from Russian into Latin, translated word by
    word (OAO Wysokototschnye Kompleksy -> high precision systems)."""
    raw: list[str] = []
    hit = False
    for t in toks:
        words = translate_latin(t, token_key(t)) if t.isalpha() and len(t) >= 5 else None
        if words:
            hit = True
            raw.extend(words)
        else:
            raw.append(t)
    return [("glossary+latin", raw)] if hit else []


def _korean_surname_first(
    korean: tuple[KoreanKey, ...], toks: list[str], scripts: list[str]
) -> bool:
    """A Hangul name read as Korean whose surname is a known one (앙가라 reads as a Korean
    name too, but 앙 is no surname): foreign readings would only add false neighbours."""
    if not korean:
        return False
    hangul = [t for t, s in zip(toks, scripts, strict=True) if s == "hangul"]
    # Korean names are written in words of at most two syllables (김 정은, 정은 김, 남궁 민수)
    # or solid (김정은): 유리 차이카 is a foreign name whose first syllable is a surname.
    if len(hangul) > 1:
        # In words, one of them is the surname itself: 로만 푸틴 (Roman Putin, 로 a
        # surname) and 이반 사빈 have none.
        return all(len(w) <= 2 for w in hangul) and any(is_hangul_surname(w) for w in hangul)
    return any(is_hangul_surname(w[:1]) or is_hangul_surname(w[:2]) for w in hangul)


FOREIGN_READINGS = 3  # forms per Hangul-written foreign name: its likeliest Latin readings
SCORED_READINGS = 2  # of those, the ranks scored as whole-name forms
SEARCH_ONLY = "foreign+search"  # a form that finds candidates and is not scored


def _foreign_forms(toks: list[str], scripts: list[str], script: str, ranks: int) -> list[Form]:
    """A foreign name written in Hangul (세르게이 코즐로프): tokens stay Hangul, so the
    alignment shows them as written; keys are the learned Latin readings (sergey kozlov),
    one form per reading rank. Korean legal forms are dropped before or after the name,
    also when written solid (인텔렉트유한책임회사)."""
    words: list[tuple[str, str]] = []
    for t, s in zip(toks, scripts, strict=True):
        if s == "hangul":
            t = strip_hangul_legal_form(t)
            if not t or is_legal_form(t):
                continue
        words.append((t, s))
    if not any(s == "hangul" for _, s in words):
        return []
    out: list[Form] = []
    tokens = [t for t, _ in words]
    readings_of: list[tuple[str, ...]] = []
    for t, s in words:
        if s != "hangul":
            readings_of.append((token_key(t),))
            continue
        found = foreign_readings(t, FOREIGN_READINGS)
        if not found:
            return out
        readings_of.append(tuple(token_key(r) for r, _ in found))
    # Scored: one form per reading rank up to SCORED_READINGS (every word's best, every
    # word's second best). Searched only: each word's later readings beside the others'
    # best, so that one unlikely word does not drag the whole name's search off (차이카
    # 유리 is also searched as chaika yuri when 차이카 reads chaka, chaka... first); the
    # model still reads each Hangul word against any list word when scoring. (Scoring
    # those forms too cost a quarter more time for no recall on the dev split.)
    scored = [
        tuple(o[min(rank, len(o) - 1)] for o in readings_of)
        for rank in range(min(ranks, SCORED_READINGS))
    ]
    search: list[tuple[str, ...]] = []
    for rank in range(SCORED_READINGS, ranks):
        for pos, opts in enumerate(readings_of):
            if rank < len(opts):
                best = [o[0] for o in readings_of]
                best[pos] = opts[rank]
                search.append(tuple(best))
    for scheme, combos in (("foreign", scored), (SEARCH_ONLY, search)):
        for combo in combos:
            if all(combo != f.keys for f in out):
                out.append(Form(" ".join(tokens), script, scheme, tuple(tokens), combo))
    if ranks > 1:
        # The pairs mostly hold English names: 브 reads b first (Bryan), 킨 kin. Russian
        # names write в as ㅂ (예브게니 = Yevgeny, 이바노프 = Ivanov), and clerks write х
        # as ㅋ (아노킨 = Anokhin): the best readings are also searched that way.
        for rank, jamo, latin, russian in RUSSIAN_FORMS:
            if rank >= len(out):
                continue
            keys = list(out[rank].keys)
            for pos, (t, s) in enumerate(words):
                options = foreign_readings(t, FOREIGN_READINGS) if s == "hangul" else ()
                if rank < len(options) and _has_initial(t, jamo):
                    keys[pos] = token_key(options[rank][0].replace(latin, russian))
            if all(tuple(keys) != f.keys for f in out):
                out.append(Form(out[rank].text, script, "foreign", out[rank].tokens, tuple(keys)))
    return out


# (reading rank, initial jamo, letter read, the Russian letter it often is): в written ㅂ,
# х written ㅋ, in the best reading (each extra form costs a search and its scoring).
RUSSIAN_FORMS = ((0, 7, "b", "v"), (0, 15, "k", "kh"))


def _has_initial(word: str, jamo: int) -> bool:
    return any(0 <= ord(c) - 0xAC00 < 11172 and (ord(c) - 0xAC00) // 588 == jamo for c in word)


def _glossary_variants(
    toks: list[str], scripts: list[str], schemes: list[str]
) -> list[tuple[str, list[str]]]:
    hit = False
    out: list[tuple[str, list[str]]] = []
    for scheme in schemes:
        raw: list[str] = []
        prev: tuple[str, ...] | None = None  # concept of the previous word
        for t, s in zip(toks, scripts, strict=True):
            if s == "cyrillic":
                # The hand glossary first (concepts), then the lexicon mined from the lists.
                concept = translate_cyrillic(t) or translate_word(t)
                if concept:
                    hit = True
                    if not absorbed(prev, concept):
                        raw.extend(concept)
                elif (loan := loanword(t)) is not None:
                    # A loan from English: its stem romanised, the English ending put
                    # back (программирования -> programming).
                    hit = True
                    parts = _romanized(loan[0], s, scheme, False)
                    raw.extend([*parts[:-1], parts[-1] + loan[1]] if parts else [t])
                elif (number := ordinal_number(t)) is not None:
                    raw.append(number)  # Десятый = Tenth = 10th = 10
                elif (general := translate_general(t)) is not None:
                    # A general dictionary's word: only inside a name already read as an
                    # organisation's (a hit above), so personal names stay as written.
                    raw.append(general)
                else:
                    raw.extend(_romanized(t, s, scheme, False))
                prev = concept
            elif s == "hangul":
                for piece, concept in segment_hangul(t):
                    if concept:
                        hit = True
                        if not absorbed(prev, concept):
                            raw.extend(concept)
                    else:
                        raw.extend(_romanized(piece, s, scheme, True))
                    prev = concept
            else:
                raw.append(t)
                prev = None
        out.append(("glossary+" + scheme, raw))
    return out if hit else []


def _hangul_key(name: str) -> KoreanKey | None:
    """Key of a Hangul personal name straight from its syllables ("김정은", "김 정은");
    None for organisation-like compounds (무역, 상사...) and unusual lengths."""
    words = [w for w in name.split() if w]
    if not words or any(token_script(w) != "hangul" or not w.isalpha() for w in words):
        return None
    if any(concept for w in words for _, concept in segment_hangul(w)):
        return None
    if len(words) == 1 and 2 <= len(words[0]) <= 4:
        surname, given = words[0][0], words[0][1:]
    elif len(words) == 2 and len(words[0]) <= 2 and 1 <= len(words[1]) <= 3:
        surname, given = words[0], words[1]
    else:
        return None
    try:
        return (
            "".join(hangul_syllable_key(c) for c in surname),
            tuple(hangul_syllable_key(c) for c in given),
        )
    except (ValueError, KeyError):
        return None


def _korean_keys(name: str, forms: list[Form], *, both_orders: bool) -> tuple[KoreanKey, ...]:
    """Korean name keys of `name`; with both_orders also the Western order
    ("Yeong-hyuk Lim" read as LIM, Yeong Hyuk)."""
    if forms and forms[0].script == "hangul":
        text = " ".join(normalize_name(name, "Person").tokens)
        key = _hangul_key(text)
        if key is None or not both_orders:
            return (key,) if key is not None else ()
        # Western form fields give the surname last ("정은 김"): block on that reading too.
        out = [key]
        for r in name_readings(text, query=True):
            alt = (
                "".join(hangul_syllable_key(c) for c in r.surname.text),
                tuple(hangul_syllable_key(g.text) for g in r.given),
            )
            if alt not in out:
                out.append(alt)
        return tuple(out)
    if forms and forms[0].script == "cyrillic":
        # Korean names in Kontsevich or customary Cyrillic (Ким Чен Ын, ЛИ Чхан Хо). The raw
        # name keeps capitals and commas that mark the surname; the fallback drops titles.
        # Queries keep every reading (Чон is 정 or 전); lists index the best one.
        cyr = korean_keys_from_cyrillic(name) or korean_keys_from_cyrillic(
            " ".join(normalize_name(name, "Person").tokens)
        )
        if both_orders and not cyr:
            cyr = glued_keys_from_cyrillic(name)  # КИМЧЕНЫН
        return cyr if both_orders else cyr[:1]
    texts = [name]
    if both_orders:
        words = texts[0].replace(",", " ").split()
        if len(words) >= 2 and "," not in texts[0] and korean_surname_key(words[-1]):
            texts.append(f"{words[-1]}, {' '.join(words[:-1])}")
    keys: list[KoreanKey] = []
    for text in texts:
        try:
            key = korean_name_key(text)
        except (ValueError, KeyError):
            key = None
        if key is not None and key not in keys:
            keys.append(key)
    if both_orders and not keys and len(texts[0].split()) == 1:
        # One glued token ("KIMJONGUN"): a known surname spelling, then the given name.
        for r in name_readings(texts[0], query=True):
            sk = korean_surname_key(r.surname.text)
            gk = tuple((korean_syllable_keys(g.text) or [""])[0] for g in r.given)
            if sk is not None and all(gk) and (sk, gk) not in keys:
                keys.append((sk, gk))
    return tuple(keys)
