from __future__ import annotations

from matching.forms import build_forms
from matching.glossary import canonical_latin, is_concept, segment_hangul, translate_cyrillic


def test_cyrillic_words_by_stem() -> None:
    assert translate_cyrillic("главное") == ("main",)
    assert translate_cyrillic("разведывательного") == ("intelligence",)
    assert translate_cyrillic("управление") == ("directorate",)
    assert translate_cyrillic("банка") == ("bank",)
    assert translate_cyrillic("интеграл") is None


def test_english_variants_are_canonical() -> None:
    assert canonical_latin("banking") == ("bank",)
    assert canonical_latin("chosun") == ("korea",)
    assert canonical_latin("kwangson") == ("kwangson",)
    assert is_concept("bank") and not is_concept("kwangson")


def test_hangul_compounds_are_segmented() -> None:
    assert segment_hangul("조선광선은행") == (
        ("조선", ("korea",)),
        ("광선", None),
        ("은행", ("bank",)),
    )
    assert segment_hangul("단군무역회사") == (
        ("단군", None),
        ("무역", ("trading",)),
        ("회사", ("company",)),
    )
    assert segment_hangul("김정은") == (("김정은", None),)


def test_translated_forms() -> None:
    forms = {f.tokens for f in build_forms("Главное разведывательное управление").forms}
    assert ("main", "intelligence", "directorate") in forms
    forms = {f.tokens for f in build_forms("조선광선은행").forms}
    assert ("korea", "kwangson", "bank") in forms
    forms = {f.tokens for f in build_forms("단군무역회사").forms}
    assert ("dangun", "trading") in forms or ("tangun", "trading") in forms
    assert build_forms("Korea Kwangson Banking Corporation", "Organization", query=False).forms[
        0
    ].tokens == ("korea", "kwangson", "bank")
