"""Hostile-input suites (issue #7, bad input): shared fixtures and the tally table."""

from __future__ import annotations

from pathlib import Path

from . import tally

ROOT = Path(__file__).resolve().parents[2]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    text = tally.table()
    if not text:
        return
    terminalreporter.section("hostile input: sent / refused / neutralised / crashed")
    terminalreporter.write_line(text)
    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    (out / "hostile-input.md").write_text(text + "\n", encoding="utf-8")
