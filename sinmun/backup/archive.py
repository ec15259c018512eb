"""One-file backups of a whole site, and restoring them into an empty site.

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
import io
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connections
from django.utils import timezone

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


@dataclass
class RestoreReport:
    manifest: dict
    mismatched_tables: list[str] = field(default_factory=list)
    mismatched_media: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatched_tables and not self.mismatched_media


# --- checksums ------------------------------------------------------------------------


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


# --- the database, both engines ----------------------------------------------------------


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


# --- backup ---------------------------------------------------------------------------


def default_archive_path() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.DATA_DIR) / "backups" / f"sinmun-{stamp}.tar.gz"


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _media_files(root: Path) -> dict[str, dict]:
    files = {}
    if not root.exists():
        return files
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            relative = path.relative_to(root).as_posix()
            try:
                files[relative] = {"size": path.stat().st_size, "sha256": file_sha256(path)}
            except FileNotFoundError:
                continue  # deleted while we walked (an old rendition): not in the dump's rows
    return files


def create_backup(output: Path | None = None) -> tuple[Path, dict]:
    """Write the whole site to ``output`` (a .tar.gz); return its path and manifest."""
    output = Path(output or default_archive_path())
    output.parent.mkdir(parents=True, exist_ok=True)
    engine = vendor()
    if engine not in {"sqlite", "postgresql"}:
        raise BackupError(f"이 데이터베이스는 백업할 수 없습니다: {engine}")
    with tempfile.TemporaryDirectory(prefix="sinmun-backup-", dir=output.parent) as tmp:
        workdir = Path(tmp)
        started = timezone.now()
        if engine == "sqlite":
            db_file, tables, summary, images = _snapshot_sqlite(workdir)
            member = SQLITE_MEMBER
        else:
            db_file, tables, summary, images = _snapshot_postgres(workdir)
            member = PG_MEMBER
        media_root = _media_root()
        media = _media_files(media_root)
        missing = [name for name in images if name not in media]
        secret_file = Path(settings.DATA_DIR) / "secret_key"
        manifest = {
            "format": FORMAT,
            "created_at": started.isoformat(),
            "engine": engine,
            "versions": _versions(),
            "migrations": _migrations(),
            "database": {
                "member": member,
                "size": db_file.stat().st_size,
                "sha256": file_sha256(db_file),
            },
            "content": summary,
            "tables": tables,
            "media": media,
            "media_missing": missing,
            "secret_key": secret_file.exists() and not os.environ.get("SINMUN_SECRET_KEY"),
        }
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(started.timestamp()), 0o600
            tar.addfile(info, io.BytesIO(data))
            tar.add(db_file, arcname=member, recursive=False)
            for relative in media:
                path = media_root / relative
                if path.exists():
                    tar.add(path, arcname=f"media/{relative}", recursive=False)
            if manifest["secret_key"]:
                tar.add(secret_file, arcname=SECRET_MEMBER, recursive=False)
        os.chmod(partial, 0o600)  # it holds password hashes and the secret key
        os.replace(partial, output)
    return output, manifest


# --- restore --------------------------------------------------------------------------


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and bool(path.parts)


def read_archive(archive: Path, workdir: Path) -> dict:
    """Unpack ``archive`` into ``workdir`` and check every file against the manifest."""
    try:
        tar = tarfile.open(archive, "r:*")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"백업 파일을 열 수 없습니다: {error}") from None
    with tar:
        members = tar.getmembers()
        for member in members:
            if not _safe_member(member.name) or not (member.isfile() or member.isdir()):
                raise BackupError(f"백업 파일에 허용되지 않는 항목이 있습니다: {member.name}")
        tar.extractall(workdir, filter="data")
    manifest_path = workdir / MANIFEST
    if not manifest_path.exists():
        raise BackupError(
            "백업 파일에 manifest.json이 없습니다. sinmun backup으로 만든 파일인가요?"
        )
    manifest = json.loads(manifest_path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"알 수 없는 백업 형식입니다: {manifest.get('format')}")
    database = manifest["database"]
    db_file = workdir / database["member"]
    if not db_file.exists() or file_sha256(db_file) != database["sha256"]:
        raise BackupError("백업 속 데이터베이스 파일이 손상되었습니다 (체크섬 불일치).")
    bad = [
        name
        for name, info in manifest["media"].items()
        if not (workdir / "media" / name).exists()
        or file_sha256(workdir / "media" / name) != info["sha256"]
    ]
    if bad:
        raise BackupError(f"백업 속 미디어 파일 {len(bad)}개가 손상되었습니다: {bad[:5]}")
    return manifest


def site_contents() -> dict[str, int]:
    """What the target site already holds (zero everywhere means empty)."""
    found = {"articles": 0, "images": 0, "users": 0, "media_files": 0}
    existing = set(connections["default"].introspection.table_names())
    with connections["default"].cursor() as cursor:
        for key, table in (
            ("articles", "articles_article"),
            ("images", "wagtailimages_image"),
            ("users", "auth_user"),
        ):
            if table in existing:
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - fixed names # nosec B608
                found[key] = cursor.fetchone()[0]
    root = _media_root()
    if root.exists():
        found["media_files"] = sum(1 for p in root.rglob("*") if p.is_file())
    return found


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


def _install_media(source: Path, manifest: dict, *, replace: bool) -> None:
    root = _media_root()
    if replace and root.exists():
        for child in root.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    root.mkdir(parents=True, exist_ok=True)
    for name in manifest["media"]:
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, target)


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


def restore_backup(archive: Path, *, force: bool = False) -> RestoreReport:
    """Restore ``archive`` into this site (which must be empty unless ``force``)."""
    archive = Path(archive)
    if not archive.exists():
        raise BackupError(f"백업 파일이 없습니다: {archive}")
    engine = vendor()
    with tempfile.TemporaryDirectory(prefix="sinmun-restore-") as tmp:
        workdir = Path(tmp)
        manifest = read_archive(archive, workdir)
        if manifest["engine"] != engine:
            raise BackupError(
                f"이 백업은 {manifest['engine']} 데이터베이스의 것이라 지금 설정된 "
                f"{engine}에는 되살릴 수 없습니다. DATABASE_URL을 확인해 주세요."
            )
        contents = site_contents()
        if any(contents.values()) and not force:
            raise BackupError(
                "이 사이트는 비어 있지 않습니다 (기사 {articles}건, 사진 {images}장, 계정 {users}개, "
                "미디어 파일 {media_files}개). 빈 사이트에만 되살릴 수 있습니다. 지금 내용을 모두 "
                "지우고 덮어쓰려면 --force를 붙여 다시 실행하세요.".format(**contents)
            )
        db_file = workdir / manifest["database"]["member"]
        if engine == "sqlite":
            _install_sqlite(db_file)
        else:
            _install_postgres(db_file)
        _install_media(workdir / "media", manifest, replace=force)
        secret = workdir / SECRET_MEMBER
        if manifest.get("secret_key") and secret.exists():
            target = Path(settings.DATA_DIR) / "secret_key"
            shutil.copyfile(secret, target)
            target.chmod(0o600)
    _clear_caches()
    return verify_site(manifest)


def _clear_caches() -> None:
    """Pages and values cached from the old contents must not outlive them."""
    from django.core.cache import caches

    for alias in settings.CACHES:
        try:
            caches[alias].clear()
        except Exception:  # noqa: BLE001, S110 - a cache that is down holds nothing stale # nosec B110
            pass
