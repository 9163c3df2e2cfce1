"""OFAC legacy CSV sets: SDN (sdn/alt/add/sdn_comments.csv) and non-SDN (cons_*.csv).

The files have no header, "-0-" means empty, the text is cp1252 (not UTF-8 clean)
and ends with a 0x1A byte. Most facts live in the free-text remarks column:
DOB, POB, nationality, gender, IMO, passport, tax ID, "Linked To:" and extra a.k.a.s.
Entity names are kept as published ("SURNAME, Given"). The legacy CSV has no alias
quality flag, so every alt.csv name (aka, fka, nka) is a strong alias.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from matching.errors import ListFormatError
from matching.lists.common import (
    add_country,
    add_identifier,
    clean,
    make_list,
    norm_gender,
    read_bytes,
    read_csv_rows,
)
from matching.lists.dates import parse_dates
from matching.lists.prose import OFAC_ENTRY, official_urls
from matching.model import Entity, LoadedList


@dataclass(frozen=True)
class OfacSet:
    name: str
    title: str
    main: str
    alt: str
    add: str
    comments: str


SDN = OfacSet(
    "us_ofac_sdn",
    "OFAC Specially Designated Nationals and Blocked Persons List",
    "sdn.csv",
    "alt.csv",
    "add.csv",
    "sdn_comments.csv",
)
CONS = OfacSet(
    "us_ofac_cons",
    "OFAC Consolidated (non-SDN) Sanctions List",
    "cons_prim.csv",
    "cons_alt.csv",
    "cons_add.csv",
    "cons_comments.csv",
)
SETS = (SDN, CONS)
AUTHORITY = "U.S. Department of the Treasury, Office of Foreign Assets Control (OFAC)"

MAIN_COLS = 12  # ent_num,name,type,program,title,call_sign,vess_type,tonnage,grt,flag,owner,remarks
ALT_COLS = 5  # ent_num,alt_num,alt_type,alt_name,alt_remarks
ADD_COLS = 6  # ent_num,add_num,address,city_state_zip,country,add_remarks
COMMENT_COLS = 2  # ent_num,remarks continued

_SCHEMAS = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane", "": "LegalEntity"}

_ID_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("imo", re.compile(r"\bIMO (\d{7})\b")),
    ("mmsi", re.compile(r"\bMMSI (\d{9})\b")),
    ("tax", re.compile(r"\bTax ID No\. ([A-Za-z0-9][\w\-./]*)")),
    ("passport", re.compile(r"^(?:alt\. )?Passport (?:No\. )?([A-Za-z0-9][\w\-/]*)")),
    (
        "national_id",
        re.compile(
            r"^(?:alt\. )?(?:National ID No\.|Cedula No\.|Personal ID Card) ([A-Za-z0-9][\w\-./]*)"
        ),
    ),
    (
        "registration",
        re.compile(
            r"^(?:Registration (?:Number|ID)|Business Registration Number|Company Number|"
            r"Commercial Registry Number|Unified Social Credit Code \(USCC\)) "
            r"([A-Za-z0-9][\w\-./]*)"
        ),
    ),
]
_ID_HINT = re.compile(
    r"IMO|MMSI|Tax ID|Passport|National ID|Cedula|Personal ID|Registration|Company Number|USCC"
)
_AKA_WHOLE = re.compile(r"^[afn]\.k\.a\. '(.+)'$")
_AKA = re.compile(r"\b([afn])\.k\.a\. '([^']+)'")
_LINK = re.compile(r"^Linked To: (.+?)\.?$")


def _decode(data: bytes) -> str:
    # The files are cp1252 with stray Latin-1 bytes; latin-1 never fails.
    data = data.rstrip(b"\x1a")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _rows(path: Path, ncols: int) -> list[tuple[int, list[str]]]:
    text = _decode(read_bytes(path))
    out: list[tuple[int, list[str]]] = []
    for line, row in read_csv_rows(path, text):
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) != ncols:
            raise ListFormatError(
                str(path), f"line {line}", f"expected {ncols} columns, found {len(row)}"
            )
        if not row[0].strip().isdigit():
            raise ListFormatError(
                str(path), f"line {line}", f"entry number is not a number: {row[0]!r}"
            )
        out.append((line, row))
    return out


def _split_remarks(remarks: str) -> list[str]:
    return [p.strip() for p in remarks.split("; ") if p.strip()]


def _apply_remarks(entity: Entity, remarks: str, links: list[str]) -> None:
    for part in _split_remarks(remarks):
        part = part.rstrip(".")
        low = part.lower()
        if low.startswith(("pob ", "alt. pob ")):
            entity.birth_places.append(part.split("POB", 1)[-1].strip())
        elif low.startswith(("dob ", "alt. dob ")):
            entity.birth_dates.extend(parse_dates(part.split("DOB", 1)[-1]))
        elif low.startswith(("nationality ", "citizen ", "alt. nationality ", "alt. citizen ")):
            add_country(
                entity, part.split(" ", 2)[-1] if low.startswith("alt.") else part.split(" ", 1)[1],
                nationality=True,
            )
        elif low.startswith("gender "):
            entity.gender = norm_gender(part[7:]) or entity.gender
        elif low.startswith("linked to: "):
            m = _LINK.match(part)
            if m:
                links.append(m.group(1).strip())
        if _ID_HINT.search(part):  # one cheap scan before the specific patterns
            for kind, rx in _ID_PATTERNS:
                m = rx.search(part)
                if m:
                    add_identifier(entity, kind, m.group(1).rstrip("."))
        if "k.a." in part:
            # The whole part is usually one a.k.a.; names may hold apostrophes (P'U LI).
            whole = _AKA_WHOLE.match(part)
            if whole:
                entity.aliases.append(whole.group(1).strip())
            else:
                entity.aliases.extend(m.group(2).strip() for m in _AKA.finditer(part))


def set_files(folder: Path, spec: OfacSet) -> list[Path]:
    """The files of `spec` present in `folder` (main file first)."""
    names = (spec.main, spec.alt, spec.add, spec.comments)
    return [folder / n for n in names if (folder / n).is_file()]


def spec_for(path: Path) -> OfacSet | None:
    """The set a file belongs to by its standard name, None for other names."""
    for spec in SETS:
        if path.name in (spec.main, spec.alt, spec.add, spec.comments):
            return spec
    return None


def load_ofac(
    spec: OfacSet,
    main: Path,
    *,
    alt: Path | None = None,
    add: Path | None = None,
    comments: Path | None = None,
    source: Path | None = None,
) -> LoadedList:
    """One OFAC set: the main file plus whichever companion files are given."""
    files = [main]
    overflow: dict[str, str] = {}  # sdn_comments.csv continues truncated remarks
    if comments is not None:
        files.append(comments)
        for _, row in _rows(comments, COMMENT_COLS):
            overflow[row[0].strip()] = overflow.get(row[0].strip(), "") + row[1]

    entities: dict[str, Entity] = {}
    raw_links: dict[str, list[str]] = {}
    by_name: dict[str, str] = {}
    for line, row in _rows(main, MAIN_COLS):
        ent_num = row[0].strip()
        if not clean(row[1]):
            raise ListFormatError(str(main), f"line {line}", f"entry {ent_num} has no name")
        if ent_num in entities:
            raise ListFormatError(str(main), f"line {line}", f"entry {ent_num} appears twice")
        etype = clean(row[2]).lower()
        schema = _SCHEMAS.get(etype, "LegalEntity")
        entity = Entity(list=spec.name, source_id=ent_num, schema=schema, name=clean(row[1]))
        entity.programs = [p for p in (clean(x) for x in re.split(r"\]\s*\[", clean(row[3]))) if p]
        if schema == "Vessel":
            add_country(entity, row[9])
        remarks = (row[11] if clean(row[11]) else "") + overflow.get(ent_num, "")
        links: list[str] = []
        _apply_remarks(entity, clean(remarks), links)
        entity.urls = [OFAC_ENTRY + ent_num, *official_urls(remarks)]
        raw_links[ent_num] = links
        entities[ent_num] = entity
        by_name.setdefault(entity.name.upper(), ent_num)

    if alt is not None:
        files.append(alt)
        for _, row in _rows(alt, ALT_COLS):
            found = entities.get(row[0].strip())
            if found is not None:  # orphans: alt.csv is newer than sdn.csv
                found.aliases.append(clean(row[3]))
    if add is not None:
        files.append(add)
        for _, row in _rows(add, ADD_COLS):
            found = entities.get(row[0].strip())
            if found is not None:
                add_country(found, row[4])

    for ent_num, links in raw_links.items():
        # A link names another entry; keep its ent_num when the name is on the list.
        # The remark's closing period was stripped; names may end in one ("CO.").
        entities[ent_num].links = [
            by_name.get(t.upper()) or by_name.get(t.upper() + ".") or t for t in links
        ]

    return make_list(
        name=spec.name,
        title=spec.title,
        authority=AUTHORITY,
        source=source or main,
        fmt="ofac_csv",
        published=None,
        files=files,
        entities=list(entities.values()),
    )
