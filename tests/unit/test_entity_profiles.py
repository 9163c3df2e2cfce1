"""Contract (issue 11): an entity's full profile shows what the list says about birth
places, nationalities (apart from address countries) and related parties. Every loader
whose format carries them reads birth places
(OFAC "POB" remarks, UN INDIVIDUAL_PLACE_OF_BIRTH, EU FSF birthdate city/region/country,
EU OJ birthPlace, UK ConList town/country of birth, UK Sanctions List BirthDetails, US CSL
places_of_birth, FtM birthPlace, our internal CSV's birth_place) and links (OFAC "Linked
To", UN references in the comments, UN references in UK OtherInformation, OFSI group
ids, FtM relations, internal `links`); the profile resolves each link to the related
party's own entry and profile URL, on the same list or, for "list:id", another list.
Fixtures written for these tests; the real files when SCREENING_REAL_LISTS is set."""

from __future__ import annotations

from pathlib import Path

import pytest

from matching.engine import Engine
from matching.lists import load_path
from matching.lists.eu_fsf import load_eu_fsf
from matching.lists.eu_journal import load_journal
from matching.lists.ftm import load_ftm
from matching.lists.internal import load_internal
from matching.lists.uk_conlist import load_conlist_csv
from matching.lists.uk_sl import load_uk_sl
from matching.lists.un import load_un
from matching.lists.us_csl import load_us_csl
from matching.model import Entity, LoadedList
from workers.compliance.profiles import find_entity, full_profile


@pytest.fixture(scope="module")
def folder(fixtures_dir: Path) -> Path:
    return fixtures_dir / "lists" / "profiles"


def _by_id(lst: LoadedList) -> dict[str, Entity]:
    return {e.source_id: e for e in lst.entities}


def test_ofac_pob_and_linked_to(folder: Path) -> None:
    (sdn,) = load_path(folder / "ofac_sdn")
    found = _by_id(sdn)
    assert found["37621"].birth_places == ["Moscow, Russia", "Tula, Russia"]
    assert found["37621"].links == ["36217"]  # resolved to the ent_num by name
    assert found["37621"].nationalities == ["ru"]
    assert found["36217"].links == ["37621", "EXAMPLE HOLDING OFF THE LIST"]
    assert found["36217"].birth_places == []


def test_un_places_of_birth_and_references_in_comments(folder: Path) -> None:
    found = _by_id(load_un(folder / "un_sc.xml"))
    ri = found["KPi.901"]
    # Empty <COUNTRY/> elements give nothing; city and country are one place.
    assert ri.birth_places == ["Pyongyang, Democratic People's Republic of Korea",
                               "South Hamgyong"]
    assert ri.links == ["KPe.902"]  # never itself
    assert found["KPe.902"].links == []


def test_eu_fsf_birth_places(folder: Path) -> None:
    (kozlov,) = load_eu_fsf(folder / "eu_fsf.xml").entities
    assert kozlov.birth_places == ["Moscow, RUSSIAN FEDERATION",
                                   "Tula Oblast, RUSSIAN FEDERATION"]


def test_eu_journal_birth_places(folder: Path) -> None:
    (kim,) = load_journal([folder / "eu_oj" / "32017R1509.csv"], folder / "eu_oj").entities
    assert kim.birth_places == ["Pyongyang, DPRK", "Wonsan, DPRK"]


def test_uk_conlist_birth_places_across_a_groups_rows(folder: Path) -> None:
    (kozlov,) = load_conlist_csv(folder / "uk_conlist.csv").entities
    assert kozlov.birth_places == ["Kursk, Russia", "Russia"]


def test_uk_sanctions_list_birth_details_and_un_references(folder: Path) -> None:
    (ri,) = load_uk_sl(folder / "uk_sanctions_list.xml").entities
    assert ri.birth_places == ["Pyongyang, North Korea", "North Korea"]
    assert ri.links == ["un_sc:KPe.902"]
    # An address country is a country, not a nationality.
    assert ri.countries == ["kp"] and ri.nationalities == []


