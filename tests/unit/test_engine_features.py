"""Secondary features: dates (full, year, ranges, circa), country, gender, schema, ids."""

from __future__ import annotations

import pytest

from matching.config import WEIGHTS
from matching.features import (
    country_effect,
    dob_effect,
    gender_effect,
    identifier_effect,
    normalize_identifier,
    schema_effect,
)
from matching.model import Entity, Identifier


def person(**kw: object) -> Entity:
    return Entity("t", "1", "Person", "X", **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("query", "published", "effect"),
    [
        ("1960-05-31", ["1960-05-31"], WEIGHTS.dob_exact),
        ("1960", ["1960-05-31"], WEIGHTS.dob_year),
        ("1960-05-31", ["1960"], WEIGHTS.dob_year),
        ("1962", ["1958..1963"], WEIGHTS.dob_year),
        ("1961", ["~1960"], 0.0),
        ("1963", ["~1960"], 0.0),
        ("1961", ["1960"], 0.0),
        ("1960-01-01", ["1960-05-31"], WEIGHTS.dob_day_month_conflict),
        ("1960-05-01", ["1960-05-31"], 0.0),  # only the day differs: a slip
        ("1962", ["1960"], WEIGHTS.dob_gap),
        ("1964", ["1960"], WEIGHTS.dob_gap),
        ("1965", ["1960"], WEIGHTS.dob_namesake),
        ("1965-01-02", ["1960-05-31"], WEIGHTS.dob_namesake_full),
        ("1985", ["1960-05-31"], WEIGHTS.dob_namesake),
        ("1970", ["1958..1963"], WEIGHTS.dob_namesake),
        ("1985", ["1960", "1985-02-01"], WEIGHTS.dob_year),  # best of several published dates
    ],
)
def test_dob(query: str, published: list[str], effect: float) -> None:
    found = dob_effect(query, person(birth_dates=published))
    assert found is not None and found.effect == effect


def test_dob_absent_is_neutral() -> None:
    assert dob_effect(None, person(birth_dates=["1960"])) is None
    assert dob_effect("1960", person()) is None


def test_country_gender_schema() -> None:
    e = person(countries=["ru"], gender="male")
    assert country_effect("ru", e).effect > 0  # type: ignore[union-attr]
    assert country_effect("fr", e).effect < 0  # type: ignore[union-attr]
    assert gender_effect("m", e).effect > 0  # type: ignore[union-attr]
    assert gender_effect("female", e).effect < 0  # type: ignore[union-attr]
    assert schema_effect("Vessel", e).effect < 0  # type: ignore[union-attr]
    assert schema_effect("LegalEntity", e) is None
    org = Entity("t", "2", "Company", "Y")
    assert schema_effect("Organization", org).effect == 0.0  # type: ignore[union-attr]


def test_identifiers() -> None:
    assert normalize_identifier("IMO 9161003") == "9161003"
    assert normalize_identifier("No. 723 367854") == "723367854"
    ship = Entity("t", "3", "Vessel", "LADY R", identifiers=[Identifier("imo", "IMO 9161003")])
    assert identifier_effect(("9161003",), ship).effect == 1.0  # type: ignore[union-attr]
    assert identifier_effect(("9179842",), ship).effect < 0  # type: ignore[union-attr]
    assert identifier_effect((), ship) is None
