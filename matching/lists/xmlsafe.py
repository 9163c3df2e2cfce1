"""Safe XML parsing: defusedxml only, every failure becomes a ListFormatError."""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from matching.errors import ListFormatError
from matching.lists.common import read_bytes


def parse_xml(path: Path) -> Element:
    """Root element of `path`; DTD entities (expansion bombs) and external refs are refused."""
    data = read_bytes(path)
    try:
        return DET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ListFormatError(
            str(path), None, f"refused unsafe XML ({type(exc).__name__}: {exc})"
        ) from exc
    except ParseError as exc:
        line, col = exc.position
        raise ListFormatError(
            str(path), f"line {line}, column {col}", f"malformed XML: {exc}"
        ) from exc


def local(tag: str) -> str:
    """Tag name without its {namespace}."""
    return tag.rsplit("}", 1)[-1]


def text_of(el: Element | None) -> str:
    return " ".join((el.text or "").split()) if el is not None else ""


def child(el: Element, name: str) -> Element | None:
    for c in el:
        if local(c.tag) == name:
            return c
    return None


def children(el: Element, name: str) -> list[Element]:
    return [c for c in el if local(c.tag) == name]


def child_text(el: Element, name: str) -> str:
    return text_of(child(el, name))