def test_us_csl_ftm_and_internal_birth_places(folder: Path) -> None:
    (rim,) = load_us_csl(folder / "us_csl.csv").entities
    assert rim.birth_places == ["Pyongyang, North Korea", "Sinuiju, North Korea"]
    (petrov,) = load_ftm(folder / "ftm.jsonl").entities
    assert petrov.birth_places == ["Omsk, Russia"]
    internal = _by_id(load_internal(folder / "internal_watch.csv"))
    assert internal["w1"].birth_places == ["Omsk, Russia"] and internal["w1"].links == ["w2"]


def test_profile_shows_birth_places_and_resolves_related_parties(folder: Path) -> None:
    lists = [*load_path(folder / "ofac_sdn"), load_un(folder / "un_sc.xml"),
             load_uk_sl(folder / "uk_sanctions_list.xml")]
    engine = Engine(lists)
    kozlov = find_entity(engine, "us_ofac_sdn", "37621")
    assert kozlov is not None
    profile = full_profile(kozlov, None, engine)
    assert profile["birth_places"] == ["Moscow, Russia", "Tula, Russia"]
    assert profile["nationalities"] == ["ru"] and "ru" in profile["countries"]
    assert profile["related"] == [{
        "ref": "36217", "list": "us_ofac_sdn", "source_id": "36217", "name": "INTELLEKT LLC",
        "schema": "LegalEntity", "entity_url": "/v1/entities/us_ofac_sdn/36217"}]
    intellekt = find_entity(engine, "us_ofac_sdn", "36217")
    assert intellekt is not None
    related = full_profile(intellekt, None, engine)["related"]
    assert [r["name"] for r in related] == ["KOZLOV, Sergey Mikhaylovich",
                                            "EXAMPLE HOLDING OFF THE LIST"]
    # A party the list names but does not list: its name, no link to follow.
    assert related[1]["entity_url"] is None and related[1]["list"] is None
    uk = find_entity(engine, "uk_sanctions_list", "DPR9002")
    assert uk is not None
    (un_party,) = full_profile(uk, None, engine)["related"]
    assert un_party["list"] == "un_sc" and un_party["source_id"] == "KPe.902"
    assert un_party["name"] == "KOREA EXAMPLE TRADING CORPORATION"
    assert un_party["entity_url"] == "/v1/entities/un_sc/KPe.902"


@pytest.mark.real_data
def test_real_lists_carry_birth_places_and_related_parties(real_lists: Path) -> None:
    lists = {lst.meta.name: lst for lst in load_path(real_lists)}
    with_places = {name: sum(1 for e in lst.entities if e.birth_places)
                   for name, lst in lists.items()}
    # OFAC SDN remarks hold "POB" for thousands of entries (4,186 mentions); UN and the
    # UK ConList give places for most individuals; the UK SL excerpt's AFG0011 has three.
    assert with_places["us_ofac_sdn"] > 3000, with_places
    assert with_places["un_sc"] > 300 and with_places["uk_ofsi_conlist"] > 1000, with_places
    afg = _by_id(lists["uk_sanctions_list"])["AFG0011"]
    assert "Zurmat District, Paktia Province, Afghanistan" in afg.birth_places
    engine = Engine(list(lists.values()))
    intellekt = find_entity(engine, "us_ofac_sdn", "36217")
    assert intellekt is not None
    related = full_profile(intellekt, None, engine)["related"]
    assert {"source_id": "37621", "name": "KOZLOV, Sergey Mikhaylovich"}.items() <= next(
        r for r in related if r["source_id"] == "37621").items()
    un_linked = sum(1 for e in lists["un_sc"].entities if e.links)
    assert un_linked > 50, un_linked  # "(QDe.115)"-style references in the comments
