"""Shared fixtures.

Real-data tests use `real_lists`: without SCREENING_REAL_LISTS they skip and say why;
with it set (CI sets it), a missing folder is a failure, not a skip.
"""

from __future__ import annotations

import os
from pathlib import Path

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
