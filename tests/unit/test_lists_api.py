"""Contract: the public API of matching.lists. `load_path` takes a file or a folder
(each list once: OFAC sets together, all EU OJ CSVs as one list, UK ConList CSV
preferred over XLSX, unrecognised files skipped); `load_spec` also takes built-in
names and raises UnknownList naming what exists; ListMeta records name, authority,
source, format, published date, content hash, counts and load time; the built-in
`kr-mofa` list holds the six MOFA designations of 2 April 2024."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from matching.errors import ListFormatError, UnknownList
from matching.lists import BUILTIN_LISTS, detect_format, load_builtin, load_path, load_spec
from matching.model import SCHEMAS, Identifier


@pytest.fixture()
def list_dir(fixtures_dir: Path, tmp_path: Path) -> Path:
    """A folder shaped like the shared data folder, built from the fixtures."""
    src = fixtures_dir / "lists"
    shutil.copytree(src / "ofac_sdn", tmp_path / "us_ofac_sdn")
    shutil.copytree(src / "ofac_cons", tmp_path / "us_ofac_consolidated_non_sdn")
    shutil.copytree(src / "eu_oj", tmp_path / "eu_official_journal")
    (tmp_path / "uk").mkdir()
    shutil.copy(src / "uk_conlist.csv", tmp_path / "uk" / "ConList.csv")
    shutil.copy(src / "uk_conlist.xlsx", tmp_path / "uk" / "ConList.xlsx")
    for name in ("un_sc.xml", "eu_fsf.xml", "uk_sanctions_list.xml", "os_targets.simple.csv"):
        shutil.copy(src / name, tmp_path / name)
    (tmp_path / "README.md").write_text("# lists\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a list\n", encoding="utf-8")
    return tmp_path


def test_directory_gives_every_list_once(list_dir: Path) -> None:
    lists = load_path(list_dir)
    names = sorted(lst.meta.name for lst in lists)
    assert names == sorted(
        [
            "us_ofac_sdn",
            "us_ofac_cons",
            "eu_journal",
            "uk_ofsi_conlist",
            "un_sc",
            "eu_fsf",
            "uk_sanctions_list",
            "opensanctions_ukraine_war_and_sanctions",
        ]
    )
    by_name = {lst.meta.name: lst for lst in lists}
    assert by_name["uk_ofsi_conlist"].meta.format == "uk_conlist_csv"  # CSV preferred
    assert by_name["eu_journal"].meta.entity_count == 5
    assert by_name["eu_journal"].meta.source == str(list_dir / "eu_official_journal")


def test_meta_fields(list_dir: Path) -> None:
    for lst in load_path(list_dir):
        meta = lst.meta
        assert meta.title and meta.authority and meta.source and meta.format
        assert re.fullmatch(r"[0-9a-f]{64}", meta.content_hash)
        assert meta.entity_count == len(lst.entities) > 0
        assert meta.name_count == sum(len(e.all_names()) for e in lst.entities)
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", meta.loaded_at)
        assert meta.published is None or re.fullmatch(r"\d{4}-\d\d-\d\d", meta.published)
        assert meta.to_dict()["version"] == meta.version()
        for entity in lst.entities:
            assert entity.list == meta.name
            assert entity.schema in SCHEMAS
            assert entity.name
            assert entity.name not in entity.aliases
            assert not set(entity.aliases) & set(entity.weak_aliases)
            assert all(re.fullmatch(r"[a-z]{2}", c) for c in entity.countries)


def test_content_hash_follows_bytes(fixtures_dir: Path, tmp_path: Path) -> None:
    src = fixtures_dir / "lists" / "un_sc.xml"
    (first,) = load_path(src)
    copy = tmp_path / "un.xml"
    copy.write_bytes(src.read_bytes().replace(b"Comrade Ri", b"Comrade Re"))
    (second,) = load_path(copy)
    assert first.meta.content_hash != second.meta.content_hash
    assert first.meta.version().startswith("2026-02-27+")


def test_unrecognised_file_named_directly(fixtures_dir: Path) -> None:
    with pytest.raises(ListFormatError, match="unrecognised list format") as err:
        load_path(fixtures_dir / "lists" / "bad" / "notes.txt")
    assert err.value.path.endswith("notes.txt")


def test_directory_with_no_lists(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("nothing here\n", encoding="utf-8")
    with pytest.raises(ListFormatError, match="no list files"):
        load_path(tmp_path)


def test_detect_directory(fixtures_dir: Path) -> None:
    assert detect_format(fixtures_dir / "lists" / "ofac_sdn") == "ofac_csv"
    assert detect_format(fixtures_dir / "lists" / "ofac_cons") == "ofac_csv"


def test_load_spec(fixtures_dir: Path) -> None:
    (kr,) = load_spec("kr-mofa")
    assert kr.meta.name == "kr-mofa"
    (un,) = load_spec(str(fixtures_dir / "lists" / "un_sc.xml"))
    assert un.meta.name == "un_sc"
    assert len(load_spec(str(fixtures_dir / "lists" / "eu_oj"))) == 1


def test_load_spec_unknown_says_what_exists() -> None:
    with pytest.raises(UnknownList) as err:
        load_spec("kr-mofa-2023")
    assert "kr-mofa" in err.value.message
    assert "file or folder" in err.value.message
    with pytest.raises(UnknownList, match="kr-mofa"):
        load_builtin("nope")


def test_kr_mofa_content() -> None:
    assert "kr-mofa" in BUILTIN_LISTS
    kr = load_builtin("kr-mofa")
    meta = kr.meta
    assert meta.published == "2024-04-02"
    assert "Ministry of Foreign Affairs" in meta.authority
    assert meta.entity_count == 6
    ents = {e.name: e for e in kr.entities}
    assert set(ents) == {
        "LADY R",
        "ANGARA",
        "Intellekt LLC",
        "Sergey Mikhailovich Kozlov",
        "Sodeistvie",
        "Aleksandr Fyodorovich Panfilov",
    }
    for entity in kr.entities:
        assert re.fullmatch(r"KR-MOFA-2024-00[1-6]", entity.source_id)
        assert entity.programs == ["KR-MOFA-2024-04-02"]
        assert entity.listed_on == "2024-04-03"
        assert entity.countries == ["ru"]
        assert entity.reason and "2 April 2024" in entity.reason
        assert any(re.search("[А-Яа-яЁё]", a) for a in entity.aliases)  # Cyrillic name
    assert ents["LADY R"].identifiers == [Identifier("imo", "9161003")]
    assert ents["ANGARA"].identifiers == [Identifier("imo", "9179842")]
    assert ents["LADY R"].schema == ents["ANGARA"].schema == "Vessel"
    intellekt = ents["Intellekt LLC"]
    assert "ООО «Интеллект»" in intellekt.aliases
    assert Identifier("tax", "7701080141") in intellekt.identifiers
    kozlov = ents["Sergey Mikhailovich Kozlov"]
    assert "Козлов Сергей Михайлович" in kozlov.aliases
    assert kozlov.schema == "Person"
    assert "ООО «Содействие»" in ents["Sodeistvie"].aliases
    assert "Панфилов Александр Фёдорович" in ents["Aleksandr Fyodorovich Panfilov"].aliases
    # representative <-> company links both ways
    assert intellekt.links == [kozlov.source_id] and kozlov.links == [intellekt.source_id]
    panfilov, sodeistvie = ents["Aleksandr Fyodorovich Panfilov"], ents["Sodeistvie"]
    assert panfilov.links == [sodeistvie.source_id]
    assert sodeistvie.links == [panfilov.source_id]


def test_renamed_files_in_a_directory_are_found(fixtures_dir: Path, tmp_path: Path) -> None:
    src = fixtures_dir / "lists"
    shutil.copy(src / "ofac_sdn" / "sdn.csv", tmp_path / "treasury_export.dat")
    shutil.copy(src / "un_sc.xml", tmp_path / "un_download")
    shutil.copy(src / "ofac_sdn" / "alt.csv", tmp_path / "aliases.dat")  # no main: skipped
    names = sorted(lst.meta.name for lst in load_path(tmp_path))
    assert names == ["un_sc", "us_ofac_sdn"]
