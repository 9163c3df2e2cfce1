"""`screening db upgrade`, `screening tenants …` and `screening audit verify|export|purge`
as real processes, on SQLite and on a real PostgreSQL: tenant and key changes are
audited, verify passes, then names the first entry of a tampered chain."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

from sqlalchemy import text

from tests.integration.procs import service_env
from workers.compliance import audit
from workers.compliance.db import Database


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "api.cli", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def test_audit_verify_passes_then_catches_a_tampered_row(
    database_url: str, redis_server: str, tmp_path: Path
) -> None:
    env = service_env(redis_server, tmp_path, SCREENING_DATABASE_URL=database_url)
    upgraded = cli(env, "db", "upgrade")
    assert upgraded.returncode == 0 and "revision 0002" in upgraded.stdout, upgraded.stderr
    name = f"bank-{uuid.uuid4().hex[:6]}"
    created = cli(env, "tenants", "create", name, "--role", "bank", "--four-eyes")
    assert created.returncode == 0, created.stderr
    assert cli(env, "tenants", "rotate", name).returncode == 0
    assert cli(env, "tenants", "revoke", name).returncode == 0

    exported = cli(env, "audit", "export", name)
    entries = [json.loads(line) for line in exported.stdout.splitlines()]
    assert [(e["kind"], e["data"]["action"]) for e in entries] == [
        ("tenant", "created"), ("key", "rotated"), ("key", "revoked")]
    assert entries[0]["data"]["settings"]["four_eyes"] is True
    assert "sk_" not in exported.stdout  # never a key
    csv_out = cli(env, "audit", "export", name, "--format", "csv").stdout
    assert csv_out.splitlines()[0].startswith("seq,at,kind") and len(csv_out.splitlines()) == 4

    ok = cli(env, "audit", "verify")
    assert ok.returncode == 0 and "intact" in ok.stdout, ok.stderr

    db = Database(database_url)
    try:
        with db.write() as session:
            session.execute(text("UPDATE compliance_audit SET actor = 'someone-else' "
                                 "WHERE tenant = :t AND seq = 2"), {"t": name})
    finally:
        db.dispose()
    broken = cli(env, "audit", "verify")
    assert broken.returncode == 1
    assert f"tenant '{name}', entry seq 2" in broken.stderr and "altered" in broken.stderr
    assert cli(env, "audit", "purge").returncode == 0  # nothing old enough: a no-op
    assert not audit.verify(Database(database_url)).ok  # purge never repairs a chain
