"""Contract: the OFAC legacy CSV loader reads a whole set (main + alt + add + comments)
as one list, decodes cp1252 and the trailing 0x1A, treats "-0-" as empty, keeps names as
published, and pulls DOBs (with circa and ranges), nationality, gender, IMO/MMSI,
passport, tax/registration/national IDs, a.k.a.s and "Linked To:" (resolved to the
ent_num when the linked name is on the list) out of the remarks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from matching.errors import ListFormatError
from matching.lists import detect_format, load_path
from matching.model import Entity, Identifier, LoadedList


def _by_id(lst: LoadedList) -> dict[str, Entity]:
    return {e.source_id: e for e in lst.entities}


@pytest.fixture(scope="module")
def sdn(fixtures_dir: Path) -> LoadedList:
    (lst,) = load_path(fixtures_dir / "lists" / "ofac_sdn")
    return lst


def test_set_is_one_list(sdn: LoadedList, fixtures_dir: Path) -> None:
    assert sdn.meta.name == "us_ofac_sdn"
    assert sdn.meta.format == "ofac_csv"
    assert sdn.meta.published is None  # the legacy files carry no date
    assert sdn.meta.entity_count == 7 == len(sdn.entities)
    assert sdn.meta.source == str(fixtures_dir / "lists" / "ofac_sdn")
    assert sdn.meta.name_count == sum(len(e.all_names()) for e in sdn.entities)
    assert len(sdn.meta.content_hash) == 64


def test_naming_one_file_loads_its_set(sdn: LoadedList, fixtures_dir: Path) -> None:
    (via_alt,) = load_path(fixtures_dir / "lists" / "ofac_sdn" / "alt.csv")
    assert via_alt.meta.content_hash == sdn.meta.content_hash
    assert via_alt.meta.entity_count == sdn.meta.entity_count


def test_client_entities(sdn: LoadedList) -> None:
    ents = _by_id(sdn)
    intellekt = ents["36217"]
    assert intellekt.name == "INTELLEKT LLC"
    assert intellekt.schema == "LegalEntity"
    assert "INTELLEKT OOO" in intellekt.aliases
    assert Identifier("tax", "7701080141") in intellekt.identifiers
    assert Identifier("registration", "1197746161711") in intellekt.identifiers
    assert intellekt.links == ["37621"]  # "Linked To: KOZLOV, Sergey Mikhaylovich" resolved
    assert intellekt.countries == ["ru"]  # from add.csv

    kozlov = ents["37621"]
    assert kozlov.name == "KOZLOV, Sergey Mikhaylovich"
    assert kozlov.schema == "Person"
    assert kozlov.birth_dates == ["1960-05-31"]
    assert kozlov.aliases == ["KOZLOV, Sergei Mikhailovich"]
    assert kozlov.gender == "male"
    assert kozlov.countries == ["ru"]
    assert Identifier("passport", "723367854") in kozlov.identifiers
    assert kozlov.links == ["JON, Jin Yong"]  # not on this list: text kept

    lady_r = ents["37095"]
    assert lady_r.schema == "Vessel"
    assert Identifier("imo", "9161003") in lady_r.identifiers
    assert Identifier("mmsi", "273212120") in lady_r.identifiers
    assert lady_r.countries == ["ru"]  # vessel flag
    assert lady_r.links == ["37049"]


def test_remarks_details(sdn: LoadedList) -> None:
    ents = _by_id(sdn)
    munoz = ents["1001"]
    assert munoz.name == "MUÑOZ, José"  # cp1252 bytes decoded
    assert munoz.birth_dates == ["~1960", "1959..1962"]
    assert munoz.countries == ["kp"]
    assert munoz.gender == "female"
    assert munoz.aliases == ["PEPE"]
    assert munoz.programs == ["SDNT", "ILLICIT-DRUGS-EO14059"]
    assert Identifier("national_id", "123-45") in munoz.identifiers
    # sdn_comments.csv continues the truncated remarks
    assert Identifier("tax", "MUJO600101") in munoz.identifiers
    assert ents["1003"].schema == "Airplane"
    assert ents["1003"].links == ["1002"]
    assert ents["1002"].schema == "LegalEntity"


def test_orphan_alias_rows_are_ignored(sdn: LoadedList) -> None:
    assert all("ORPHAN ALIAS" not in e.aliases for e in sdn.entities)


def test_non_sdn_set(fixtures_dir: Path) -> None:
    (cons,) = load_path(fixtures_dir / "lists" / "ofac_cons")
    assert cons.meta.name == "us_ofac_cons"
    ents = _by_id(cons)
    assert ents["9639"].aliases == ["HANIYA, Ismail"]
    assert ents["9639"].birth_dates == ["1962"]
    assert ents["17016"].aliases == ["EXAMPLE INDIA"]  # a.k.a. from cons_comments.csv


def test_detected_by_content_not_name(fixtures_dir: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "export.txt"
    shutil.copy(fixtures_dir / "lists" / "ofac_sdn" / "sdn.csv", renamed)
    assert detect_format(renamed) == "ofac_csv"
    (lst,) = load_path(renamed)
    assert lst.meta.name == "us_ofac_sdn"
    assert lst.meta.entity_count == 7


def test_companion_file_alone_is_refused(fixtures_dir: Path, tmp_path: Path) -> None:
    lone = tmp_path / "aliases.txt"
    shutil.copy(fixtures_dir / "lists" / "ofac_sdn" / "alt.csv", lone)
    with pytest.raises(ListFormatError, match="without its main file"):
        load_path(lone)
