"""``sinmun backup`` taken while the site writes (articles, revisions, views, likes), and
``sinmun restore`` into a fresh site: the restored site holds exactly what the backup's
manifest says (every table's rows and checksum, the media files and their checksums),
checked by the restore itself and again here through the ORM (articles, revisions,
bodies, images, site settings, reader counts). On SQLite and on PostgreSQL.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tarfile
import threading
import time
from pathlib import Path

import pytest

from tests.support.servers import REPO, drop_postgres, fresh_postgres, postgres_available

from .conftest import FULL, base_env, copy_site, prepare_site, python_in_site, sinmun

DECORATE = r"""
import io, os
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from sinmun.sitesettings.models import SiteProfile
for i in range(3):
    buffer = io.BytesIO()
    PILImage.frombytes("RGB", (160, 120), os.urandom(160 * 120 * 3)).save(buffer, "JPEG")
    image = get_image_model()(title=f"현장 사진 {i}")
    image.file.save(f"photo-{i}.jpg", ImageFile(buffer, name=f"photo-{i}.jpg"))
    image.get_rendition("fill-80x60")
profile = SiteProfile.load()
profile.name = "새여울일보 복원시험"
profile.phone = "02-000-0000"
profile.save()
print("ok")
"""

LOAD = r"""
import json, random, sys, django
django.setup()
from django.db import transaction
from sinmun.articles.models import Article, Section
from sinmun.readers.services import like_add, view_record
rng = random.Random(3)
ids = list(Article.objects.filter(live=True).values_list("pk", flat=True)[:10])
section = Section.objects.first()
print("ready", flush=True)
n = 0
while True:
    n += 1
    if n % 5 == 0:
        with transaction.atomic():
            article = Article(title=f"부하 기사 {n}", section=section, live=False,
                body=json.dumps([{"type": "paragraph", "value": f"<p>부하 {n}</p>"}]))
            article.save()
            article.save_revision(clean=False).publish()
    else:
        article = Article.objects.get(pk=rng.choice(ids))
        article.title = f"고친 제목 {n}"
        article.save_revision(clean=False).publish()
    view_record(article_id=article.pk, visitor=f"visitor-{n}")
    try:
        like_add(article_id=article.pk, visitor=f"visitor-{n}", address=f"address-{n}")
    except Exception:
        pass
    print("ack", n, flush=True)
"""

CHECK = r"""
import hashlib, json
from django.conf import settings
from django.db.models import Sum
from pathlib import Path
from wagtail.images import get_image_model
from wagtail.models import Revision
from sinmun.articles.models import Article
from sinmun.readers.models import ArticleCounter
from sinmun.sitesettings.models import SiteProfile
media = Path(settings.MEDIA_ROOT)
images = {}
for image in get_image_model().objects.all():
    path = media / image.file.name
    images[image.file.name] = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None
