"""Contract: the CSV/XLSX/JSON-lines loaders (EU Official Journal, UK OFSI ConList CSV
and XLSX, OpenSanctions targets.simple, US CSL, FollowTheMoney, internal watchlist)
map their columns onto Entity: strong vs weak aliases, original-script names, dates,
countries, identifiers, programmes and links; format detection looks at content."""

from __future__ import annotations

import shutil
from pathlib import Path

from matching.lists import detect_format, load_path
from matching.model import Entity, Identifier, LoadedList


def _by_id(lst: LoadedList) -> dict[str, Entity]:
    return {e.source_id: e for e in lst.entities}


def test_eu_journal_folder_is_one_list(fixtures_dir: Path) -> None:
    (lst,) = load_path(fixtures_dir / "lists" / "eu_oj")
    assert (lst.meta.name, lst.meta.format, lst.meta.published) == ("eu_journal", "eu_oj_csv", None)
    # 4 consolidated rows + 1 amendment row; repeated record numbers stay apart
    assert lst.meta.entity_count == 5
    ents = _by_id(lst)
    assert ents["32014R0833/XLII/12"].name == "Lady R"
    assert ents["32014R0833/XLII/12#2"].name == "Angara"
    assert Identifier("imo", "9179842") in ents["32014R0833/XLII/12#2"].identifiers
    kim = ents["32017R1509/XIII.A/1"]
    assert kim.aliases == ["김영복", "KIM Young Bok"]  # "Korean:; Text of image;" dropped
    assert kim.weak_aliases == ["Yong"]
    assert kim.birth_dates == ["1963-04-11", "~1960"]
    assert kim.countries == ["kp"]
    assert kim.listed_on == "2009-07-16"
    amended = ents["32026R1720/I.A/139"]
    assert amended.aliases == ["Алексей Викторович ХАВЕЦКИЙ"]
    assert amended.birth_dates == ["1987..1989"]
    assert ents["32017R1509/XIII.B/2"].schema == "LegalEntity"  # "Asset"


def test_uk_conlist_csv_groups_rows(fixtures_dir: Path) -> None:
    (lst,) = load_path(fixtures_dir / "lists" / "uk_conlist.csv")
    assert (lst.meta.name, lst.meta.format, lst.meta.published) == (
        "uk_ofsi_conlist",
        "uk_conlist_csv",
        "2025-04-14",
    )
    ents = _by_id(lst)
    assert len(ents) == 3
    kozlov = ents["15106"]
    assert kozlov.name == "Sergey Ivanovich KOZLOV"
    assert kozlov.aliases == ["Sergei Ivanovich KOZLOV", "Козлов Сергей Иванович"]
    assert kozlov.weak_aliases == ["SERYOGA"]
    assert kozlov.birth_dates == ["1961", "1961-11-12"]
    assert kozlov.countries == ["ru", "ua"]
    assert kozlov.gender == "male"
    assert kozlov.reason == "Test reason."
    ship = ents["13651"]
    assert ship.schema == "Vessel"
    assert ship.identifiers == [Identifier("imo", "7408873")]
    assert ship.countries == ["kp"]
    assert ship.links == ["13635"]
    assert ents["13635"].identifiers == [Identifier("registration", "5551234")]


def test_uk_conlist_xlsx_equals_csv(fixtures_dir: Path) -> None:
    (csv_list,) = load_path(fixtures_dir / "lists" / "uk_conlist.csv")
    (xlsx_list,) = load_path(fixtures_dir / "lists" / "uk_conlist.xlsx")
    assert xlsx_list.meta.format == "uk_conlist_xlsx"
    assert xlsx_list.meta.published == "2025-04-14"
    assert xlsx_list.entities == csv_list.entities


def test_opensanctions_simple(fixtures_dir: Path) -> None:
    (lst,) = load_path(fixtures_dir / "lists" / "os_targets.simple.csv")
    assert lst.meta.name == "opensanctions_ukraine_war_and_sanctions"
    assert lst.meta.published == "2026-03-13"  # newest last_seen
    ents = _by_id(lst)
    lady = ents["NK-lady"]
    assert lady.aliases == ["Sloman Producer"]
    assert lady.countries == ["ag", "de", "ru"]
    assert Identifier("imo", "9161003") in lady.identifiers
    assert Identifier("mmsi", "273212120") in lady.identifiers
    assert ents["NK-koz"].aliases == ["Козлов Сергей", "Sergei Kozlov"]
    assert ents["NK-air"].schema == "Airplane"


def test_us_csl(fixtures_dir: Path) -> None:
    (lst,) = load_path(fixtures_dir / "lists" / "us_csl.csv")
    ents = _by_id(lst)
    rim = ents["abc1"]
    assert (rim.schema, rim.gender, rim.birth_dates) == ("Person", "male", ["1978-12-05"])
    assert rim.identifiers == [Identifier("passport", "836238033")]
    assert rim.countries == ["kp", "cn"]
    assert ents["abc2"].aliases == ["EI", "Example Inst"]


def test_ftm_jsonl(fixtures_dir: Path) -> None:
    (lst,) = load_path(fixtures_dir / "lists" / "ftm_entities.jsonl")
    assert lst.meta.format == "ftm_jsonl"
    ents = _by_id(lst)
    assert set(ents) == {"ftm-intellekt", "ftm-kozlov", "ftm-lady-r"}  # targets only
    intellekt = ents["ftm-intellekt"]
    assert intellekt.aliases == ["ООО «Интеллект»", "INTELLEKT OOO"]
    assert intellekt.weak_aliases == ["Intel"]
    assert Identifier("tax", "7701080141") in intellekt.identifiers
    assert intellekt.links == ["ftm-kozlov"]  # from the Directorship
    kozlov = ents["ftm-kozlov"]
    assert kozlov.programs == ["DPRK2"]  # from the Sanction entity
    assert kozlov.listed_on == "2024-05-16"
    assert ents["ftm-lady-r"].identifiers[0] == Identifier("imo", "9161003")


def test_internal_watchlist(fixtures_dir: Path) -> None:
    (lst,) = load_path(fixtures_dir / "lists" / "internal_watch.csv")
    assert (lst.meta.name, lst.meta.format) == ("internal_internal_watch", "internal_csv")
    petrov = _by_id(lst)["W-1"]
    assert petrov.aliases == ["Иван Петров", "Ivan PETROV"]
    assert petrov.weak_aliases == ["Vanya"]
    assert petrov.birth_dates == ["1970-01-02", "~1971"]
    assert petrov.countries == ["ru", "ua"]
    assert petrov.identifiers == [
        Identifier("passport", "123456789"),
        Identifier("tax", "7701080141"),
    ]
    vessel = _by_id(lst)["W-2"]
    assert vessel.identifiers == [Identifier("imo", "9161003"), Identifier("other", "XYZ")]


def test_csv_formats_detected_by_content(fixtures_dir: Path, tmp_path: Path) -> None:
    cases = {
        "uk_conlist.csv": "uk_conlist_csv",
        "uk_conlist.xlsx": "uk_conlist_xlsx",
        "os_targets.simple.csv": "os_simple_csv",
        "us_csl.csv": "us_csl_csv",
        "ftm_entities.jsonl": "ftm_jsonl",
        "internal_watch.csv": "internal_csv",
        "eu_oj/consolidated/32017R1509.csv": "eu_oj_csv",
    }
    for i, (name, fmt) in enumerate(cases.items()):
        renamed = tmp_path / f"file{i}.txt"
        shutil.copy(fixtures_dir / "lists" / name, renamed)
        assert detect_format(renamed) == fmt, name
