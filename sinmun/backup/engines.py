"""The database side of a backup, on both engines: a consistent copy, and installing it.

SQLite is copied with SQLite's online backup API; PostgreSQL with ``pg_dump`` reading
the snapshot the checksums read. Restoring replaces the SQLite file, or runs
``pg_restore`` in one transaction.
"""

from __future__ import annotations

import os
import platform
import shutil
import sqlite3
import subprocess
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.db import connections

from .manifest import BackupError, _content_summary, _image_files, table_digests


def _database() -> dict:
    return settings.DATABASES["default"]


def vendor() -> str:
    return connections["default"].vendor


def postgres_binary(name: str) -> str:
    """``pg_dump``/``pg_restore`` from the newest /usr/lib/postgresql/*/bin, else PATH."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
        reverse=True,
    )
    if candidates:
        return str(candidates[0])
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name}을(를) 찾지 못했습니다. postgresql-client를 설치해 주세요.")
    return found


def _pg_args_env() -> tuple[list[str], dict]:
    db = _database()
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _pg_connect(*, autocommit: bool = False):
    import psycopg

    db = _database()
    return psycopg.connect(
        autocommit=autocommit,
        dbname=db["NAME"],
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        connect_timeout=10,
    )


def _server_version() -> str:
    with connections["default"].cursor() as cursor:
        if vendor() == "sqlite":
            return sqlite3.sqlite_version
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def _snapshot_sqlite(workdir: Path) -> tuple[Path, dict[str, dict], dict, list[str]]:
    source_path = Path(_database()["NAME"])
    if not source_path.exists():
        raise BackupError(f"데이터베이스 파일이 없습니다: {source_path}")
    target = workdir / "sinmun.sqlite3"
    source = sqlite3.connect(source_path, timeout=60)
    copy = sqlite3.connect(target)
    try:
        # One step (pages=-1): SQLite copies one committed state while writers go on (WAL).
        source.backup(copy, pages=-1)
        copy.execute("PRAGMA journal_mode=DELETE")
        check = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"복사본의 무결성 검사가 실패했습니다: {check}")
        tables = table_digests(copy, "sqlite")
        summary = _content_summary(copy, tables)
        images = _image_files(copy, tables)
    finally:
        copy.close()
        source.close()
    return target, tables, summary, images


def _snapshot_postgres(workdir: Path) -> tuple[Path, dict[str, dict], dict, list[str]]:
    target = workdir / "sinmun.pgdump"
    args, env = _pg_args_env()
    # autocommit: psycopg must not open its own READ COMMITTED transaction first; this
    # one is REPEATABLE READ, so every query below reads the exported snapshot.
    with _pg_connect(autocommit=True) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        # pg_dump reads the very state the checksums below read (the transaction holding
        # the snapshot stays open until both are done).
        dump = subprocess.Popen(  # noqa: S603 - pg_dump with our arguments
            [
                postgres_binary("pg_dump"),
                "--format=custom",
                f"--snapshot={snapshot}",
                "--file",
                str(target),
                *args,
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        tables = table_digests(conn, "postgresql")
        summary = _content_summary(conn, tables)
        images = _image_files(conn, tables)
        _, errors = dump.communicate()
        conn.execute("ROLLBACK")
    if dump.returncode != 0:
        raise BackupError(f"pg_dump이 실패했습니다: {errors.strip()}")
    return target, tables, summary, images


def _versions() -> dict:
    versions = {"python": platform.python_version()}
    for package in ("sinmun", "django", "wagtail"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "unknown"
    versions["database_server"] = _server_version()
    return versions


def _migrations() -> dict[str, str]:
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder.Migration.objects.values_list("app", "name"):
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def _install_sqlite(db_file: Path) -> None:
    target = Path(_database()["NAME"])
    target.parent.mkdir(parents=True, exist_ok=True)
    connections.close_all()
    staging = target.with_name(target.name + ".restoring")
    shutil.copyfile(db_file, staging)
    # A WAL or shared-memory file left from the old database would be replayed over the
    # restored one: remove them before the new file takes the name.
    for suffix in ("-wal", "-shm", "-journal"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    os.replace(staging, target)


def _install_postgres(db_file: Path) -> None:
    args, env = _pg_args_env()
    connections.close_all()
    result = subprocess.run(  # noqa: S603 - pg_restore with our arguments
        [
            postgres_binary("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *args,
            str(db_file),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore가 실패했습니다: {result.stderr.strip()[-2000:]}")
