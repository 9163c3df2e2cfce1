"""HM Treasury OFSI Consolidated List (ConList) as CSV or XLSX.

One row per name variant, grouped by "Group ID" (one Entity per group). Line 1 is
"Last Updated,DD/MM/YYYY", line 2 the header. "Primary name" gives the entity name,
"Primary name variation" and good-quality AKA/FKA are strong aliases, "Low quality"
ones weak; "Name Non-Latin Script" is a strong (original-script) alias. Facts such
as gender, IMO and the statement of reasons sit in "Other Information" as "(Key):value".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path

from matching.errors import ListFormatError
from matching.lists.common import (
    add_country,
    add_identifier,
    clean,
    make_list,
    norm_gender,
    open_csv,
    place,
    read_bytes,
    require_columns,
)
from matching.lists.dates import parse_dates
from matching.lists.prose import official_urls, related_statements
from matching.model import Entity, LoadedList

NAME = "uk_ofsi_conlist"
TITLE = "UK OFSI Consolidated List of Financial Sanctions Targets"
AUTHORITY = "HM Treasury, Office of Financial Sanctions Implementation (OFSI)"
REQUIRED = ("Name 6", "Group Type", "Alias Type", "Group ID")
_SCHEMAS = {"individual": "Person", "entity": "LegalEntity", "ship": "Vessel"}
_INFO = re.compile(r"\(([^()]{2,40})\):")
_NUMBERED = re.compile(r"\(\d+\)|[.;]")
_OFSI_ID = re.compile(r"OFSI ID:?\s*(\d+)")


def _dmy(text: str) -> str | None:
    dates = parse_dates(text)
    return dates[0] if dates else None


def _info(text: str) -> dict[str, str]:
    """'(Key):value (Key2):value2' -> {key: value}."""
    out: dict[str, str] = {}
    matches = list(_INFO.finditer(text))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        out.setdefault(m.group(1).strip(), text[m.end() : end].strip())
    return out


def _countries(entity: Entity, cell: str, nationality: bool = False) -> None:
    # "(1) Russia. (2) Syria" or a single name.
    if not re.search(r"\(\d\)", cell):
        add_country(entity, cell, nationality=nationality)
        return
    for piece in _NUMBERED.split(cell):
        add_country(entity, piece.strip(), nationality=nationality)


def _build(
    path: Path,
    fmt: str,
    published: str | None,
    header: list[str],
    rows: Iterable[tuple[int, list[str]]],
    header_line: int,
) -> LoadedList:
    col = require_columns(path, header, REQUIRED, header_line)
    width = len(header)

    def get(row: list[str], name: str) -> str:
        i = col.get(name)
        return clean(row[i]) if i is not None and i < len(row) else ""

    groups: dict[str, Entity] = {}
    last_info: dict[str, str] = {}
    for line, row in rows:
        if not any(c.strip() for c in row):
            continue
        if len(row) != width:
            raise ListFormatError(
                str(path), f"line {line}", f"expected {width} columns, found {len(row)}"
            )
        gid = get(row, "Group ID")
        if not gid:
            raise ListFormatError(str(path), f"line {line}", "row has no Group ID")
        parts = [get(row, f"Name {i}") for i in (1, 2, 3, 4, 5, 6)]
        name = " ".join(p for p in parts if p)
        entity = groups.get(gid)
        if entity is None:
            schema = _SCHEMAS.get(get(row, "Group Type").lower(), "LegalEntity")
            entity = groups[gid] = Entity(list=NAME, source_id=gid, schema=schema, name="")
        alias_type = get(row, "Alias Type").lower()
        if alias_type == "primary name" and not entity.name:
            entity.name = name
        elif "low" in get(row, "Alias Quality").lower():
            entity.weak_aliases.append(name)
        else:
            entity.aliases.append(name)
        entity.aliases.append(get(row, "Name Non-Latin Script"))
        entity.birth_dates.extend(parse_dates(get(row, "DOB")))
        entity.birth_places.append(place(get(row, "Town of Birth"), get(row, "Country of Birth")))
        _countries(entity, get(row, "Nationality"), nationality=True)
        _countries(entity, get(row, "Country"))
        add_identifier(entity, "passport", get(row, "Passport Number"))
        add_identifier(entity, "national_id", get(row, "National Identification Number"))
        entity.programs.append(get(row, "Regime"))
        entity.listed_on = entity.listed_on or _dmy(get(row, "Listed On"))
        other = get(row, "Other Information")
        if last_info.get(gid) == other:
            continue  # same facts as this group's previous row
        last_info[gid] = other
        info = _info(other)
        entity.gender = entity.gender or norm_gender(info.get("Gender"))
        add_country(entity, info.get("Flag of ship"))
        imo = re.match(r"\d{7}", info.get("IMO number", ""))
        if imo:
            add_identifier(entity, "imo", imo.group(0))
        reg = info.get("Business Reg No", "")
        if reg and len(reg) < 60:
            add_identifier(entity, "registration", reg.rstrip("."))
        if entity.reason is None and info.get("UK Statement of Reasons"):
            entity.reason = info["UK Statement of Reasons"]
        entity.links.extend(_OFSI_ID.findall(other))
        entity.related_text += related_statements(other)
        entity.urls += official_urls(other)
    for entity in groups.values():
        entity.links = [x for x in entity.links if x != entity.source_id]
        entity.aliases = [a for a in entity.aliases if a]
        entity.weak_aliases = [a for a in entity.weak_aliases if a]
        if not entity.name:  # a group without a "Primary name" row
            pool = entity.aliases or entity.weak_aliases
            if not pool:
                raise ListFormatError(
                    str(path), f"Group ID {entity.source_id}", "group has no name"
                )
            entity.name = pool.pop(0)
    return make_list(
        name=NAME,
        title=TITLE,
        authority=AUTHORITY,
        source=path,
        fmt=fmt,
        published=published,
        files=[path],
        entities=list(groups.values()),
    )


def _published(first: list[str]) -> str | None:
    if first and first[0].strip().lower() == "last updated" and len(first) > 1:
        return _dmy(first[1])
    return None


def load_conlist_csv(path: Path) -> LoadedList:
    first_line, first_cells, rows = open_csv(path)
    first = (first_line, first_cells)
    published = _published(first[1])
    if published is None and "Group ID" in [c.strip() for c in first[1]]:
        header_line, header = first  # no "Last Updated" line
    else:
        nxt = next(rows, None)
        if nxt is None:
            raise ListFormatError(str(path), "line 2", "missing header row")
        header_line, header = nxt
    return _build(path, "uk_conlist_csv", published, header, rows, header_line)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _xlsx_rows(path: Path) -> tuple[list[list[str]], Iterator[tuple[int, list[str]]]]:
    import openpyxl  # only needed for this format
    from openpyxl.utils.exceptions import InvalidFileException

    read_bytes(path)  # empty-file check
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise ListFormatError(str(path), None, f"not a readable XLSX workbook: {exc}") from exc
    except Exception as exc:  # zipfile.BadZipFile and XML errors from inside the package
        raise ListFormatError(str(path), None, f"not a readable XLSX workbook: {exc}") from exc
    sheet = book["Data"] if "Data" in book.sheetnames else book.worksheets[0]
    all_rows = [[_cell(v) for v in r] for r in sheet.iter_rows(values_only=True)]
    book.close()
    head = all_rows[:2]
    return head, ((i, r) for i, r in enumerate(all_rows, 1))


def load_conlist_xlsx(path: Path) -> LoadedList:
    head, rows = _xlsx_rows(path)
    if not head:
        raise ListFormatError(str(path), None, "workbook has no rows")
    published = _published(head[0])
    skip = 1 if published is None and "Group ID" in head[0] else 2
    header_line = skip
    header: list[str] = []
    for _ in range(skip):
        header_line, header = next(rows)
    # openpyxl pads short rows with None; trim trailing empty header cells.
    while header and not header[-1]:
        header.pop()
    width = len(header)
    trimmed = (
        (i, (r + [""] * (width - len(r)))[:width] if not any(r[width:]) else r) for i, r in rows
    )
    return _build(path, "uk_conlist_xlsx", published, header, trimmed, header_line)
