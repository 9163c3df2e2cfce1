"""Shared fixtures.

Real-data tests use `real_lists`: without SCREENING_REAL_LISTS they skip and say why;
with it set (CI sets it), a missing folder is a failure, not a skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REAL_LISTS_ENV = "SCREENING_REAL_LISTS"
FIXTURES = Path(__file__).parent / "fixtures"


def real_lists_dir() -> Path | None:
    """The shared list folder, None when the variable is unset; fails when set but missing."""
    value = os.environ.get(REAL_LISTS_ENV)
    if not value:
        return None
    path = Path(value).resolve()
    if not (path / "README.md").is_file():
        pytest.fail(f"{REAL_LISTS_ENV}={value} is set but {path} holds no list data", pytrace=False)
    return path


@pytest.fixture(scope="session")
def real_lists() -> Path:
    path = real_lists_dir()
    if path is None:
        pytest.skip(f"real list data not configured: set {REAL_LISTS_ENV}=../shared/data/lists")
    return path


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


# --- The compliance database on SQLite and on a real PostgreSQL (issue 11) ---


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Any]:
    """A throwaway PostgreSQL for the session. Skips where no binaries exist, except in
    CI (CI=true), where the PostgreSQL tests must run."""
    from tests.postgres import PostgresServer, binaries

    bindir = binaries()
    if bindir is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no PostgreSQL binaries (initdb, postgres) were found: "
                        ".ci/run installs them (apt-get install postgresql)", pytrace=False)
        pytest.skip("no PostgreSQL binaries (initdb, postgres): install PostgreSQL 15+ "
                    "(apt-get install postgresql) to run the PostgreSQL store tests")
    server = PostgresServer(bindir)
    try:
        server.start()
        yield server
    finally:
        server.stop()


def _fresh_database_url(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'compliance.db'}"
    server = request.getfixturevalue("postgres_server")
    return str(server.create_database(f"t_{uuid.uuid4().hex[:12]}"))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty compliance database, migrated to head, on each backend in turn."""
    from workers.compliance.db import upgrade

    url = _fresh_database_url(request.param, tmp_path, request)
    upgrade(url)
    return url


@pytest.fixture()
def compliance_db(database_url: str) -> Iterator[Any]:
    from workers.compliance.db import Database

    db = Database(database_url)
    try:
        yield db
    finally:
        db.dispose()
