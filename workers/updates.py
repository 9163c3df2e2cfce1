"""`screening lists update`: download official lists, validate them completely, swap in.

For each list: download every file to a staging directory (size cap, timeouts), refuse
HTML error pages and empty bodies, parse the whole thing with the loaders, refuse a list
that lost too many entities (settings.MIN_ENTITY_RATIO), and only then install it as a
new immutable snapshot and point the manifest at it. Any failure leaves the current
version untouched and says which list, URL and what exactly was wrong.
"""

from __future__ import annotations

import http.client
import logging
import os
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import matching.lists as loaders
from matching.errors import ListFormatError, ScreeningError
from matching.model import LoadedList
from workers import registry, settings

log = logging.getLogger("screening.lists")
USER_AGENT = "screening-list-updater/0.1 (+sanctions screening service)"
_CHUNK = 1 << 16


@dataclass(frozen=True, slots=True)
class Source:
    """An official list and where it is published. A list of several files (the OFAC CSV
    sets) is fetched from one base URL: each file name is appended to it."""

    name: str  # also the list name its loader gives it
    files: tuple[str, ...]
    default_url: str
    # Last byte every complete file ends with: OFAC ends each CSV with 0x1A (DOS EOF), so a
    # file cut at a line boundary, which still parses, is caught here.
    end_byte: bytes | None = None

    @property
    def env_var(self) -> str:
        return "SCREENING_LIST_URL_" + self.name.upper().replace("-", "_")

    def url(self) -> str:
        return os.environ.get(self.env_var) or self.default_url

    def file_urls(self, url: str) -> list[tuple[str, str]]:
        if len(self.files) == 1:
            return [(self.files[0], url)]
        # A set: accept the base URL, or the URL of one of its files.
        base = url
        for name in self.files:
            if base.lower().endswith("/" + name.lower()):
                base = base[: -len(name)]
        base = base if base.endswith("/") else base + "/"
        return [(name, urllib.parse.urljoin(base, name)) for name in self.files]


# OFAC's Sanctions List Service serves the legacy CSVs of both sets from one folder
# (www.treasury.gov/ofac/downloads/ redirects there).
_OFAC = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"
SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        Source(
            "us_ofac_sdn", ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"), _OFAC, b"\x1a"
        ),
        Source(
            "us_ofac_cons",
            ("cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv"),
            _OFAC,
            b"\x1a",
        ),
        Source(
            "un_sc",
            ("consolidated.xml",),
            "https://scsanctions.un.org/resources/xml/en/consolidated.xml",
        ),
        Source(
            "eu_fsf",
            ("eu_fsf.xml",),
            "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1"
            "/content?token=dG9rZW4tMjAxNw",
        ),
        Source(
            "uk_ofsi_conlist",
            ("ConList.csv",),
            "https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.csv",
        ),
        Source(
            "uk_sanctions_list",
            ("UK-Sanctions-List.xml",),
            "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml",
        ),
        # Named as its loader names it (from the dataset title inside the file).
        Source(
            "opensanctions_ukraine_war_and_sanctions",
            ("targets.simple.csv",),
            "https://data.opensanctions.org/datasets/latest/ua_war_sanctions/targets.simple.csv",
        ),
    )
}


class UpdateRefused(ScreeningError):
    """A downloaded list was not installed; the message says exactly why."""

    code = "list_update_refused"


@dataclass(slots=True)
class UpdateResult:
    name: str
    url: str
    status: str  # "updated", "unchanged" or "refused"
    message: str
    old: dict[str, Any] | None = None
    new: dict[str, Any] | None = None
    files: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status != "refused"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "url": self.url,
            "status": self.status,
            "message": self.message,
            "old": self.old,
            "new": self.new,
            "files": self.files,
        }


# --- download --------------------------------------------------------------------------


