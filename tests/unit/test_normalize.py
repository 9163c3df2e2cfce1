from __future__ import annotations

import pytest

from matching.normalize import normalize_name, split_legal_forms, strip_vessel_prefix, tokenize


def test_tokenize_quotes_punctuation_case() -> None:
    assert tokenize("ООО «Интеграл»") == ["ооо", "интеграл"]
    assert tokenize("KANG, P'il-Hun") == ["kang", "pil", "hun"]
    assert tokenize("Вале́рий") == ["валерий"]  # stress mark dropped


@pytest.mark.parametrize(
    ("text", "tokens", "form"),
    [
        ("ООО «Интеллект»", ("интеллект",), "llc"),
        ("OOO Intellekt", ("intellekt",), "llc"),
        ("Intellekt LLC", ("intellekt",), "llc"),
        ("Intellekt Limited Liability Company", ("intellekt",), "llc"),
        ('Общество с ограниченной ответственностью "Интеллект"', ("интеллект",), "llc"),
        ("АО Ангара", ("ангара",), "jsc"),
        ("Angara JSC", ("angara",), "jsc"),
        ("ПАО Сбербанк", ("сбербанк",), "pjsc"),
        ("Sberbank PJSC", ("sberbank",), "pjsc"),
        ("(주)단군", ("단군",), "co_ltd"),
        ("주식회사 단군", ("단군",), "co_ltd"),
        ("Dangun Co., Ltd.", ("dangun",), "co_ltd"),
        ("Intellekt Limitde Liability Company", ("intellekt",), "llc"),  # typo'd legal form
    ],
)
def test_legal_forms(text: str, tokens: tuple[str, ...], form: str) -> None:
    parts = normalize_name(text, "Company")
    assert parts.tokens == tokens
    assert form in parts.legal_forms


def test_legal_form_alone_is_kept() -> None:
    assert split_legal_forms(["ao"]) == (["ao"], [])


def test_persons_keep_legal_like_tokens_and_lose_honorifics() -> None:
    assert normalize_name("Mr. Sergey Kozlov", "Person").tokens == ("sergey", "kozlov")
    assert normalize_name("Dr Ao Ri", "Person").tokens == ("ao", "ri")


@pytest.mark.parametrize(
    "text", ["M/V LADY R", "MV LADY R", "M.V. LADY R", "vessel LADY R", "m/v Lady R"]
)
def test_vessel_prefixes(text: str) -> None:
    assert normalize_name(text, "Vessel").tokens == ("lady", "r")
    assert tokenize(strip_vessel_prefix(text)) == ["lady", "r"]


def test_stopwords_only_in_organisation_names() -> None:
    assert normalize_name("Ministry of the Interior", "Organization").tokens == (
        "ministry",
        "interior",
    )
    assert normalize_name("KIM In Chol", "Person").tokens == ("kim", "in", "chol")
