"""Safe XML parsing: defusedxml only, every failure becomes a ListFormatError.

List files are parsed incrementally (`iter_xml`): each entity element is handed over
when complete and then dropped, so memory follows the entities kept, not the file's
size, and a file with the wrong root element is refused at its first tag."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from matching.errors import ListFormatError

T = TypeVar("T")


def iter_xml(path: Path, root_name: str, items: frozenset[str]) -> Iterator[Element]:
    """Yields the root element first (only its attributes are read yet), then every
    complete element whose local tag is in `items`, each cleared and detached once the
    caller moves on. Children of the root that are not items stay on the root."""
    _check_not_empty(path)
    stack: list[Element] = []
    try:
        events = DET.iterparse(str(path), events=("start", "end"), forbid_dtd=False,
                               forbid_entities=True, forbid_external=True)
        for event, el in events:
            if event == "start":
                if not stack:
                    if local(el.tag) != root_name:
                        raise ListFormatError(
                            str(path), f"<{local(el.tag)}>", f"root element is not <{root_name}>"
                        )
                    yield el
                stack.append(el)
                continue
            stack.pop()
            if stack and local(el.tag) in items:
                yield el
                el.clear()
                stack[-1].remove(el)
    except DefusedXmlException as exc:
        raise ListFormatError(
            str(path), None, f"refused unsafe XML ({type(exc).__name__}: {exc})"
        ) from exc
    except ParseError as exc:
        line, col = exc.position
        raise ListFormatError(
            str(path), f"line {line}, column {col}", f"malformed XML: {exc}"
        ) from exc
    except OSError as exc:
        raise ListFormatError(str(path), None, f"cannot read file: {exc.strerror or exc}") from exc


def parse_items(path: Path, items: Iterator[Element], parse: Callable[[Element], T],
                where: Callable[[int, Element], str]) -> list[T]:
    """`parse` applied to every streamed item; a ValueError becomes a ListFormatError
    naming the file and the item (`where(its number from 1, the element)`)."""
    out: list[T] = []
    for i, el in enumerate(items, 1):
        try:
            out.append(parse(el))
        except ValueError as exc:
            raise ListFormatError(str(path), where(i, el), str(exc)) from exc
    return out


def _check_not_empty(path: Path) -> None:
    try:
        with open(path, "rb") as fh:
            head = fh.read(1 << 16)
            more = bool(fh.read(1))
    except OSError as exc:
        raise ListFormatError(str(path), None, f"cannot read file: {exc.strerror or exc}") from exc
    if not more and not head.strip(b" \t\r\n\x1a\x00\xef\xbb\xbf"):
        raise ListFormatError(str(path), None, "empty file")


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
