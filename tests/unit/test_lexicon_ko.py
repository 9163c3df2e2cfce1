"""The Korean -> English organisation lexicon mined from the lists' parallel names
(bench/build_lexicon_ko.py): the model on the 11 Hangul/English organisation pairs the
lists hold, as the EU Official Journal prints them (the whole of what there is), and the
versioned data agreeing with the hand glossary the engine uses."""

from __future__ import annotations

import json
from importlib import resources

from bench.build_lexicon_ko import mine
from matching.glossary import glossary
from matching.model import Entity


def _org(hangul: str, *english: str) -> Entity:
    return Entity("eu", hangul, "LegalEntity", english[0], aliases=[*english[1:], hangul])


PAIRS = [
    _org("합장강무역회사", "Hapjanggang Trading Corporation"),
    _org("조선남강무역회사", "Korea Namgang Trading Corporation (NTC)",
         "Korea Namgang Trading Company"),
    _org("조선릉라도무역총회사", "Korea Rungrado General Trading Corporation",
         "Rungrado Trading Corporation"),
    _org("조선백호무역회사", "Korea Paekho Trading Corporation", "Joson Paekho Muyok Hoesa"),
    _org("로은산무역회사", "Korea Rounsan Trading Corporation"),
    _org("조선국제전람사", "Korea International Exhibition Corporation"),
    _org("녕변 원자력 연구소", "Yongbyon Nuclear Scientific Research Centre"),
    _org("조선인민군", "Korean People’s Army"),
    _org("로케트공업부", "Ministry of Rocket Industry", "Rocket Industry Department"),
    _org("조선민주주의인민공화국 국가해사감독국", "Maritime Administrative Bureau",
         "Maritime Administration of DPR Korea", "DPRK National Maritime Supervision Bureau"),
    _org("조선대외건설총회사",
         "Korea General Corporation for External Construction (Aliases: KOGEN, GENCO)"),
]


def test_word_alignment_finds_trading_and_korea_not_the_names() -> None:
    words, stats = mine(PAIRS)
    assert stats["organisations"] == 11
    assert words["무역"] == "trading"
    assert words["조선"] == "korea"
    # Overlapping pieces do not claim the same word, and romanised names are no words.
    assert "역회" not in words and "강무" not in words
    assert not {"namgang", "paekho", "rungrado", "hapjanggang"} & set(words.values())


def test_an_entity_without_both_scripts_is_no_pair() -> None:
    words, stats = mine([Entity("eu", "1", "LegalEntity", "Korea Ryonbong General Corporation")])
    assert stats["organisations"] == 0 and words == {}


def test_the_mined_data_agrees_with_the_glossary() -> None:
    raw = json.loads(resources.files("matching").joinpath("data/lexicon_ko_en.json")
                     .read_text("utf-8"))
    assert raw["_stats"]["organisations"] >= 1
    known = glossary().hangul
    for piece, concept in raw["_in_glossary"].items():
        assert " ".join(known[piece]) == concept
    assert raw["words"]["무역"] == "trading" and "trading" in known["무역"]


def test_the_engine_segments_every_mined_word() -> None:
    # The mined pieces fill in where the hand glossary has none (총회: general).
    raw = json.loads(resources.files("matching").joinpath("data/lexicon_ko_en.json")
                     .read_text("utf-8"))
    known = glossary().hangul
    assert set(raw["words"]) <= set(known)
    assert known["총회"] == ("general",)
