"""Contract: the UN, EU FSF and UK Sanctions List XML loaders (parsed with defusedxml)
give one Entity per designation with primary name, strong aliases (incl. original
script), weak aliases kept apart, birth dates with circa/ranges, countries, gender,
identifiers, programme, listing date and reason; ListMeta.published comes from the file."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from matching.errors import ListFormatError
from matching.lists import detect_format, load_path
from matching.model import Identifier


def test_un(fixtures_dir: Path) -> None:
    (lst,) = load_path(fixtures_dir / "lists" / "un_sc.xml")
    assert (lst.meta.name, lst.meta.format, lst.meta.published) == ("un_sc", "un_xml", "2026-02-27")
    ri, corp = lst.entities
    assert ri.source_id == "KPi.901"
    assert ri.name == "RI CHANG HO"
    assert ri.aliases == ["RHEE CHANG HO", "리창호"]  # NAME_ORIGINAL_SCRIPT is strong
    assert ri.weak_aliases == ["Comrade Ri"]  # QUALITY Low
    assert ri.birth_dates == ["1966-09-18", "~1965", "1960..1964"]
    assert ri.countries == ["kp"]
    assert ri.gender == "male"
    assert ri.identifiers == [Identifier("passport", "654310175")]
    assert ri.programs == ["DPRK"]
    assert ri.listed_on == "2017-08-05"
    assert ri.reason
    assert corp.schema == "LegalEntity"
    assert corp.aliases == ["KETC", "OLD EXAMPLE CORPORATION"]  # quotes stripped, f.k.a. strong
    assert corp.countries == ["kp"]


def test_eu_fsf(fixtures_dir: Path) -> None:
    (lst,) = load_path(fixtures_dir / "lists" / "eu_fsf.xml")
    assert (lst.meta.name, lst.meta.format, lst.meta.published) == (
        "eu_fsf",
        "eu_fsf_xml",
        "2026-08-05",
    )
    person, company = lst.entities
    assert person.source_id == "EU.9001.01"
    assert person.name == "Sergey Mikhailovich Kozlov"
    assert person.aliases == ["Козлов Сергей Михайлович"]
    assert person.weak_aliases == ["Serzh"]
    assert person.birth_dates == ["1960-05-31", "~1961"]
    assert person.countries == ["ru"]
    assert person.gender == "male"
    assert person.identifiers == [Identifier("passport", "723367854")]
    assert person.programs == ["UKR"]
    assert person.listed_on == "2022-02-23"
    assert company.source_id == "9002"  # logicalId when no EU reference number
    assert company.schema == "LegalEntity"
    assert company.identifiers == [Identifier("tax", "7701080141")]
    assert company.reason == "Supplies the armed forces."


def test_uk_sanctions_list(fixtures_dir: Path) -> None:
    (lst,) = load_path(fixtures_dir / "lists" / "uk_sanctions_list.xml")
    assert (lst.meta.name, lst.meta.published) == ("uk_sanctions_list", "2026-08-14")
    person, ship = lst.entities
    assert person.name == "Aleksandr Fyodorovich PANFILOV"  # "Primary name", any casing
    assert person.aliases == ["Alexander PANFILOV", "Панфилов Александр Фёдорович"]
    assert person.weak_aliases == ["Sasha"]
    assert person.birth_dates == ["1968", "1967-11-12"]  # "dd/mm/1968" placeholder
    assert person.identifiers == [Identifier("passport", "D0009720")]
    assert person.gender == "male"
    assert person.listed_on == "2001-01-31"
    assert ship.schema == "Vessel"
    assert ship.identifiers == [Identifier("imo", "9562233")]
    assert ship.countries == ["km"]


def test_xml_detected_by_root_element(fixtures_dir: Path, tmp_path: Path) -> None:
    for name, fmt in [
        ("un_sc.xml", "un_xml"),
        ("eu_fsf.xml", "eu_fsf_xml"),
        ("uk_sanctions_list.xml", "uk_sl_xml"),
    ]:
        renamed = tmp_path / (name + ".txt")
        shutil.copy(fixtures_dir / "lists" / name, renamed)
        assert detect_format(renamed) == fmt


def _without_names_in_second(text: str, opening: str, names: str) -> str:
    """The file with every name element of its second entity removed."""
    second = text.index(opening, text.index(opening) + 1)
    end = text.index(opening.replace("<", "</"), second)
    return text[:second] + re.sub(names, "", text[second:end], flags=re.S) + text[end:]


@pytest.mark.parametrize(("fixture", "opening", "names", "location", "problem"), [
    ("eu_fsf.xml", "<sanctionEntity", r"<nameAlias[^>]*/>",
     "<sanctionEntity> #2 (logicalId 9002)", "sanctionEntity has no name"),
    ("uk_sanctions_list.xml", "<Designation>", r"<Names>.*?</Names>",
     "<Designation> #2 (DPR9001)", "designation has no name"),
])
def test_an_entity_without_a_name_is_refused_naming_its_number_and_id(
    fixtures_dir: Path, tmp_path: Path, fixture: str, opening: str, names: str, location: str,
    problem: str,
) -> None:
    text = (fixtures_dir / "lists" / fixture).read_text(encoding="utf-8")
    bad = tmp_path / fixture
    bad.write_text(_without_names_in_second(text, opening, names), encoding="utf-8")
    with pytest.raises(ListFormatError) as err:
        load_path(bad)
    assert (err.value.location, err.value.problem) == (location, problem)
