"""The instant check's lean (de)serialisers keep the exact contract of the schemas they
stand in for: the compiled dumper builds what ScreenOut().dump builds, the fast loader
returns what ScreenIn().load returns or defers to it (so errors keep their shape), and
the JSON guard skips its re-encoding check only for bodies that cannot need it."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from marshmallow import Schema, ValidationError, fields

from api.fast_dump import compile_dumper
from api.json_guard import _needs_encoding_check
from api.lean_input import FastLoader
from api.schemas import ScreenIn, ScreenOut
from matching.engine import Engine
from matching.lists.builtin import load_builtin
from workers.pipeline import screen_records

RECORDS = [
    {"id": "c-1", "name": "Козлов Сергей Михайлович", "birth_date": "1960-05-31",
     "country": "RU"},
    {"name": "김영복"},
    {"name": "LADY R", "schema": "Vessel", "identifiers": ["IMO 9161003"]},
    {"name": "Maria Fernanda Oliveira", "country": "br"},
]


@pytest.fixture(scope="module")
def results() -> list[dict[str, Any]]:
    engine = Engine([load_builtin("kr-mofa")])
    found = screen_records(engine, RECORDS, 0.7, 10)
    assert sum(1 for r in found if r["matches"]) >= 2  # the comparison is not vacuous
    for r in found:  # what the instant check adds from the compliance record
        for i, m in enumerate(r["matches"]):
            m.update(hit_id=f"hit_{i}", entity_url=f"/v1/entities/{m['list']}/{i}",
                     profile={"birth_dates": ["1960"], "countries": ["ru"]},
                     review={"state": "open", "decision": None},
                     sources=[{"list": m["list"], "source_id": m["source_id"]}],
                     unexpected="dropped by the schema")
    return found


def _answer(result: dict[str, Any], **over: Any) -> dict[str, Any]:
    view = {"position": 0, "id": result.get("id"), "name": result["name"], "status": "ok",
            "matches": result["matches"], "policy": result["policy"],
            "algorithm": result["algorithm"]}
    answer = {"result": view, "hit": bool(result["matches"]), "threshold": 0.7,
              "lists": [{"name": "kr-mofa", "version": "2024-04-02", "title": None,
                         "entity_count": 12, "path": "not in the schema"}],
              "algorithm": {"name": "x", "version": "1", "weights_hash": "abc"},
              "policy": result["policy"], "took_ms": 3, "screening_id": "scr_1",
              "screened_at": "2026-12-01T06:00:00.000000Z"}
    answer.update(over)
    return answer


def test_compiled_dumper_equals_marshmallow_dump(results: list[dict[str, Any]]) -> None:
    dump = compile_dumper(ScreenOut())
    for result in results:
        for answer in (_answer(result), _answer(result, policy=None, took_ms=1.5),
                       {k: v for k, v in _answer(result).items() if k != "policy"}):
            expected = ScreenOut().dump(copy.deepcopy(answer))
            got = dump(copy.deepcopy(answer))
            assert got == expected
            assert json.dumps(got) == json.dumps(expected)  # same keys in the same order
    assert "unexpected" not in json.dumps(dump(_answer(results[0])))
    assert isinstance(dump(_answer(results[0]))["took_ms"], float)  # Float makes floats


def test_compiled_dumper_converts_leaves_exactly_as_marshmallow() -> None:
    """Values whose type the field converts (an int in a Float, a bool in an Integer, a
    number in a String) still go through the field; only unchanged ones skip it."""

    class Leaves(Schema):
        s = fields.String()
        f = fields.Float()
        i = fields.Integer()
        b = fields.Boolean()
        fs = fields.Float(as_string=True)

    dump = compile_dumper(Leaves())
    for values in ({"s": "x", "f": 0.5, "i": 3, "b": True, "fs": 0.25},
                   {"s": 7, "f": 2, "i": True, "b": 1, "fs": 1},
                   {"s": b"caf\xc3\xa9", "f": False, "i": 2.9, "b": "yes", "fs": 0.1},
                   {"s": None, "f": None, "i": None, "b": None, "fs": None}):
        expected = Leaves().dump(values)
        got = dump(values)
        assert got == expected
        assert [(k, type(v)) for k, v in got.items()] == [
            (k, type(v)) for k, v in expected.items()]


def test_compiled_dumper_refuses_what_it_cannot_match() -> None:
    class WithDefault(Schema):
        a = fields.String(dump_default="x")

    class Custom(Schema):
        a = fields.DateTime()

    for schema in (WithDefault(), Custom()):
        with pytest.raises(TypeError):
            compile_dumper(schema)


VALID = [
    {"name": "Козлов Сергей"},
    {"id": "7", "name": "김영복", "birth_date": "1960-05-31", "country": "kp",
     "schema": "Person", "gender": "male"},
    {"name": "LADY R", "schema": "Vessel", "identifiers": ["IMO 9161003"], "country": None},
    {"name": "A", "threshold": 0.6, "limit": 3, "lists": ["kr-mofa"]},
    {"name": "A", "policy": {"strict_types": False, "namesake_year_gap": 4}},
    {"nationality": "ru", "name": "Sergei Kozlov", "identifier": "723367854"},
]
INVALID = [
    {"name": "A", "birth_date": "yesterday"},
    {"name": "A", "schema": "Spaceship"},
    {"birth_date": "1960"},
    {"name": "   "},
    {"name": None},
    {"name": 5},
    {"name": "A", "salary": 1},
    {"name": "A", "threshold": 1.5},
    {"name": "A", "identifiers": ["x" * 201]},
    {"name": "A", "policy": {"bogus": 1}},
    ["not", "an", "object"],
    "a string",
]


@pytest.mark.parametrize("body", VALID)
def test_fast_loader_loads_exactly_what_the_schema_loads(body: dict[str, Any]) -> None:
    got = FastLoader(ScreenIn()).load(copy.deepcopy(body))
    assert got is not None, "a valid body takes the fast path"
    expected = ScreenIn().load(copy.deepcopy(body))
    assert got == expected and list(got) == list(expected)  # same order too


@pytest.mark.parametrize("body", INVALID)
def test_fast_loader_defers_every_invalid_body_to_the_schema(body: Any) -> None:
    assert FastLoader(ScreenIn()).load(copy.deepcopy(body)) is None
    with pytest.raises(ValidationError):
        ScreenIn().load(body)


@pytest.mark.parametrize(
    ("raw", "check"),
    [('{"name": "김영복 Козлов"}'.encode(), False),
     (b'{"name": "Kozlov"}', False),
     (b'{"name": "\\ud800"}', True),  # a \u escape may be a lone surrogate
     (b'{"name": "\xed\xa0\x80"}', True),  # a surrogate written as UTF-8 bytes
     ('{"name": "Kozlov"}'.encode("utf-16"), True),
     (b'{"records": ' + b"[" * 300 + b"]" * 300 + b"}", True)],
)
def test_json_guard_skips_the_encoding_check_only_when_it_cannot_matter(
    raw: bytes, check: bool
) -> None:
    assert _needs_encoding_check(raw) is check


def test_session_without_cookie_is_flasks_empty_session() -> None:
    """The session interface skips building the signer only when there is no cookie: the
    same empty session Flask makes, and a signed cookie still opens as Flask opens it."""
    from flask import Flask, session
    from flask.sessions import SecureCookieSessionInterface

    from api.ui.session import SessionInterface

    app = Flask("t")
    app.secret_key = "k" * 32
    app.session_interface = SessionInterface()

    @app.get("/set")
    def set_() -> str:
        session["a"] = 1
        return "ok"

    cookie = app.test_client().get("/set").headers["Set-Cookie"].split(";")[0]
    flask_default = SecureCookieSessionInterface()
    for headers in ({}, {"Cookie": cookie}, {"Cookie": "session=forged"}):
        with app.test_request_context("/", headers=headers) as ctx:
            ours = app.session_interface.open_session(app, ctx.request)
            theirs = flask_default.open_session(app, ctx.request)
            assert type(ours) is type(theirs)
            assert dict(ours or {}) == dict(theirs or {})
    app.secret_key = None
    with app.test_request_context("/") as ctx:
        assert app.session_interface.open_session(app, ctx.request) is None
