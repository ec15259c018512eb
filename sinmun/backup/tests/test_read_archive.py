"""Unpacking a backup: on Pythons with tarfile's ``data`` filter and on Debian 12's 3.11.2,
which has none (``extractall(filter=…)`` is a TypeError there). Both must restore a good
archive and refuse a hostile one before writing anything outside the work folder."""

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest

from sinmun.backup import restoring
from sinmun.backup.manifest import FORMAT, SQLITE_MEMBER, BackupError
from sinmun.backup.restoring import read_archive

DB_BYTES = b"SQLite format 3\x00 not really, but checksummed"
PHOTO = b"\x89PNG\r\n\x1a\n a photo"
ABSOLUTE = "/var/tmp/sinmun-escaped-by-a-restore.txt"  # noqa: S108 - must never be written


@pytest.fixture(params=["data filter", "Python 3.11.2 (no filter)"])
def python(request, monkeypatch):
    """Run each test on both branches; the second behaves like Python 3.11.2's tarfile."""
    if request.param != "data filter":
        monkeypatch.delattr(tarfile, "data_filter")
        real = tarfile.TarFile.extractall

        def extractall(self, path=".", members=None, *, numeric_owner=False, **kwargs):
            if "filter" in kwargs:
                raise TypeError("extractall() got an unexpected keyword argument 'filter'")
            return real(self, path, members, numeric_owner=numeric_owner)

        monkeypatch.setattr(tarfile.TarFile, "extractall", extractall)
    return request.param


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _manifest(**media) -> dict:
    return {
        "format": FORMAT,
        "engine": "sqlite",
        "database": {"member": SQLITE_MEMBER, "sha256": _sha(DB_BYTES), "size": len(DB_BYTES)},
        "media": {name: {"size": len(data), "sha256": _sha(data)} for name, data in media.items()},
        "content": {"articles": 0},
    }


def _add_file(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def _archive(path: Path, manifest: dict, files: dict[str, bytes], extra=()) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        _add_file(tar, "manifest.json", json.dumps(manifest).encode())
        for name, data in files.items():
            _add_file(tar, name, data)
        for info in extra:
            tar.addfile(info, io.BytesIO(b"x" * info.size) if info.isfile() else None)
    return path


def _good(tmp_path: Path) -> Path:
    return _archive(
        tmp_path / "good.tar.gz",
        _manifest(**{"original_images/a.png": PHOTO}),
        {SQLITE_MEMBER: DB_BYTES, "media/original_images/a.png": PHOTO},
    )


def test_a_good_archive_is_unpacked_and_checked(python, tmp_path):
    workdir = tmp_path / "work"
    workdir.mkdir()
    manifest = read_archive(_good(tmp_path), workdir)
    assert manifest["database"]["member"] == SQLITE_MEMBER
    assert (workdir / SQLITE_MEMBER).read_bytes() == DB_BYTES
    assert (workdir / "media/original_images/a.png").read_bytes() == PHOTO
    if python != "data filter":
        assert (workdir / SQLITE_MEMBER).stat().st_mode & 0o777 == 0o600


def _link(name: str, target: str, kind=tarfile.SYMTYPE) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    return info


def _device(name: str) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.devmajor, info.devminor = tarfile.CHRTYPE, 1, 3
    return info


def _sized(name: str) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = 1
    return info


HOSTILE = {
    "parent path": lambda: _sized("../escaped.txt"),
    "nested parent path": lambda: _sized("media/../../escaped.txt"),
    "absolute path": lambda: _sized(ABSOLUTE),
    "symlink out": lambda: _link("media/link", "../../../../etc/passwd"),
    "symlink to an absolute path": lambda: _link("media/etc", "/etc"),
    "hard link": lambda: _link("media/hard", "/etc/passwd", tarfile.LNKTYPE),
    "device": lambda: _device("media/null"),
}


@pytest.mark.parametrize("attack", HOSTILE)
def test_a_hostile_archive_is_refused_before_anything_is_written(python, tmp_path, attack):
    workdir = tmp_path / "work"
    workdir.mkdir()
    entry = HOSTILE[attack]()
    archive = _archive(
        tmp_path / "hostile.tar.gz", _manifest(), {SQLITE_MEMBER: DB_BYTES}, extra=[entry]
    )
    with pytest.raises(BackupError, match="허용되지 않는 항목") as refused:
        read_archive(archive, workdir)
    assert entry.name in str(refused.value)
    assert list(workdir.iterdir()) == []  # refused as a whole, not after a partial unpack
    assert not (tmp_path / "escaped.txt").exists()
    assert not Path(ABSOLUTE).exists()


@pytest.mark.parametrize("name", ["../../outside.png", "/etc/cron.d/x"])
def test_a_manifest_naming_files_outside_the_media_folder_is_refused(python, tmp_path, name):
    # The manifest decides which files a restore copies into MEDIA_ROOT.
    workdir = tmp_path / "work"
    workdir.mkdir()
    manifest = _manifest()
    manifest["media"][name] = {"size": 1, "sha256": _sha(b"x")}
    archive = _archive(tmp_path / "m.tar.gz", manifest, {SQLITE_MEMBER: DB_BYTES})
    with pytest.raises(BackupError, match="manifest"):
        read_archive(archive, workdir)


def test_the_manual_branch_is_the_one_taken_without_the_filter(python, tmp_path, monkeypatch):
    # Proves the fixture really exercises the by-hand extraction on the 3.11.2 branch.
    copied = []
    real = restoring.shutil.copyfileobj
    monkeypatch.setattr(
        restoring.shutil, "copyfileobj", lambda s, d: copied.append(1) or real(s, d)
    )
    workdir = tmp_path / "work"
    workdir.mkdir()
    read_archive(_good(tmp_path), workdir)
    assert bool(copied) == (python != "data filter")
