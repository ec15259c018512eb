"""Checking a restored site against the manifest its archive carried."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from django.db import connections

from .engines import _database, _pg_connect
from .manifest import _media_root, file_sha256, table_digests


@dataclass
class RestoreReport:
    manifest: dict
    mismatched_tables: list[str] = field(default_factory=list)
    mismatched_media: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatched_tables and not self.mismatched_media


def verify_site(manifest: dict) -> RestoreReport:
    """Compare this site's database and media with ``manifest``."""
    report = RestoreReport(manifest=manifest)
    connections.close_all()
    if manifest["engine"] == "sqlite":
        conn = sqlite3.connect(_database()["NAME"])
        try:
            tables = table_digests(conn, "sqlite")
        finally:
            conn.close()
    else:
        with _pg_connect() as conn:
            tables = table_digests(conn, "postgresql")
    expected = manifest["tables"]
    report.mismatched_tables = sorted(
        name for name in set(expected) | set(tables) if expected.get(name) != tables.get(name)
    )
    root = _media_root()
    report.mismatched_media = sorted(
        name
        for name, info in manifest["media"].items()
        if not (root / name).exists() or file_sha256(root / name) != info["sha256"]
    )
    return report
