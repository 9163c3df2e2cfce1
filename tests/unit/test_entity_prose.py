"""Contract (issue 11): an entity's full profile shows the related parties the list names
only in prose (UN comments, UK "Other Information" and statements of reasons, EU remarks
and reasons, US CSL remarks) and links to the official documents about the entry (URLs
the file gives, and the source's own page per entry where it has one), never the listed
party's own website. Fixtures written for these tests (tests/fixtures/lists/prose); the
real files when SCREENING_REAL_LISTS is set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matching.engine import Engine
from matching.lists import load_path
from matching.lists.eu_fsf import load_eu_fsf
from matching.lists.eu_journal import load_journal
from matching.lists.ftm import load_ftm
from matching.lists.opensanctions import load_os_simple
from matching.lists.prose import first_relation, official_urls, related_statements
from matching.lists.uk_conlist import load_conlist_csv
from matching.lists.un import load_un
from matching.lists.us_csl import load_us_csl
from workers.compliance.profiles import find_entity, full_profile

INTERPOL = "https://www.interpol.int/en/How-we-work/Notices/View-UN-Notices-Individuals"


@pytest.fixture(scope="module")
def folder(fixtures_dir: Path) -> Path:
    return fixtures_dir / "lists" / "prose"


def test_statements_are_the_sentences_and_segments_that_name_a_relation() -> None:
    text = ("(UK Sanctions List Ref):RUS9001. (Type of entity):Military (Parent company):"
            "Example Holding (Phone number):(1) +7 495 000. Owned or controlled by or "
            "otherwise associated with the SSRC. It produces munitions.")
    assert related_statements(text) == [
        "(Parent company):Example Holding",
        "Owned or controlled by or otherwise associated with the SSRC.",
    ]
    assert related_statements("Front company.", None, "") == []
    # The relation whose object is a party, not another relation.
    assert first_relation("Owned or controlled by or otherwise associated with the SSRC.") == (
        "associated with", "the SSRC.")
    assert first_relation("Front company.") is None


def test_only_official_urls_are_documents() -> None:
    text = (f"Special Notice web link:{INTERPOL} Website: http://www.example-front.kp/about; "
            "see https://www.un.org/sc/suborg/en/sanctions/751).")
    assert official_urls(text) == [INTERPOL, "https://www.un.org/sc/suborg/en/sanctions/751"]
    assert official_urls("http://evil-un.org.example.com/x https://notun.org/") == []


def test_un_comments_give_statements_and_the_notice(folder: Path) -> None:
    entities = {e.source_id: e for e in load_un(folder / "un_sc.xml").entities}
    pak = entities["KPi.911"]
    assert pak.related_text == [
        "Associated with Korea Example Shipping Company (KPe.912).",
        "Brother of Pak Second Example, who is not listed.",
    ]
    assert pak.urls == [INTERPOL]  # not the front company's website
    assert entities["KPe.912"].related_text == [] and entities["KPe.912"].urls == []


def test_uk_other_information_eu_and_us_csl(folder: Path) -> None:
    (plant,) = load_conlist_csv(folder / "uk_conlist.csv").entities
    assert plant.related_text == [
        "(Parent company):Example Defence Holding",
        "(UK Statement of Reasons):EXAMPLE DEFENCE PLANT is owned or controlled by or "
        "otherwise associated with the Government of Russia.",
    ]
    (energy,) = load_eu_fsf(folder / "eu_fsf.xml").entities
    assert energy.related_text == ["Subsidiary of Example Energy Holding."]
    assert energy.urls == ["https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=OJ:L_202200999"]
    (etc,) = load_journal([folder / "eu_oj" / "32014R0269.csv"], folder / "eu_oj").entities
    assert etc.related_text == ["Example Trading Company (ETC) is a subsidiary of Example Oil "
                                "Company (EOC), the leading exporter."]
    assert etc.urls == ["https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32014R0269"]
    (rim,) = load_us_csl(folder / "us_csl.csv").entities
    assert rim.related_text == [
        "Linked to the Munitions Industry Department.",
        "Acts on behalf of and is associated with Korea Mining Development Trading "
        "Corporation (KOMID).",
    ]
    assert rim.urls[0].startswith("https://home.treasury.gov/policy-issues/")
    assert rim.urls[1] == "https://www.treasury.gov/ofac/downloads/sdnlist.txt"


def test_entry_pages_built_from_ids(fixtures_dir: Path, tmp_path: Path) -> None:
    (sdn,) = load_path(fixtures_dir / "lists" / "profiles" / "ofac_sdn")
    kozlov = next(e for e in sdn.entities if e.source_id == "37621")
    assert kozlov.urls == ["https://sanctionssearch.ofac.treas.gov/Details.aspx?id=37621"]
    targets = load_os_simple(fixtures_dir / "lists" / "os_targets.simple.csv").entities
    assert targets[0].urls == [f"https://www.opensanctions.org/entities/{targets[0].source_id}/"]
    ftm = tmp_path / "ftm.jsonl"
    ftm.write_text(json.dumps({"id": "p1", "schema": "Person", "properties": {
        "name": ["Ivan Example"], "notes": ["Son of Petr Example."],
        "sourceUrl": ["https://www.gov.uk/government/news/example", "https://ivan.example"]}}))
    (ivan,) = load_ftm(ftm).entities
    assert ivan.urls == ["https://www.gov.uk/government/news/example"]
    assert ivan.related_text == ["Son of Petr Example."]


def test_profile_parses_statements_and_resolves_list_references(folder: Path) -> None:
    engine = Engine([load_un(folder / "un_sc.xml"), load_conlist_csv(folder / "uk_conlist.csv")])
    pak = find_entity(engine, "un_sc", "KPi.911")
    assert pak is not None
    profile = full_profile(pak, None, engine)
    assert profile["related_statements"] == [
        {"relation": "associated with", "party": "Korea Example Shipping Company",
         "ref": "KPe.912", "list": "un_sc", "source_id": "KPe.912",
         "entity_url": "/v1/entities/un_sc/KPe.912",
         "text": "Associated with Korea Example Shipping Company (KPe.912)."},
        # Off the list: the party as written, nothing to follow.
        {"relation": "brother of", "party": "Pak Second Example", "ref": None, "list": None,
         "source_id": None, "entity_url": None,
         "text": "Brother of Pak Second Example, who is not listed."},
    ]
    assert profile["documents"] == [
        {"url": INTERPOL, "title": "INTERPOL-UN Security Council Special Notice"}]
    plant = find_entity(engine, "uk_ofsi_conlist", "99001")
    assert plant is not None
    parties = [(s["relation"], s["party"]) for s in full_profile(plant, None, engine)[
        "related_statements"]]
    assert parties == [("parent company", "Example Defence Holding"),
                       ("associated with", "the Government of Russia")]


@pytest.mark.real_data
def test_real_lists_carry_prose_relations_and_documents(real_lists: Path) -> None:
    lists = {lst.meta.name: lst for lst in load_path(real_lists)}

    def count(name: str, attr: str) -> int:
        return sum(1 for e in lists[name].entities if getattr(e, attr))

    # UK "Other Information" names related parties for ~1,900 of 4,688 groups (2,285
    # "associated with" alone); UN comments for ~280 of 1,003 entries, and ~600 UN
    # entries carry the INTERPOL-UN notice link.
    assert count("uk_ofsi_conlist", "related_text") > 1500
    assert count("un_sc", "related_text") > 200
    assert count("un_sc", "urls") > 500
    assert count("eu_journal", "related_text") > 1000
    # One page per entry where the source has one: every OFAC and OpenSanctions entry,
    # every EU OJ row (its act by CELEX), every FSF entry (its act's publication URL).
    for name in ("us_ofac_sdn", "eu_journal", "eu_fsf"):
        assert count(name, "urls") == len(lists[name].entities), name
    engine = Engine(list(lists.values()))
    # A real UN statement whose party has a UN reference resolves to that entry.
    resolved = [s for e in lists["un_sc"].entities
                for s in full_profile(e, None, engine)["related_statements"]
                if s["entity_url"]]
    assert len(resolved) > 50, len(resolved)
    assert all(s["list"] == "un_sc" and s["ref"] == s["source_id"] for s in resolved)
    every_url = {u for lst in lists.values() for e in lst.entities for u in e.urls}
    assert not any("kalashnikovgroup" in u for u in every_url)  # an entity's own site


@pytest.mark.parametrize(("text", "party", "ref"), [
    # A relative clause or a second role ends the party's name; a capitalised "and"
    # within a name does not.
    ("Associated with Min Aung Hlaing who has been designated.", "Min Aung Hlaing", None),
    ("(UK Statement of Reasons):Member of the Assembly of Experts and representative of "
     "the Supreme Leader in Markazi.", "the Assembly of Experts", None),
    ("Director of Bajaa Trading and Services LLC.", "Bajaa Trading and Services LLC", None),
    # An acronym in brackets may come between the party and its list reference.
    ("Member of Al-Qaida in the Arabian Peninsula (AQAP) (QDe.129) since at least Jun. 2014.",
     "Al-Qaida in the Arabian Peninsula", "QDe.129"),
    ("Associated with Abdelmalek Droukdel (QDi.232, reported deceased in June 2020).",
     "Abdelmalek Droukdel", "QDi.232"),
])
def test_party_and_reference_read_from_a_statement(text: str, party: str,
                                                   ref: str | None) -> None:
    from matching.model import Entity
    from workers.compliance.profiles import related_statement

    entity = Entity(list="uk_ofsi_conlist", source_id="1", schema="Person", name="X")
    found = related_statement(None, entity, text)
    assert (found["party"], found["ref"], found["text"]) == (party, ref, text)
