"""Run the query set and the freshness tests on a real PostgreSQL as well.

The suite's own run uses whatever DATABASE_URL names (SQLite by default). This test
runs the same two modules again in a child pytest against PostgreSQL, so both
backends are checked in one ``pytest`` run. It is skipped, saying why, when the
suite already runs on PostgreSQL or no server answers at SINMUN_SEARCH_PG_URL.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
PG_URL = os.environ.get("SINMUN_SEARCH_PG_URL", "postgres://postgres@127.0.0.1:5432/sinmun_search")


def _server_answers() -> str | None:
    import psycopg

    try:
        with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0]


@pytest.mark.django_db
def test_query_set_and_freshness_on_postgresql():
    if connection.vendor == "postgresql":
        pytest.skip("this run already uses PostgreSQL: the query set ran on it directly")
    problem = _server_answers()
    if problem:
        pytest.skip(f"no PostgreSQL at {PG_URL}: {problem}")
    env = {**os.environ, "DATABASE_URL": PG_URL, "DJANGO_SETTINGS_MODULE": "sinmun.settings.test"}
    here = Path(__file__).parent
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--create-db",
            str(here / "test_quality.py"),
            str(here / "test_freshness.py"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    tail = result.stdout[-3000:] + result.stderr[-2000:]
    assert result.returncode == 0, tail
    assert " passed" in result.stdout and "failed" not in result.stdout, tail
