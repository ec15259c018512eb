"""``sinmun import`` and ``sinmun demo`` on a data folder no command has touched yet:
they migrate first, as ``sinmun serve`` does, and bad input still gets a clear error."""

from __future__ import annotations

import sqlite3

from .conftest import REPO, run_sinmun

EXAMPLE = REPO / "sinmun/transfer/examples/example.jsonl"


def article_count(data) -> int:
    with sqlite3.connect(data / "sinmun.sqlite3") as db:
        return db.execute("SELECT count(*) FROM articles_article").fetchone()[0]


def test_import_on_a_fresh_data_folder_creates_the_database_first(fresh, tmp_path):
    """Bad input first (a missing file, then broken records), then the example file."""
    data, env = fresh
    missing = run_sinmun(env, "import", str(tmp_path / "없는파일.jsonl"), cwd=tmp_path)
    assert missing.returncode == 1
    assert "파일이 없습니다" in missing.stderr
    assert "Traceback" not in missing.stderr
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"type": "article", "title": ""}\nnot json\n', encoding="utf-8")
    bad = run_sinmun(env, "import", str(broken), cwd=tmp_path)
    assert bad.returncode == 1
    assert f"{broken}:1: 건너뜀" in bad.stderr and f"{broken}:2: 건너뜀" in bad.stderr
    assert "Traceback" not in bad.stderr, bad.stderr
    assert article_count(data) == 0

    result = run_sinmun(env, "import", str(EXAMPLE), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "새 기사 3건" in result.stdout
    assert article_count(data) == 3
    again = run_sinmun(env, "import", str(EXAMPLE), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "이미 있는 기사 3건" in again.stdout
    assert "데이터베이스를 준비" not in again.stderr  # said only when there is work


def test_demo_on_a_fresh_data_folder_loads_the_paper(fresh, tmp_path):
    data, env = fresh
    result = run_sinmun(env, "demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "데이터베이스를 준비하는 중입니다" in result.stderr
    assert "데모 신문: 새 기사" in result.stdout
    assert article_count(data) > 10


def test_help_leaves_the_data_folder_alone(fresh, tmp_path):
    data, env = fresh
    result = run_sinmun(env, "import", "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "--uploads" in result.stdout
    assert not (data / "sinmun.sqlite3").exists()
