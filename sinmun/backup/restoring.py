"""Restoring an archive into an empty site (or, with ``force``, over a full one)."""

from __future__ import annotations

import json
import shutil
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connections

from .engines import _install_postgres, _install_sqlite, vendor
from .manifest import FORMAT, MANIFEST, SECRET_MEMBER, BackupError, _media_root, file_sha256
from .verify import RestoreReport, verify_site


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and bool(path.parts)


def _check_members(members: list[tarfile.TarInfo]) -> None:
    """Refuse the whole archive if one entry could land outside the work folder.

    ``sinmun backup`` writes only plain files and folders under relative names, so
    anything else (an absolute path, ``..``, a symbolic or hard link, a device, a FIFO)
    did not come from it and is refused before a single byte is written.
    """
    for member in members:
        if not _safe_member(member.name) or not (member.isfile() or member.isdir()):
            raise BackupError(
                f"백업 파일에 허용되지 않는 항목이 있습니다: {member.name} "
                "(절대 경로, '..', 링크, 장치 파일은 sinmun backup이 만들지 않습니다)"
            )


def _extract(tar: tarfile.TarFile, members: list[tarfile.TarInfo], workdir: Path) -> None:
    """Unpack checked ``members`` into ``workdir``.

    Python 3.11.4 and later (and 3.12+) have tarfile's ``data`` filter, which refuses the
    same things again. Debian 12's Python 3.11.2 has no ``filter`` argument at all, so
    there each member is written by hand: folders made, file contents copied, never a
    link, owner, or permission taken from the archive.
    """
    if hasattr(tarfile, "data_filter"):
        tar.extractall(workdir, members=members, filter="data")
        return
    root = workdir.resolve()
    for member in members:
        target = (root / member.name).resolve()
        if target != root and root not in target.parents:
            raise BackupError(f"백업 파일의 항목이 작업 폴더 밖을 가리킵니다: {member.name}")
        if member.isdir():
            target.mkdir(parents=True, exist_ok=True, mode=0o700)
            continue
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        source = tar.extractfile(member)
        if source is None:
            raise BackupError(f"백업 파일의 항목을 읽을 수 없습니다: {member.name}")
        with source, open(target, "wb") as handle:
            shutil.copyfileobj(source, handle)
        target.chmod(0o600)


def _check_manifest_names(manifest: dict) -> None:
    """The manifest names the files a restore copies: each must stay inside its folder."""
    names = [manifest["database"]["member"], *manifest["media"]]
    for name in names:
        if not isinstance(name, str) or not _safe_member(name):
            raise BackupError(f"백업 목록(manifest)에 허용되지 않는 파일 이름이 있습니다: {name!r}")


def read_archive(archive: Path, workdir: Path) -> dict:
    """Unpack ``archive`` into ``workdir`` and check every file against the manifest."""
    try:
        tar = tarfile.open(archive, "r:*")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"백업 파일을 열 수 없습니다: {error}") from None
    with tar:
        try:
            members = tar.getmembers()
            _check_members(members)
            _extract(tar, members, workdir)
        except (OSError, tarfile.TarError) as error:
            raise BackupError(f"백업 파일을 풀 수 없습니다: {error}") from None
    manifest_path = workdir / MANIFEST
    if not manifest_path.exists():
        raise BackupError(
            "백업 파일에 manifest.json이 없습니다. sinmun backup으로 만든 파일인가요?"
        )
    manifest = json.loads(manifest_path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"알 수 없는 백업 형식입니다: {manifest.get('format')}")
    _check_manifest_names(manifest)
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
