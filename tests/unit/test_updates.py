"""`lists update` against a local HTTP server: good files swap in, bad ones are refused
with a precise message and the current version stays in force."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from api.cli import main
from matching.model import Query
from workers import engines, registry, settings, updates

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "registry"
OFAC_FILES = ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")


@dataclass
class Route:
    body: bytes
    status: int = 200
    content_type: str = "text/csv"
    declared_length: int | None = None  # announce more than is sent: a cut-off transfer


@dataclass
class Server:
    base: str
    routes: dict[str, Route] = field(default_factory=dict)

    def serve_dir(self, prefix: str, folder: Path, files: tuple[str, ...] = OFAC_FILES) -> str:
        for name in files:
            self.routes[f"/{prefix}/{name}"] = Route((folder / name).read_bytes())
        return f"{self.base}/{prefix}/"

    def serve(self, path: str, route: Route) -> str:
        self.routes[path] = route
        return self.base + path


@pytest.fixture
def server() -> Iterator[Server]:
    state = Server(base="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            route = state.routes.get(self.path)
            if route is None:
                route = Route(b"<html><body>Not Found</body></html>", 404, "text/html")
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            length = route.declared_length if route.declared_length is not None else len(route.body)
            self.send_header("Content-Length", str(length))
            self.send_header("Last-Modified", "Tue, 02 Jul 2024 10:00:00 GMT")
            self.end_headers()
            self.wfile.write(route.body)
            self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr(settings, "DATA_DIR", tmp_path / "data")
    monkeypatch.setattr(settings, "LISTS", ("kr-mofa",))
    monkeypatch.setattr(settings, "MIN_ENTITY_RATIO", 0.9)
    engines.reset()
    yield tmp_path / "data"
    engines.reset()


def current(name: str) -> str | None:
    snap = registry.current_snapshot(registry.read_manifest(), name)
    return snap.id if snap else None


def ofac_v1(server: Server) -> updates.UpdateResult:
    result = updates.update_list("us_ofac_sdn", server.serve_dir("v1", FIXTURES / "ofac_v1"))
    assert result.status == "updated", result.message
    return result


def refused(result: updates.UpdateResult, *parts: str) -> str:
    """Assert a refusal whose message holds every part; returns the message."""
    assert result.status == "refused", result.message
    for part in parts:
        assert part in result.message, f"{part!r} not in {result.message!r}"
    return result.message


# --- good updates ----------------------------------------------------------------------


def test_good_update_swaps_in_and_the_version_changes(server: Server) -> None:
    first = ofac_v1(server)
    assert first.old is None and first.new is not None
    assert first.new["entity_count"] == 10
    assert current("us_ofac_sdn") == first.new["snapshot"]

    url = server.serve_dir("v2", FIXTURES / "ofac_v2")
    second = updates.update_list("us_ofac_sdn", url)
    assert second.status == "updated", second.message
    assert second.old is not None and second.new is not None
    assert second.old["version"] != second.new["version"]
    assert f"{second.old['version']} (10 entities" in second.message
    assert f"-> {second.new['version']} (11 entities" in second.message
    assert current("us_ofac_sdn") == second.new["snapshot"]
    row = {r["name"]: r for r in registry.in_force()}["us_ofac_sdn"]
    assert (row["entity_count"], row["source"]) == (11, url)
    assert row["last_modified"] == "Tue, 02 Jul 2024 10:00:00 GMT"

    again = updates.update_list("us_ofac_sdn", url)
    assert again.status == "unchanged", again.message


def test_url_comes_from_the_environment(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    url = server.serve("/un.xml", Route((FIXTURES / "un" / "consolidated.xml").read_bytes()))
    monkeypatch.setenv("SCREENING_LIST_URL_UN_SC", url)
    assert updates.SOURCES["un_sc"].url() == url
    result = updates.update_list("un_sc")
    assert result.status == "updated", result.message
    assert result.url == url and result.new and result.new["published"] == "2026-02-27"


def test_file_url_works_for_offline_installs() -> None:
    url = (FIXTURES / "un" / "consolidated.xml").as_uri()
    result = updates.update_list("un_sc", url)
    assert result.status == "updated", result.message
    assert {r["name"]: r for r in registry.in_force()}["un_sc"]["source"] == url


def test_ofac_url_may_name_one_file_of_the_set() -> None:
    src = updates.SOURCES["us_ofac_sdn"]
    got = src.file_urls("https://h.test/downloads/sdn.csv")
    assert got[0] == ("sdn.csv", "https://h.test/downloads/sdn.csv")
    assert got[1] == ("alt.csv", "https://h.test/downloads/alt.csv")
    assert src.file_urls("https://h.test/downloads") == got


# --- bad updates: each refused, the current version kept -------------------------------


def test_http_404_is_refused(server: Server) -> None:
    before = current("us_ofac_sdn") or ofac_v1(server).new["snapshot"]  # type: ignore[index]
    result = updates.update_list("us_ofac_sdn", f"{server.base}/missing/")
    refused(
        result, f"us_ofac_sdn: {server.base}/missing/sdn.csv: HTTP 404", "kept current undated+"
    )
    assert current("us_ofac_sdn") == before
    assert not list(registry.staging_dir().iterdir())  # the failed download is gone


def test_xml_entity_bomb_is_refused(server: Server) -> None:
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE CONSOLIDATED_LIST [\n <!ENTITY a "aaaaaaaaaa">\n'
        b' <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n'
        b' <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">\n]>\n'
        b'<CONSOLIDATED_LIST dateGenerated="2026-01-01"><INDIVIDUALS><INDIVIDUAL>'
        b"<FIRST_NAME>&c;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>\n"
    )
    url = server.serve("/bomb.xml", Route(bomb, content_type="application/xml"))
    refused(
        updates.update_list("un_sc", url),
        f"un_sc: {url}: malformed (consolidated.xml)",
        "unsafe XML",
        "nothing installed",
    )
    assert current("un_sc") is None


def test_stale_staging_left_by_a_killed_update_is_cleaned() -> None:
    stale = registry.staging_dir() / "us_ofac_sdn-dead"
    stale.mkdir()
    fresh = registry.staging_dir() / "us_ofac_sdn-live"
    fresh.mkdir()
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(stale, (two_days_ago, two_days_ago))
    registry.clean_staging()
    assert not stale.exists()
    assert fresh.exists()  # a download in progress elsewhere is left alone


def test_html_error_page_instead_of_csv_is_refused(server: Server) -> None:
    before = ofac_v1(server).new["snapshot"]  # type: ignore[index]
    url = server.serve_dir("html", FIXTURES / "ofac_v1")
    page = b"<!DOCTYPE html>\n<html><body><h1>Service Unavailable</h1></body></html>"
    server.routes["/html/sdn.csv"] = Route(page, 200, "text/html; charset=utf-8")
    msg = refused(
        updates.update_list("us_ofac_sdn", url), "/html/sdn.csv", "HTML page", "text/html"
    )
    assert "kept current" in msg
    assert current("us_ofac_sdn") == before


def test_empty_body_is_refused(server: Server) -> None:
    before = ofac_v1(server).new["snapshot"]  # type: ignore[index]
    url = server.serve_dir("empty", FIXTURES / "ofac_v1")
    server.routes["/empty/alt.csv"] = Route(b"")
    refused(updates.update_list("us_ofac_sdn", url), "/empty/alt.csv", "empty response body")
    assert current("us_ofac_sdn") == before


def test_truncated_xml_is_refused_with_line_and_column(server: Server) -> None:
    good = server.serve("/un/good.xml", Route((FIXTURES / "un" / "consolidated.xml").read_bytes()))
    before = updates.update_list("un_sc", good)
    assert before.status == "updated"
    body = (FIXTURES / "un" / "consolidated.xml").read_bytes()
    cut = server.serve("/un/cut.xml", Route(body[: len(body) // 2], content_type="application/xml"))
    msg = refused(
        updates.update_list("un_sc", cut),
        cut,
        "malformed (consolidated.xml, line ",
        "column",
        "kept current 2026-02-27+",
    )
    assert "3 entities" in msg  # the version kept, with its counts
    assert current("un_sc") == before.new["snapshot"]  # type: ignore[index]


def test_connection_cut_mid_transfer_is_refused(server: Server) -> None:
    before = ofac_v1(server).new["snapshot"]  # type: ignore[index]
    url = server.serve_dir("cut", FIXTURES / "ofac_v1")
    body = (FIXTURES / "ofac_v1" / "sdn.csv").read_bytes()
    server.routes["/cut/sdn.csv"] = Route(body[:300], declared_length=len(body))
    refused(updates.update_list("us_ofac_sdn", url), "/cut/sdn.csv", "truncated download")
    assert current("us_ofac_sdn") == before


def test_malformed_csv_row_is_refused_with_its_line(server: Server) -> None:
    before = ofac_v1(server).new["snapshot"]  # type: ignore[index]
    url = server.serve_dir("bad", FIXTURES / "ofac_v1")
    lines = (FIXTURES / "ofac_v1" / "sdn.csv").read_bytes().split(b"\r\n")
    lines[3] = b'306,"BANCO NACIONAL DE CUBA",-0- '  # a row cut short
    server.routes["/bad/sdn.csv"] = Route(b"\r\n".join(lines))
    refused(
        updates.update_list("us_ofac_sdn", url),
        "/bad/sdn.csv",
        "(sdn.csv, line 4)",
        "expected 12 columns",
    )
    assert current("us_ofac_sdn") == before


def test_ofac_file_cut_at_a_line_boundary_is_refused(server: Server) -> None:
    before = ofac_v1(server).new["snapshot"]  # type: ignore[index]
    url = server.serve_dir("eof", FIXTURES / "ofac_v1")
    body = (FIXTURES / "ofac_v1" / "sdn.csv").read_bytes()
    cut = body[: body.rindex(b"\r\n", 0, len(body) - 3) + 2]  # 9 of 10 rows, parses fine
    server.routes["/eof/sdn.csv"] = Route(cut)
    refused(
        updates.update_list("us_ofac_sdn", url),
        "/eof/sdn.csv: cut short",
        "0x1a end-of-file byte",
        "kept current undated+",
    )
    assert current("us_ofac_sdn") == before


def test_a_list_that_lost_most_entities_is_refused(server: Server) -> None:
    before = ofac_v1(server).new["snapshot"]  # type: ignore[index]
    url = server.serve_dir("small", FIXTURES / "ofac_v1")
    lines = (FIXTURES / "ofac_v1" / "sdn.csv").read_bytes().split(b"\r\n")
    server.routes["/small/sdn.csv"] = Route(lines[0] + b"\r\n\x1a")  # 1 of 10 entries
    refused(
        updates.update_list("us_ofac_sdn", url),
        "only 1 entities against 10",
        "(10%, below the required 90%)",
        "--allow-shrink REASON",
    )
    assert current("us_ofac_sdn") == before
    # The operator can accept a genuine shrink explicitly.
    forced = updates.update_list("us_ofac_sdn", url, min_ratio=0)
    assert forced.status == "updated", forced.message
    assert current("us_ofac_sdn") != before


def test_file_of_another_list_is_refused(server: Server) -> None:
    url = server.serve("/wrong.xml", Route((FIXTURES / "ofac_v1" / "sdn.csv").read_bytes()))
    refused(
        updates.update_list("un_sc", url),
        "un_sc: the downloaded file reads as ['us_ofac_",
        "SCREENING_LIST_URL_UN_SC",
        "nothing installed",
    )
    assert current("un_sc") is None


def test_oversize_download_is_refused(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "LIST_MAX_BYTES", 100)
    url = server.serve("/big.xml", Route((FIXTURES / "un" / "consolidated.xml").read_bytes()))
    refused(updates.update_list("un_sc", url), "over the SCREENING_LIST_MAX_BYTES cap")


def test_unreachable_server_is_refused() -> None:
    refused(updates.update_list("un_sc", "http://127.0.0.1:9/x.xml"), "cannot connect")


# --- engines across an update ----------------------------------------------------------


def test_in_flight_engine_keeps_answering_while_current_moves(server: Server) -> None:
    ofac_v1(server)
    job_ref = engines.current_list_ref()  # a job starts
    job_engine = engines.engine_for(job_ref)
    assert updates.update_list("us_ofac_sdn", server.serve_dir("v2", FIXTURES / "ofac_v2")).ok
    engines.current_list_ref()  # notices the manifest change (one stat)
    engines.wait_for_refresh(30)
    assert engines.current_list_ref()["key"] != job_ref["key"]
    old = engines.engine_for(job_ref)
    assert old is job_engine
    assert "173" in {m.source_id for m in old.screen(Query(name="ANGLO-CARIBBEAN CO., LTD."))}
    new_hits = engines.current_engine().screen(Query(name="ANGLO-CARIBBEAN CO., LTD."))
    assert "173" not in {m.source_id for m in new_hits}


# --- CLI -------------------------------------------------------------------------------


def test_cli_update_and_show(server: Server, capsys: pytest.CaptureFixture[str]) -> None:
    url = server.serve_dir("v1", FIXTURES / "ofac_v1")
    assert main(["lists", "update", "--url", f"us_ofac_sdn={url}"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("updated: us_ofac_sdn: none -> undated+")

    assert main(["lists", "show", "--json"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["us_ofac_sdn"]["entity_count"] == 10 and rows["us_ofac_sdn"]["source"] == url

    assert main(["lists", "show"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == [
        "NAME",
        "AUTHORITY",
        "VERSION",
        "HASH",
        "ENTITIES",
        "NAMES",
        "LOADED_AT",
        "SOURCE",
    ]
    assert any(line.startswith("us_ofac_sdn ") and line.endswith(url) for line in table)


def test_cli_refusal_exits_non_zero_and_says_why(
    server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["lists", "update", "--list", "un_sc", "--url", f"un_sc={server.base}/nope.xml"])
    assert code == 1
    err = capsys.readouterr().err
    assert f"REFUSED: un_sc: {server.base}/nope.xml: HTTP 404" in err
    assert "1 list(s) refused (un_sc)" in err


def test_cli_unknown_list_is_an_error() -> None:
    with pytest.raises(SystemExit, match="unknown list nope; known: "):
        main(["lists", "update", "--list", "nope"])
    with pytest.raises(SystemExit, match="'un_sc' is not NAME=URL"):
        main(["lists", "update", "--url", "un_sc"])


# --- real data -------------------------------------------------------------------------


@pytest.mark.real_data
def test_real_files_update_and_bad_real_files_are_refused(server: Server, real_lists: Path) -> None:
    sdn_url = server.serve_dir("sdn", real_lists / "us_ofac_sdn")
    good = updates.update_list("us_ofac_sdn", sdn_url)
    assert good.status == "updated", good.message
    assert good.new and good.new["entity_count"] == 15443
    un_body = (real_lists / "un_sc" / "consolidated.xml").read_bytes()
    un = updates.update_list("un_sc", server.serve("/un.xml", Route(un_body)))
    assert un.new and un.new["entity_count"] == 1003 and un.new["published"] == "2026-02-27"

    cut = server.serve("/un-cut.xml", Route(un_body[: len(un_body) // 3]))
    refused(
        updates.update_list("un_sc", cut),
        "malformed (consolidated.xml, line ",
        "kept current 2026-02-27+",
    )

    lines = (real_lists / "us_ofac_sdn" / "sdn.csv").read_bytes().split(b"\r\n")
    tenth = b"\r\n".join(lines[: len(lines) // 10]) + b"\r\n\x1a"
    server.routes["/sdn-small/sdn.csv"] = Route(tenth)
    for name in OFAC_FILES[1:]:
        server.routes[f"/sdn-small/{name}"] = server.routes[f"/sdn/{name}"]
    refused(
        updates.update_list("us_ofac_sdn", f"{server.base}/sdn-small/"),
        "against 15,443 in the largest recent version",
    )
    assert current("us_ofac_sdn") == good.new["snapshot"]
    assert current("un_sc") == un.new["snapshot"]

    # The review's case: a real file cut at an entity boundary (and closed again), losing
    # under 10% of its entities: it still parses, but its publication date did not move.
    text = un_body.decode("utf-8")
    end = text.index("</INDIVIDUALS>")
    start = text.index("<INDIVIDUAL>", end - end // 20)  # the last ~5% of the people
    trimmed = (text[:start] + text[end:]).encode("utf-8")
    shrunk = updates.update_list("un_sc", server.serve("/un-trim.xml", Route(trimmed)))
    refused(shrunk, "the publication date 2026-02-27 did not move", "--allow-shrink REASON")
    assert current("un_sc") == un.new["snapshot"]


def test_small_cuts_in_a_row_are_measured_against_the_largest_recent_version(
    server: Server,
) -> None:
    ofac_v1(server)  # 10 entities
    body = (FIXTURES / "ofac_v1" / "sdn.csv").read_bytes()
    rows = body.rstrip(b"\x1a").split(b"\r\n")
    for keep, prefix in ((9, "cut9"), (8, "cut8")):
        url = server.serve_dir(prefix, FIXTURES / "ofac_v1")
        server.routes[f"/{prefix}/sdn.csv"] = Route(b"\r\n".join(rows[:keep]) + b"\r\n\x1a")
        result = updates.update_list("us_ofac_sdn", url, min_ratio=0.85)
        if keep == 9:
            assert result.status == "updated", result.message  # 90% of 10: accepted
    # 8 is 89% of the last version (9) but 80% of the largest recent one (10): refused.
    refused(result, "only 8 entities against 10 in the largest recent version")


def test_a_shrink_under_an_unchanged_publication_date_needs_an_operator_reason(
    server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    full = (FIXTURES / "un" / "consolidated.xml").read_text(encoding="utf-8")
    assert updates.update_list("un_sc", server.serve("/un.xml", Route(full.encode()))).ok
    start = full.index("<INDIVIDUAL>")
    cut = full[:start] + full[full.index("</INDIVIDUAL>", start) + len("</INDIVIDUAL>"):]
    url = server.serve("/un-cut.xml", Route(cut.encode()))
    refused(updates.update_list("un_sc", url, min_ratio=0.1),
            "the publication date 2026-02-27 did not move", "--allow-shrink REASON")
    with caplog.at_level("WARNING", logger="screening.lists"):
        allowed = updates.update_list("un_sc", url, min_ratio=0.1,
                                      allow_shrink="UN delisted one person on 2026-02-27")
    assert allowed.status == "updated", allowed.message
    assert any(getattr(r, "reason", None) == "UN delisted one person on 2026-02-27"
               for r in caplog.records)
    history = registry.read_manifest()["lists"]["un_sc"]["history"]
    assert history[-1]["reason"] == "UN delisted one person on 2026-02-27"
    assert history[-1]["snapshot"] == current("un_sc")
