"""The ``sinmun`` command as a newcomer runs it: the installed script in a subprocess,
on a fresh data folder, with none of sinmun's environment variables set."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# The console script next to this interpreter: .venv/bin/sinmun.
SINMUN = Path(sys.executable).with_name("sinmun")
REPO = Path(__file__).resolve().parents[2]


def fresh_env(data_dir: Path, **extra: str) -> dict:
    """The default install: no SINMUN_* (the test settings set some), no database URL."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SINMUN_", "DJANGO_")) and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(SINMUN_DATA_DIR=str(data_dir), SINMUN_SCHEDULER="off", **extra)
    return env


def run_sinmun(env: dict, *args: str, cwd: Path, timeout: float = 180):
    return subprocess.run(
        [str(SINMUN), *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def fresh(tmp_path):
    """A never-migrated data folder and the environment that points at it."""
    data = tmp_path / "data"
    return data, fresh_env(data)
