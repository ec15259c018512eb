"""One-file backups of a whole site, and restoring them into an empty site.

What an archive holds and why its copies are consistent: manifest.py.

Writing an archive is here; restoring is in restoring.py, the checks in verify.py, the
database copies in engines.py and the manifest's checksums in manifest.py.
"""

from __future__ import annotations

import io
import json
import os
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .engines import _migrations, _snapshot_postgres, _snapshot_sqlite, _versions, vendor
from .manifest import (
    FORMAT,
    MANIFEST,
    PG_MEMBER,
    SECRET_MEMBER,
    SQLITE_MEMBER,
    BackupError,
    _media_root,
    file_sha256,
)


def default_archive_path() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.DATA_DIR) / "backups" / f"sinmun-{stamp}.tar.gz"


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
