"""Which list format a file holds, judged by its content (never by its name)."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

from matching.errors import ListFormatError
from matching.lists.ofac import SETS

FORMATS = (
    "ofac_csv",
    "un_xml",
    "eu_fsf_xml",
    "eu_oj_csv",
    "uk_conlist_csv",
    "uk_conlist_xlsx",
    "uk_sl_xml",
    "os_simple_csv",
    "ftm_jsonl",
    "internal_csv",
    "us_csl_csv",
    "builtin_json",
)
INTERNAL_HEADER = [
    "id",
    "name",
    "schema",
    "aliases",
    "birth_date",
    "country",
    "identifiers",
    "program",
]
_HEAD = 64 * 1024
_XML_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_XML_ROOTS = {"CONSOLIDATED_LIST": "un_xml", "export": "eu_fsf_xml", "Designations": "uk_sl_xml"}
# OFAC rows: an entry number, then a number, a quoted field or -0-.
_OFAC_ROW = re.compile(r'^\d+,(?:"|-0-|\d+,)')
# Column count of each OFAC file kind (main, alt, add, comments).
OFAC_KINDS = {12: "main", 5: "alt", 6: "add", 2: "comments"}


def _xml_root(head: bytes) -> str | None:
    # Skip the declaration, comments and DOCTYPE: the first plain tag is the root.
    body = re.sub(rb"<!--.*?-->", b"", head, flags=re.S)
    body = re.sub(rb"<\?.*?\?>", b"", body, flags=re.S)
    body = re.sub(rb"<!DOCTYPE[^\[>]*(\[.*?\])?\s*>", b"", body, flags=re.S)
    m = _XML_ROOT.search(body)
    return m.group(1).decode("ascii", "replace").rsplit(":", 1)[-1] if m else None


def _xlsx_kind(path: Path) -> str | None:
    """A workbook whose strings include the ConList header is the OFSI ConList."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            if "xl/workbook.xml" not in names:
                return None
            parts = [
                n for n in names if n == "xl/sharedStrings.xml" or n.startswith("xl/worksheets/")
            ]
            for name in parts:
                with zf.open(name) as fh:
                    head = fh.read(_HEAD * 16)
                if b"Group ID" in head and b"Name 6" in head:
                    return "uk_conlist_xlsx"
    except (zipfile.BadZipFile, OSError):
        return None
    return None


def _first_row(text: str) -> list[str]:
    try:
        return next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error:
        return []


def ofac_kind(path: Path) -> str | None:
    """ "main", "alt", "add" or "comments" for an OFAC CSV file, None otherwise."""
    text = path.open("rb").read(_HEAD).decode("latin-1")
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    if not _OFAC_ROW.match(first):
        return None
    return OFAC_KINDS.get(len(_first_row(first)))


def _sniff(path: Path) -> str | None:
    with path.open("rb") as fh:
        head = fh.read(_HEAD)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped.strip(b"\x1a\x00"):
        raise ListFormatError(str(path), None, "empty file")
    if stripped.startswith(b"PK\x03\x04"):
        return _xlsx_kind(path)
    if stripped.startswith(b"<"):
        root = _xml_root(stripped)
        return _XML_ROOTS.get(root or "")
    text = stripped.decode("utf-8", "replace")
    if stripped.startswith(b"{"):
        first = text.split("\n", 1)[0]
        try:
            obj = json.loads(first)
        except json.JSONDecodeError:
            return "builtin_json" if '"entities"' in text else None
        if isinstance(obj, dict) and "schema" in obj and "properties" in obj:
            return "ftm_jsonl"
        return "builtin_json" if isinstance(obj, dict) and "entities" in obj else None
    first = text.split("\n", 1)[0]
    if _OFAC_ROW.match(first) and len(_first_row(first)) in OFAC_KINDS:
        return "ofac_csv"
    header = [c.strip() for c in _first_row(first)]
    if header[:1] == ["Last Updated"] or {"Name 6", "Group ID"} <= set(header):
        return "uk_conlist_csv"
    if "recordId" in header and ("celex" in header or "amendmentCelex" in header):
        return "eu_oj_csv"
    if header[:3] == ["id", "schema", "name"] and "dataset" in header:
        return "os_simple_csv"
    if header[:3] == ["_id", "source", "entity_number"]:
        return "us_csl_csv"
    if header[: len(INTERNAL_HEADER)] == INTERNAL_HEADER:
        return "internal_csv"
    return None


def detect_format(path: Path) -> str:
    """The list format of a file or directory; ListFormatError if it is none of FORMATS."""
    path = Path(path)
    if path.is_dir():
        for spec in SETS:
            if (path / spec.main).is_file():
                return "ofac_csv"
        raise ListFormatError(str(path), None, "directory holds no OFAC CSV set; use load_path")
    if not path.is_file():
        raise ListFormatError(str(path), None, "no such file")
    fmt = _sniff(path)
    if fmt is None:
        raise ListFormatError(str(path), None, "unrecognised list format")
    return fmt