consistent = all(
    a.latest_revision is not None and a.latest_revision.object_id == str(a.pk)
    and (not a.live or a.live_revision is not None)
    for a in Article.objects.all()
)
totals = ArticleCounter.objects.aggregate(v=Sum("views"), l=Sum("likes"))
profile = SiteProfile.load()
print(json.dumps({
    "articles": Article.objects.count(),
    "revisions": Revision.objects.count(),
    "images": get_image_model().objects.count(),
    "views_total": totals["v"] or 0,
    "likes_total": totals["l"] or 0,
    "image_files": images,
    "titles": sorted(Article.objects.values_list("title", flat=True)),
    "consistent": consistent,
    "profile": [profile.name, profile.phone],
}, ensure_ascii=False))
"""


def run_backup_under_load(env: dict, archive: Path) -> list[int]:
    """Start the writer, back up while it writes, stop it; return the numbers it acked
    before the backup began."""
    load = subprocess.Popen(
        [sys.executable, "-c", LOAD],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []

    def read():
        lines.extend(load.stdout)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    deadline = time.monotonic() + 120
    while sum(line.startswith("ack") for line in lines) < 3:
        assert load.poll() is None, load.stderr.read()
        assert time.monotonic() < deadline, "the writer did not start"
        time.sleep(0.05)
    acked_before = [int(line.split()[1]) for line in list(lines) if line.startswith("ack")]
    result = sinmun(env, "backup", str(archive))
    acked_during = sum(line.startswith("ack") for line in lines) - len(acked_before)
    time.sleep(0.5)
    load.kill()
    load.wait(timeout=10)
    assert "백업했습니다" in result.stdout
    # the writer really wrote while the backup ran (else this proves nothing)
    assert acked_during > 0 or load.returncode is not None
    return acked_before


def check_restored(env: dict, archive: Path, acked_before: list[int]):
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    result = sinmun(env, "restore", str(archive))
    assert "백업과 똑같습니다" in result.stdout, result.stdout

    restored = json.loads(python_in_site(env, CHECK).strip().splitlines()[-1])
    content = manifest["content"]
    for key in ("articles", "revisions", "images", "views_total", "likes_total"):
        assert restored[key] == content[key], key
    assert restored["consistent"]
    assert restored["profile"] == ["새여울일보 복원시험", "02-000-0000"]
    assert restored["images"] == 3
    for name, digest in restored["image_files"].items():
        assert digest == manifest["media"][name]["sha256"], name
    # renditions are there too
    assert any(name.startswith("images/") for name in manifest["media"])
    # every new article the writer acknowledged before the backup began is in it
    for n in acked_before:
        if n % 5 == 0:
            assert f"부하 기사 {n}" in restored["titles"], n

    # a second restore into the now non-empty site is refused, clearly
    again = sinmun(env, "restore", str(archive), check=False)
    assert again.returncode != 0
    assert "비어 있지 않습니다" in again.stderr and "--force" in again.stderr
    forced = sinmun(env, "restore", "--force", str(archive))
    assert "백업과 똑같습니다" in forced.stdout
    return manifest


def test_sqlite_backup_under_load_restores_identically(sqlite_template, tmp_path):
    env = base_env(copy_site(sqlite_template, tmp_path / "site"))
    python_in_site(env, DECORATE)
    archive = tmp_path / "backup.tar.gz"
    acked = run_backup_under_load(env, archive)
    assert "온전합니다" in sinmun(env, "restore", "--check", str(archive)).stdout

    target = base_env(tmp_path / "restored")
    (tmp_path / "restored").mkdir()
    manifest = check_restored(target, archive, acked)
    assert manifest["engine"] == "sqlite"

    # a damaged archive is refused before anything is touched
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("media/") and member.name.endswith(".jpg"):
                data = data[:-10] + b"0123456789"
            member.size = len(data)
            import io

            out.addfile(member, io.BytesIO(data))
    fresh = base_env(tmp_path / "fresh")
    (tmp_path / "fresh").mkdir()
    refused = sinmun(fresh, "restore", str(damaged), check=False)
    assert refused.returncode != 0 and "손상" in refused.stderr


@pytest.mark.skipif(not FULL, reason="long (two PostgreSQL migrations): scripts/faults.sh runs it")
@pytest.mark.skipif(not postgres_available(), reason="PostgreSQL is not running on 127.0.0.1")
def test_postgres_backup_under_load_restores_identically(sqlite_template, tmp_path):
    source_url = fresh_postgres("sinmun_faults")
    target_url = fresh_postgres("sinmun_faults_restore")
    try:
        env = base_env(tmp_path / "site", DATABASE_URL=source_url)
        prepare_site(env)
        python_in_site(env, DECORATE)
        archive = tmp_path / "backup.tar.gz"
        acked = run_backup_under_load(env, archive)
        target = base_env(tmp_path / "restored", DATABASE_URL=target_url)
        (tmp_path / "restored").mkdir()
        # an empty site as an operator would have it: migrated, nothing in it
        sinmun(target, "migrate", "--no-input", "-v", "0")
        manifest = check_restored(target, archive, acked)
        assert manifest["engine"] == "postgresql"
        assert hashlib.sha256(archive.read_bytes()).hexdigest()
    finally:
        drop_postgres("sinmun_faults")
        drop_postgres("sinmun_faults_restore")