def download(
    url: str, dest: Path, *, max_bytes: int, timeout: float, deadline: float
) -> dict[str, Any]:
    """Stream `url` to `dest`. Refuses non-200 answers, oversize, slow and cut-off bodies."""
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme not in ("http", "https", "file"):
        raise UpdateRefused(f"{url}: unsupported URL scheme {scheme!r} (use https://)")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status = getattr(response, "status", None) or 200  # file:// has no status
            if status != 200:  # redirects are followed; 204/206 are not a list file
                raise UpdateRefused(f"{url}: HTTP {status} {response.reason}, expected 200")
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise UpdateRefused(
                    f"{url}: {int(declared):,} bytes announced, over the "
                    f"SCREENING_LIST_MAX_BYTES cap of {max_bytes:,}"
                )
            size = 0
            with open(dest, "wb") as out:
                while chunk := response.read(_CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise UpdateRefused(
                            f"{url}: more than {max_bytes:,} bytes, over the "
                            "SCREENING_LIST_MAX_BYTES cap"
                        )
                    if time.monotonic() - started > deadline:
                        raise UpdateRefused(
                            f"{url}: download took over {deadline:g} s "
                            "(SCREENING_LIST_DOWNLOAD_SECONDS)"
                        )
                    out.write(chunk)
            if declared and declared.isdigit() and size != int(declared):
                raise UpdateRefused(
                    f"{url}: truncated download, got {size:,} of {int(declared):,} bytes"
                )
            return {
                "file": dest.name,
                "url": url,
                "bytes": size,
                "content_type": response.headers.get("Content-Type"),
                "last_modified": response.headers.get("Last-Modified"),
            }
    except urllib.error.HTTPError as exc:
        raise UpdateRefused(f"{url}: HTTP {exc.code} {exc.reason}") from exc
    except http.client.IncompleteRead as exc:
        got = len(exc.partial) if isinstance(exc.partial, bytes) else exc.partial
        raise UpdateRefused(
            f"{url}: truncated download, connection closed after "
            f"{got:,} more bytes ({exc.expected} still expected)"
        ) from exc
    except TimeoutError as exc:
        raise UpdateRefused(
            f"{url}: no answer within {timeout:g} s (SCREENING_LIST_TIMEOUT_SECONDS)"
        ) from exc
    except urllib.error.URLError as exc:
        raise UpdateRefused(f"{url}: cannot connect ({exc.reason})") from exc
    except (OSError, http.client.HTTPException) as exc:
        raise UpdateRefused(f"{url}: download failed ({type(exc).__name__}: {exc})") from exc


def check_payload(path: Path, info: Mapping[str, Any], end_byte: bytes | None = None) -> None:
    """Cheap refusals before parsing, with a clearer message than the parser would give."""
    with open(path, "rb") as fh:
        head = fh.read(512)
        fh.seek(max(0, info["bytes"] - 16))
        tail = fh.read()
    url = info["url"]
    if not head.strip(b" \t\r\n\x1a\x00\xef\xbb\xbf"):
        raise UpdateRefused(f"{url}: empty response body ({info['bytes']} bytes)")
    start = head.lstrip(b" \t\r\n\xef\xbb\xbf").lower()
    if start.startswith((b"<!doctype html", b"<html")):
        raise UpdateRefused(
            f"{url}: the server sent an HTML page (Content-Type: {info.get('content_type')}), "
            "not a list file; check the URL or whether the site is down"
        )
    if end_byte is not None and not tail.endswith(end_byte):
        raise UpdateRefused(
            f"{url}: cut short, the file does not end with its 0x{end_byte.hex()} end-of-file "
            f"byte (last bytes {tail[-8:]!r}, {info['bytes']:,} bytes received)"
        )


# --- validate and install --------------------------------------------------------------


def _baseline(name: str, manifest: dict[str, Any]) -> dict[str, Any] | None:
    """The version in force for `name`: its current snapshot, else a configured copy."""
    snap = registry.current_snapshot(manifest, name)
    if snap is not None:
        return {**snap.meta, "source": snap.url, "snapshot": snap.id}
    for spec in settings.LISTS:
        try:
            for loaded in registry.load_spec_cached(spec):
                if loaded.meta.name == name:
                    return loaded.meta.to_dict()
        except ScreeningError:
            continue  # a broken configured spec is not this update's problem
    return None


def _load_staged(source: Source, staged: Path, urls: Mapping[str, str]) -> LoadedList:
    spec = staged / source.files[0] if len(source.files) == 1 else staged
    try:
        found = list(loaders.load_spec(str(spec)))
    except ListFormatError as exc:
        # Name the URL the broken file came from, not the staging path.
        file = Path(exc.path).name
        if file not in urls:  # about the set as a whole (the staging folder)
            raise UpdateRefused(f"{source.name} files: {exc.problem}") from exc
        where = f"{file}, {exc.location}" if exc.location else file
        raise UpdateRefused(f"{urls[file]}: malformed ({where}): {exc.problem}") from exc
    except ScreeningError as exc:
        raise UpdateRefused(f"not a readable list: {exc.message}") from exc
    names = [loaded.meta.name for loaded in found]
    if names != [source.name]:
        raise UpdateRefused(
            f"the downloaded file reads as {names or 'no list'}, not {source.name}; "
            f"check {source.env_var}"
        )
    loaded = found[0]
    if loaded.meta.entity_count == 0:
        raise UpdateRefused("the file parses but holds no entities")
    return loaded


def _summary(meta: Mapping[str, Any] | None) -> str:
    if not meta:
        return "none"
    return f"{meta['version']} ({meta['entity_count']:,} entities, {meta['name_count']:,} names)"


def shrink_problem(
    name: str, old: Mapping[str, Any] | None, new: Mapping[str, Any], ratio: float,
    manifest: dict[str, Any],
) -> str | None:
    """Why `new` looks like a cut-off file, or None. It is compared with the LARGEST recent
    version (every kept snapshot and the version in force), not only the last one, so a
    series of small cuts cannot shrink a list step by step."""
    recent = [s.meta for s in registry.snapshots(manifest, name)] + ([old] if old else [])
    if not recent:
        return None
    largest = max(recent, key=lambda m: int(m["entity_count"]))
    count, top = int(new["entity_count"]), int(largest["entity_count"])
    if ratio > 0 and count < ratio * top:
        return (f"only {count:,} entities against {top:,} in the largest recent version "
                f"{largest['version']} ({count / max(top, 1):.0%}, below the required "
                f"{ratio:.0%})")
    if (old and old.get("published") and old.get("published") == new.get("published")
            and count < int(old["entity_count"])):
        return (f"the publication date {new['published']} did not move, yet the content "
                f"shrank from {int(old['entity_count']):,} to {count:,} entities")
    return None


def update_list(
    name: str, url: str | None = None, *, min_ratio: float | None = None,
    allow_shrink: str | None = None,
) -> UpdateResult:
    """Download, validate and install one list. Never raises for a bad file: refuses."""
    source = SOURCES.get(name)
    if source is None:
        known = ", ".join(sorted(SOURCES))
        return UpdateResult(name, url or "", "refused", f"{name}: unknown list; known: {known}")
    url = url or source.url()
    ratio = settings.MIN_ENTITY_RATIO if min_ratio is None else min_ratio
    staged = registry.staging_dir() / f"{name}-{uuid.uuid4().hex[:12]}"
    staged.mkdir(parents=True)
    result = UpdateResult(name, url, "refused", "")
    try:
        # The version in force, known up front so every refusal can say what was kept.
        result.old = old = _baseline(name, registry.read_manifest())
        urls = dict(source.file_urls(url))
        for file, file_url in urls.items():
            info = download(
                file_url,
                staged / file,
                max_bytes=settings.LIST_MAX_BYTES,
                timeout=settings.LIST_TIMEOUT_SECONDS,
                deadline=settings.LIST_DOWNLOAD_SECONDS,
            )
            check_payload(staged / file, info, source.end_byte)
            result.files.append(info)
        loaded = _load_staged(source, staged, urls)
        new = loaded.meta.to_dict()
        result.new = new
        if old and old["content_hash"] == new["content_hash"]:
            result.status = "unchanged"
            result.message = f"{name}: unchanged, {_summary(old)}"
            return result
        problem = shrink_problem(name, old, new, ratio, registry.read_manifest())
        if problem and not allow_shrink:
            raise UpdateRefused(
                f"{url}: {problem}; a cut-off or partial file is likelier than a mass "
                "delisting. If the shrink is real, re-run with --allow-shrink REASON (the "
                "reason is logged and kept in the list's history)"
            )
        note = None
        if problem:
            note = {"event": "shrink_allowed", "at": registry.now_iso(), "reason": allow_shrink,
                    "problem": problem, "entity_count": new["entity_count"]}
            log.warning("list shrink allowed by the operator", extra={
                "list": name, "reason": allow_shrink, "problem": problem})
        modified = next((f["last_modified"] for f in result.files if f.get("last_modified")), None)
        spec_in_staged = source.files[0] if len(source.files) == 1 else ""
        snap = registry.install_snapshot(name, staged, spec_in_staged, loaded.meta, url, modified,
                                         note=note)
        result.new = {**new, "source": url, "snapshot": snap.id}
        result.status = "updated"
        result.message = f"{name}: {_summary(old)} -> {_summary(new)}"
        return result
    except UpdateRefused as exc:
        kept = f"kept current {_summary(result.old)}" if result.old else "nothing installed"
        result.message = f"{name}: {exc.message} [{kept}]"
        return result
    finally:
        shutil.rmtree(staged, ignore_errors=True)  # gone already when installed


def update_lists(
    names: Sequence[str], urls: Mapping[str, str] | None = None, *, min_ratio: float | None = None,
    allow_shrink: str | None = None,
) -> list[UpdateResult]:
    """Each list independently: one refused list does not block the others."""
    urls = urls or {}
    registry.clean_staging()
    return [update_list(name, urls.get(name), min_ratio=min_ratio, allow_shrink=allow_shrink)
            for name in names]
