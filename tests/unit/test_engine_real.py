"""Real-data cases on the shared official lists (skip without SCREENING_REAL_LISTS)."""

from __future__ import annotations

from pathlib import Path

import pytest

from matching.engine import Engine
from matching.lists import load_spec
from matching.model import Match, Query

pytestmark = pytest.mark.real_data


@pytest.fixture(scope="module")
def engine(real_lists: Path) -> Engine:
    return Engine([*load_spec(str(real_lists)), *load_spec("kr-mofa")])


def ids(matches: list[Match]) -> set[tuple[str, str]]:
    """Every list entry matched: one party on several lists is one match with `sources`."""
    return {(s["list"], s["source_id"]) for m in matches for s in m.to_dict()["sources"]}


def test_kozlov_on_ofac(engine: Engine) -> None:
    for name in ("Козлов Сергей Михайлович", "Sergei Kozlov", "Kozlov Sergej Michajlovič"):
        assert ("us_ofac_sdn", "37621") in ids(engine.screen(Query(name, schema="Person")))
    with_dob = engine.screen(Query("Sergey Kozlov", birth_date="1960-05-31"))
    assert (with_dob[0].list, with_dob[0].source_id) in {
        ("us_ofac_sdn", "37621"),
        ("kr-mofa", "KR-MOFA-2024-004"),
    }


def test_intellekt_and_not_integral(engine: Engine) -> None:
    assert ("us_ofac_sdn", "36217") in ids(engine.screen(Query("ООО «Интеллект»")))
    assert ("us_ofac_sdn", "36217") not in ids(engine.screen(Query("ООО «Интеграл»")))


def test_vessels_by_name_and_imo(engine: Engine) -> None:
    lady = ids(engine.screen(Query("M/V LADY R", schema="Vessel")))
    assert ("us_ofac_sdn", "37095") in lady
    assert not any(
        m.name in ("LADY D", "LADY MARIIA", "LADY RANIA")
        for m in engine.screen(Query("M/V LADY R", schema="Vessel"))
    )
    by_imo = engine.screen(Query("Sloman Producer", schema="Vessel", identifiers=["IMO 9161003"]))
    assert ("us_ofac_sdn", "37095") in ids(by_imo)
    angara = engine.screen(Query("ANGARA", schema="Vessel", identifiers=["9179842"]))
    assert ("us_ofac_sdn", "37059") in ids(angara)
    assert angara[0].score >= 0.99
    sasco = [m for m in angara if m.name == "SASCO ANGARA"]
    assert not sasco or sasco[0].score < angara[0].score


def _plain(text: str) -> str:
    return " ".join(text.upper().replace(",", " ").replace("-", " ").split())


def test_korean_names(engine: Engine) -> None:
    kju = engine.screen(Query("김정은"))
    assert any(_plain(m.matched_name) == "KIM JONG UN" for m in kju)
    assert not any(_plain(m.name) == "KIM JONG IL" for m in kju)
    for name in ("Lee Byeong-cheol", "리병철", "이병철"):
        hits = engine.screen(Query(name))
        assert ("us_ofac_sdn", "RI, Pyong Chol") in {(m.list, m.name) for m in hits}, name


def test_common_names_alone_never_hit(engine: Engine) -> None:
    for name in ("Kim", "Ivanov", "Иванов", "Sergey", "LLC", "Trading Company"):
        assert engine.screen(Query(name)) == [], name


def test_gru_translated(engine: Engine) -> None:
    names = [
        m.matched_name.lower() for m in engine.screen(Query("Главное разведывательное управление"))
    ]
    assert any(
        "main intelligence directorate" in n or "главное разведывательное" in n for n in names
    )
