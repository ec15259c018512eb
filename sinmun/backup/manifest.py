"""The manifest of a backup: what an archive holds, and the checksums that prove it.

An archive (``.tar.gz``) holds:

* ``manifest.json``: format, versions, the database engine, row counts and a checksum of
  every table *as dumped*, the checksum of the database file and of every media file;
* ``database/sinmun.sqlite3`` (SQLite, copied with SQLite's online backup API) or
  ``database/sinmun.pgdump`` (PostgreSQL, ``pg_dump --format=custom``);
* ``media/…``: the uploaded photos and their renditions;
* ``secret_key``: the generated key of a default install, when there is one (visitor
  hashes and signed values depend on it).

Both database copies are consistent while the site keeps writing: SQLite's backup API
copies one committed state, and on PostgreSQL the table checksums and ``pg_dump`` read
the same exported snapshot (``pg_export_snapshot`` + ``pg_dump --snapshot``). The
checksums are computed from that same state, so a restore can prove it got exactly what
was dumped. Media are copied after the database, so every photo the database names is
already on disk (uploads write the file before the row).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/sinmun.sqlite3"
PG_MEMBER = "database/sinmun.pgdump"
SECRET_MEMBER = "secret_key"  # noqa: S105 - a file name, not a password # nosec B105
CHUNK = 1024 * 1024

# Tables whose content is summarised by name in the manifest (all tables are checksummed).
SUMMARY_TABLES = {
    "articles": "articles_article",
    "revisions": "wagtailcore_revision",
    "images": "wagtailimages_image",
    "users": "auth_user",
    "reader_counters": "readers_articlecounter",
}


class BackupError(Exception):
    """Backing up or restoring failed; the message says why (Korean, for the operator)."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _normal(value):
    """One spelling per value, so a table reads the same before and after a restore."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.dumps(json.loads(value), sort_keys=True, ensure_ascii=False)
        except ValueError:
            return value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date | Decimal):
        return str(value)
    if isinstance(value, memoryview | bytes | bytearray):
        return bytes(value).hex()
    return value


def _sqlite_tables(cursor) -> list[tuple[str, list[str]]]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    tables = []
    for (name,) in cursor.fetchall():
        cursor.execute(f'PRAGMA table_info("{name}")')
        info = cursor.fetchall()
        keys = [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5]]
        tables.append((name, keys or [row[1] for row in info]))
    return tables


def _postgres_tables(cursor) -> list[tuple[str, list[str]]]:
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname"
    )
    tables = []
    for (name,) in cursor.fetchall():
        cursor.execute(
            "SELECT a.attname FROM pg_index i "
            "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
            "WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY a.attnum",
            [f'"{name}"'],
        )
        keys = [row[0] for row in cursor.fetchall()]
        if not keys:
            cursor.execute(
                "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass "
                "AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
                [f'"{name}"'],
            )
            keys = [row[0] for row in cursor.fetchall()]
        tables.append((name, keys))
    return tables


def table_digests(raw_connection, vendor: str) -> dict[str, dict]:
    """{table: {"rows": n, "sha256": …}} for every table, read in primary-key order."""
    cursor = raw_connection.cursor()
    tables = _sqlite_tables(cursor) if vendor == "sqlite" else _postgres_tables(cursor)
    result = {}
    for name, keys in tables:
        order = ", ".join(f'"{k}"' for k in keys)
        cursor.execute(f'SELECT * FROM "{name}" ORDER BY {order}')  # noqa: S608 - our names # nosec B608
        digest = hashlib.sha256()
        rows = 0
        while batch := cursor.fetchmany(500):
            for row in batch:
                digest.update(repr(tuple(_normal(v) for v in row)).encode())
                digest.update(b"\n")
                rows += 1
        result[name] = {"rows": rows, "sha256": digest.hexdigest()}
    return result


def _content_summary(raw_connection, tables: dict[str, dict]) -> dict:
    """What a person checks after a restore: how many of each, and the reader counts."""
    summary = {key: tables.get(table, {}).get("rows", 0) for key, table in SUMMARY_TABLES.items()}
    cursor = raw_connection.cursor()
    if "readers_articlecounter" in tables:
        cursor.execute(
            "SELECT COALESCE(SUM(views), 0), COALESCE(SUM(likes), 0) FROM readers_articlecounter"
        )
        views, likes = cursor.fetchone()
        summary["views_total"], summary["likes_total"] = int(views), int(likes)
    if "articles_article" in tables:
        cursor.execute("SELECT id, body FROM articles_article ORDER BY id")
        digest = hashlib.sha256()
        for article_id, body in cursor.fetchall():
            digest.update(f"{article_id}:{_normal(body)}\n".encode())
        summary["article_bodies_sha256"] = digest.hexdigest()
    for key in ("articles_article", "wagtailcore_revision"):
        summary[f"{key}_sha256"] = tables.get(key, {}).get("sha256", "")
    summary["sitesettings_sha256"] = hashlib.sha256(
        json.dumps(
            {k: v for k, v in sorted(tables.items()) if k.startswith("sitesettings_")}
        ).encode()
    ).hexdigest()
    return summary


def _image_files(raw_connection, tables: dict[str, dict]) -> list[str]:
    files = []
    cursor = raw_connection.cursor()
    for table in ("wagtailimages_image", "wagtailimages_rendition"):
        if table in tables:
            cursor.execute(f'SELECT file FROM "{table}"')  # noqa: S608 - fixed names # nosec B608
            files += [row[0] for row in cursor.fetchall() if row[0]]
    return sorted(files)


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)
