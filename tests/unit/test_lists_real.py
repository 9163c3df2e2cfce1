"""Contract (real data, needs SCREENING_REAL_LISTS): every loader parses its real file
in ../shared/data/lists with the counts its README gives, loading the whole folder
gives every list exactly once in well under 15 s, and the client's entities are found
with their data (OFAC 36217, 37621, 37095, 37059; EU OJ and OpenSanctions vessels)."""

from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path

import pytest

from matching.lists import detect_format, load_path
from matching.model import IDENTIFIER_KINDS, SCHEMAS, Entity, Identifier, LoadedList

pytestmark = pytest.mark.real_data

HANGUL = re.compile("[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
CYRILLIC = re.compile("[\u0400-\u04ff]")


@pytest.fixture(scope="module")
def all_lists(real_lists: Path) -> dict[str, LoadedList]:
    start = time.monotonic()
    lists = load_path(real_lists)
    elapsed = time.monotonic() - start
    assert elapsed < 15, f"loading every list took {elapsed:.1f}s"
    names = [lst.meta.name for lst in lists]
    assert len(names) == len(set(names)), names
    return {lst.meta.name: lst for lst in lists}


def _by_id(lst: LoadedList) -> dict[str, Entity]:
    return {e.source_id: e for e in lst.entities}


def test_every_list_once(all_lists: dict[str, LoadedList]) -> None:
    assert set(all_lists) == {
        "us_ofac_sdn",
        "us_ofac_cons",
        "un_sc",
        "eu_fsf",
        "eu_journal",
        "uk_ofsi_conlist",
        "uk_sanctions_list",
        "opensanctions_ukraine_war_and_sanctions",
        "us_csl",
    }


@pytest.mark.parametrize(
    ("name", "count", "published", "fmt"),
    [
        ("us_ofac_sdn", 15443, None, "ofac_csv"),
        ("us_ofac_cons", 442, None, "ofac_csv"),
        ("un_sc", 1003, "2026-02-27", "un_xml"),
        ("eu_fsf", 4, "2026-08-05", "eu_fsf_xml"),
        ("eu_journal", 8017 + 417, None, "eu_oj_csv"),
        ("uk_ofsi_conlist", 4688, "2025-04-14", "uk_conlist_csv"),
        ("uk_sanctions_list", 4, "2026-08-14", "uk_sl_xml"),
        ("opensanctions_ukraine_war_and_sanctions", 5600, "2026-03-13", "os_simple_csv"),
        ("us_csl", 13, None, "us_csl_csv"),
    ],
)
def test_counts_match_readme(
    all_lists: dict[str, LoadedList], name: str, count: int, published: str | None, fmt: str
) -> None:
    meta = all_lists[name].meta
    assert (meta.entity_count, meta.published, meta.format) == (count, published, fmt)
    assert meta.name_count >= meta.entity_count


def test_schema_breakdowns(all_lists: dict[str, LoadedList]) -> None:
    ofac = Counter(e.schema for e in all_lists["us_ofac_sdn"].entities)
    assert ofac == {"LegalEntity": 7270, "Person": 6927, "Vessel": 872, "Airplane": 374}
    un = Counter(e.schema for e in all_lists["un_sc"].entities)
    assert un == {"Person": 730, "LegalEntity": 273}
    kp = Counter(e.source_id[:3] for e in all_lists["un_sc"].entities)
    assert (kp["KPi"], kp["KPe"]) == (80, 75)
    os_ = Counter(e.schema for e in all_lists["opensanctions_ukraine_war_and_sanctions"].entities)
    assert os_ == {"Person": 1543, "Company": 1524, "Vessel": 1340, "LegalEntity": 1193}
    uk = Counter(e.schema for e in all_lists["uk_ofsi_conlist"].entities)
    assert uk["Person"] + uk["LegalEntity"] + uk["Vessel"] == 4688
    dprk = [
        e
        for e in all_lists["uk_ofsi_conlist"].entities
        if "Democratic People's Republic of Korea" in e.programs
    ]
    assert len(dprk) == 239


def test_ofac_client_entities(all_lists: dict[str, LoadedList]) -> None:
    sdn = _by_id(all_lists["us_ofac_sdn"])
    intellekt = sdn["36217"]
    assert intellekt.name == "INTELLEKT LLC"
    assert "INTELLEKT OOO" in intellekt.aliases
    assert Identifier("tax", "7701080141") in intellekt.identifiers
    assert Identifier("registration", "1197746161711") in intellekt.identifiers
    assert intellekt.programs == ["DPRK2"]
    assert "37621" in intellekt.links  # Linked To: KOZLOV, Sergey Mikhaylovich

    kozlov = sdn["37621"]
    assert kozlov.name == "KOZLOV, Sergey Mikhaylovich"
    assert kozlov.schema == "Person"
    assert kozlov.birth_dates == ["1960-05-31"]
    assert "KOZLOV, Sergei Mikhailovich" in kozlov.aliases
    assert kozlov.countries == ["ru"]
    assert kozlov.gender == "male"
    assert Identifier("passport", "723367854") in kozlov.identifiers

    lady_r = sdn["37095"]
    assert (lady_r.name, lady_r.schema) == ("LADY R", "Vessel")
    assert Identifier("imo", "9161003") in lady_r.identifiers
    assert lady_r.links == ["37049"]  # TRANSMORFLOT LLC

    angara = sdn["37059"]
    assert (angara.name, angara.schema) == ("ANGARA", "Vessel")
    assert Identifier("imo", "9179842") in angara.identifiers
    assert angara.links == ["37065"]  # M LEASING LLC


def test_ofac_near_misses_present(all_lists: dict[str, LoadedList]) -> None:
    names = {e.name for e in all_lists["us_ofac_sdn"].entities}
    assert {"LADY D", "LADY MARIIA", "LADY RANIA", "SASCO ANGARA"} <= names


def test_other_lists_hold_the_vessels(all_lists: dict[str, LoadedList]) -> None:
    eu = [e for e in all_lists["eu_journal"].entities if e.name in ("Lady R", "Angara")]
    assert {(e.name, e.identifiers[0].value) for e in eu} == {
        ("Lady R", "9161003"),
        ("Angara", "9179842"),
    }
    os_ = {e.name: e for e in all_lists["opensanctions_ukraine_war_and_sanctions"].entities}
    assert "Sloman Producer" in os_["LADY R"].aliases
    assert Identifier("imo", "9161003") in os_["LADY R"].identifiers
    assert Identifier("mmsi", "273212120") in os_["LADY R"].identifiers
    assert Identifier("imo", "9179842") in os_["ANGARA"].identifiers


def test_original_script_names(all_lists: dict[str, LoadedList]) -> None:
    uk = all_lists["uk_ofsi_conlist"].entities
    hangul = {e.name for e in uk if any(HANGUL.search(a) for a in e.aliases)}
    assert len(hangul) == 5
    assert len([e for e in uk if any(CYRILLIC.search(a) for a in e.aliases)]) >= 2000
    eu = all_lists["eu_journal"].entities
    kim = [e for e in eu if e.name == "KIM Yong Bok"]
    assert kim and "김영복" in kim[0].aliases
    residue = [a for e in eu for a in e.aliases if a.endswith(":") or "Text of image" in a]
    assert residue == []
    un_cyr = [
        e
        for e in all_lists["un_sc"].entities
        if any(CYRILLIC.search(a) for a in e.aliases + e.weak_aliases)
    ]
    assert len(un_cyr) == 12  # 11 NAME_ORIGINAL_SCRIPT + 1 "(original script: ...)" alias


def test_weak_aliases_kept_apart(all_lists: dict[str, LoadedList]) -> None:
    un_weak = sum(len(e.weak_aliases) for e in all_lists["un_sc"].entities)
    # 615 QUALITY "Low" aliases, minus duplicates, plus original-script halves split off
    assert 600 < un_weak < 640
    uk_weak = sum(len(e.weak_aliases) for e in all_lists["uk_ofsi_conlist"].entities)
    assert uk_weak == 613  # distinct "Low quality" names not also listed as good
    assert any(e.weak_aliases for e in all_lists["eu_journal"].entities)


def test_entities_well_formed(all_lists: dict[str, LoadedList]) -> None:
    date = re.compile(r"~?\d{4}(-\d\d(-\d\d)?)?(\.\.\d{4}(-\d\d(-\d\d)?)?)?")
    for lst in all_lists.values():
        for e in lst.entities:
            assert all(date.fullmatch(d) for d in e.birth_dates), (lst.meta.name, e.birth_dates)
            assert all(re.fullmatch("[a-z]{2}", c) for c in e.countries)
            assert e.name and e.schema in SCHEMAS and e.list == lst.meta.name
            assert e.name not in e.aliases and not set(e.aliases) & set(e.weak_aliases)
            assert all(i.kind in IDENTIFIER_KINDS and i.value for i in e.identifiers)
    un = all_lists["un_sc"].entities
    assert any(d.startswith("~") for e in un for d in e.birth_dates)
    assert any(".." in d for e in un for d in e.birth_dates)


def test_uk_xlsx_matches_csv(real_lists: Path, all_lists: dict[str, LoadedList]) -> None:
    path = real_lists / "uk_ofsi_conlist" / "ConList.xlsx"
    assert detect_format(path) == "uk_conlist_xlsx"
    (xlsx,) = load_path(path)
    assert xlsx.meta.entity_count == 4688
    assert xlsx.entities == all_lists["uk_ofsi_conlist"].entities


def test_client_designations_absent_from_un_and_uk(all_lists: dict[str, LoadedList]) -> None:
    for name in ("un_sc", "uk_ofsi_conlist"):
        names = {n.upper() for e in all_lists[name].entities for n, _ in e.all_names()}
        assert "LADY R" not in names and "INTELLEKT LLC" not in names
