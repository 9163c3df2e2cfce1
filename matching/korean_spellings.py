"""How each Hangul jamo may be written in Latin letters, and by which system.

Only the universe of readings is written here: a spelling that appears in no row is an
impossible reading (score 0). Tags: "mr" (McCune-Reischauer as lists print it, marks
dropped), "dprk" (the DPRK's own system: kh/th/ph), "rr" (Revised Romanization) are
exact readings; "cust" (customary South Korean spellings: Lee, Soo, Young, Chul) and
"merge" (a vowel or consonant another syllable has, e.g. o for ㅜ) are weighted by how
often real names use them (`matching/data/korean_syllable_weights.json`, rebuilt by
`bench/build_korean_weights.py` from the shared Wikidata pairs).
"""

from __future__ import annotations

SYSTEMS = frozenset(("mr", "dprk", "rr"))

# initial jamo (Unicode order) -> ((spelling, tag), ...)
INITIALS: tuple[tuple[tuple[str, str], ...], ...] = (
    (("k", "mr"), ("g", "rr"), ("gh", "cust"), ("c", "merge")),  # ㄱ
    (("kk", "mr"), ("gg", "cust"), ("k", "cust"), ("g", "cust")),  # ㄲ
    (("n", "mr"), ("r", "merge"), ("l", "merge")),  # ㄴ
    (("t", "mr"), ("d", "rr")),  # ㄷ
    (("tt", "mr"), ("dd", "cust"), ("t", "cust"), ("d", "cust")),  # ㄸ
    (("r", "mr"), ("l", "cust"), ("rh", "cust"), ("n", "merge")),  # ㄹ
    (("m", "mr"),),  # ㅁ
    (("p", "mr"), ("b", "rr")),  # ㅂ
    (("pp", "mr"), ("bb", "cust"), ("p", "cust"), ("b", "cust")),  # ㅃ
    (("s", "mr"), ("sh", "mr")),  # ㅅ
    (("ss", "mr"), ("s", "cust"), ("sh", "cust")),  # ㅆ
    (("", "mr"),),  # ㅇ
    (
        ("j", "mr"),
        ("ch", "mr"),
        ("dj", "cust"),
        ("tj", "cust"),
        ("tch", "cust"),
        ("z", "merge"),
    ),  # ㅈ
    (("tch", "mr"), ("jj", "rr"), ("cch", "cust"), ("j", "cust"), ("ch", "cust")),  # ㅉ
    (("ch", "mr"), ("tch", "cust"), ("c", "merge"), ("j", "merge")),  # ㅊ (tch: French)
    (("k", "mr"), ("kh", "dprk"), ("c", "merge"), ("g", "merge")),  # ㅋ
    (("t", "mr"), ("th", "dprk"), ("d", "merge")),  # ㅌ
    (("p", "mr"), ("ph", "dprk"), ("f", "merge"), ("b", "merge")),  # ㅍ
    (("h", "mr"), ("wh", "cust")),  # ㅎ
)

# vowel jamo -> spellings
VOWELS: tuple[tuple[tuple[str, str], ...], ...] = (
    (("a", "mr"), ("ah", "cust")),  # ㅏ
    (("ae", "mr"), ("ai", "cust"), ("ay", "cust"), ("e", "merge")),  # ㅐ
    (("ya", "mr"), ("yah", "cust")),  # ㅑ
    (("yae", "mr"), ("ye", "merge")),  # ㅒ
    (("o", "mr"), ("eo", "rr"), ("u", "cust"), ("uh", "cust"), ("eu", "cust"),
     ("oh", "cust"), ("ur", "cust")),  # ㅓ  (ŏ: lists drop the breve; eu: French, Tcheul)
    (("e", "mr"), ("ae", "merge"), ("eh", "cust")),  # ㅔ
    (("yo", "mr"), ("yeo", "rr"), ("yu", "cust"), ("you", "cust"), ("yeu", "cust"),
     ("e", "merge"), ("ye", "merge")),  # ㅕ
    (("ye", "mr"), ("yae", "merge")),  # ㅖ
    (("o", "mr"), ("oh", "cust"), ("u", "merge"), ("oo", "merge")),  # ㅗ
    (("wa", "mr"), ("wah", "cust")),  # ㅘ
    (("wae", "mr"), ("we", "merge")),  # ㅙ
    (("oe", "mr"), ("oi", "cust"), ("we", "cust"), ("wae", "merge")),  # ㅚ
    (("yo", "mr"), ("yoh", "cust"), ("yu", "merge")),  # ㅛ
    (("u", "mr"), ("oo", "cust"), ("ou", "cust"), ("woo", "cust"), ("wu", "cust"),
     ("o", "merge")),  # ㅜ
    (("wo", "mr"), ("weo", "rr"), ("won", "cust")),  # ㅝ
    (("we", "mr"), ("wae", "merge")),  # ㅞ
    (("wi", "mr"), ("wee", "cust"), ("ui", "merge")),  # ㅟ
    (("yu", "mr"), ("yoo", "cust"), ("you", "cust"), ("yo", "merge")),  # ㅠ
    (("u", "mr"), ("eu", "rr"), ("eo", "merge"), ("o", "merge"), ("oo", "merge")),  # ㅡ (ŭ)
    (("ui", "mr"), ("eui", "cust"), ("i", "cust"), ("ee", "cust"), ("ey", "cust"),
     ("yi", "cust"), ("y", "cust")),  # ㅢ (y: French, Hy)
    (("i", "mr"), ("ee", "cust"), ("yi", "cust"), ("ie", "cust"), ("y", "cust"),
     ("e", "merge")),  # ㅣ
)  # fmt: skip

# final sound class -> spellings ("" is an open syllable)
FINAL_CLASSES = ("", "k", "n", "t", "l", "m", "p", "ng")
FINALS: dict[str, tuple[tuple[str, str], ...]] = {
    "": (("", "mr"), ("h", "cust")),
    "k": (("k", "mr"), ("g", "cust"), ("c", "cust"), ("ck", "cust")),
    "n": (("n", "mr"), ("nn", "cust"), ("hn", "cust")),
    "t": (("t", "mr"), ("d", "cust"), ("s", "merge")),
    "l": (("l", "mr"), ("r", "cust"), ("ll", "cust")),
    "m": (("m", "mr"), ("hm", "cust")),
    "p": (("p", "mr"), ("b", "cust")),
    "ng": (("ng", "mr"), ("n", "merge")),
}

# The final jamo (Unicode order, 0 = none) -> its sound class at a word end.
FINAL_CLASS_OF_JAMO = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l",
                       "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p",
                       "t")  # fmt: skip
# A representative final jamo per class, to compose a canonical syllable.
FINAL_JAMO_OF_CLASS = {"": 0, "k": 1, "n": 4, "t": 7, "l": 8, "m": 16, "p": 17, "ng": 21}
