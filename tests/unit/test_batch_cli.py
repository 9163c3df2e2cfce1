"""The batch CLI contract, run through the real console entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from api.cli import main
from matching.engine import DEFAULT_THRESHOLD

ENGINE_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "engine"
FTM = str(ENGINE_FIXTURES / "dprk.ftm.jsonl")


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict], str]:
    code = main(["batch", *args])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


def test_csv_one_line_per_query_in_input_order(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = run_cli(
        capsys, str(ENGINE_FIXTURES / "queries.csv"), "--list", "kr-mofa", "--list", FTM
    )
    assert code == 0
    assert [line["id"] for line in lines] == ["q1", "q2", "q3", "q4", "q5", "q6", "q7"]
    for line in lines:
        assert set(line) == {"id", "matches"}
        scores = [m["score"] for m in line["matches"]]
        assert scores == sorted(scores, reverse=True)
        assert all(s >= DEFAULT_THRESHOLD for s in scores)
        for m in line["matches"]:
            assert set(m) == {
                "list",
                "source_id",
                "schema",
                "name",
                "matched_name",
                "score",
                "explanation",
                "sources",
            }
    by_id = {line["id"]: line["matches"] for line in lines}
    assert by_id["q1"][0]["source_id"] == "KR-MOFA-2024-004"  # Kozlov
    assert by_id["q2"][0]["source_id"] == "kp-kim-jong-un"
    assert all(m["source_id"] != "kp-kim-jong-il" for m in by_id["q2"])
    assert by_id["q3"] == []  # ООО «Интеграл» is not Intellekt
    assert by_id["q4"][0]["source_id"] == "KR-MOFA-2024-001"  # LADY R by IMO
    assert by_id["q5"] == []
    assert by_id["q6"][0]["source_id"] == "kp-kkbc"
    assert by_id["q7"][0]["source_id"] == "kp-ri-pyong-chol"
    assert "kr-mofa" in err and "2024-04-02" in err  # list versions on stderr


def test_jsonl_threshold_zero_and_limit(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = run_cli(
        capsys,
        str(ENGINE_FIXTURES / "queries.jsonl"),
        "--list",
        "kr-mofa",
        "--list",
        FTM,
        "--threshold",
        "0",
        "--limit",
        "2",
    )
    assert code == 0
    assert [line["id"] for line in lines] == [1, "two", "three", "four"]
    # Top candidates with their scores, below the threshold too (those sharing trigrams).
    assert all(1 <= len(line["matches"]) <= 2 for line in lines)
    kim = lines[1]["matches"]
    assert all(m["score"] < DEFAULT_THRESHOLD for m in kim)  # shown, but no alert
    assert lines[2]["matches"][0]["name"] == "Sodeistvie"


def test_output_file_and_versions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.jsonl"
    versions = tmp_path / "versions.json"
    code = main(
        [
            "batch",
            str(ENGINE_FIXTURES / "queries.jsonl"),
            "--list",
            "kr-mofa",
            "--output",
            str(out),
            "--versions",
            str(versions),
        ]
    )
    assert code == 0
    assert capsys.readouterr().out == ""
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 4
    assert lines[0]["matches"][0]["source_id"] == "KR-MOFA-2024-002"  # M/V ANGARA
    assert json.loads(versions.read_text())[0]["name"] == "kr-mofa"


def test_invalid_record_is_reported_with_location(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "id,name,schema,birth_date,country,identifier\n1,Ivan,,31/05/1960,,\n", encoding="utf-8"
    )
    code = main(["batch", str(bad), "--list", "kr-mofa"])
    err = capsys.readouterr().err
    assert code == 2
    assert "bad.csv row 1" in err and "birth_date" in err


def test_console_script_in_subprocess() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "api.cli",
            "batch",
            str(ENGINE_FIXTURES / "queries.csv"),
            "--list",
            "kr-mofa",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    lines = [json.loads(x) for x in proc.stdout.splitlines()]
    assert [x["id"] for x in lines] == ["q1", "q2", "q3", "q4", "q5", "q6", "q7"]
    assert "queries" in proc.stderr


def test_every_bad_row_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "id,name,schema,birth_date,country,identifier\n"
        "1,Ivan,,1960-02-31,,\n"
        "2,Petr,,1960,,\n"
        "3,Olga,,0000,,\n"
        "4,,,1960,,\n"
        "5,Anna,Ship,,,\n",
        encoding="utf-8",
    )
    code = main(["batch", str(bad), "--list", "kr-mofa"])
    err = capsys.readouterr().err
    assert code == 2
    assert "4 invalid rows" in err
    for row, field in ((1, "birth_date"), (3, "birth_date"), (4, "name"), (5, "schema")):
        assert f"bad.csv row {row}: {field}" in err
    assert "row 2" not in err


def test_csv_read_as_the_api_reads_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Semicolons, a BOM, the `dob`/`nationality` aliases and dates as files write them."""
    queries = tmp_path / "q.csv"
    queries.write_bytes(
        "\ufeffid;name;dob;nationality\n"
        "c1;Козлов Сергей Михайлович;31.05.1960;RU\n"
        "c2;Maria Schmidt;1985;DE\n".encode()
    )
    code, lines, _ = run_cli(capsys, str(queries), "--list", "kr-mofa")
    assert code == 0
    assert [line["id"] for line in lines] == ["c1", "c2"]
    top = lines[0]["matches"][0]
    assert top["name"] == "Sergey Mikhailovich Kozlov"
    assert any(f["feature"] == "dob" for f in top["explanation"]["features"])
    assert lines[1]["matches"] == []
