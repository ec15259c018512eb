"""Hostile uploads through the real Wagtail image views, as a desk editor.

Both ways the admin takes an image (the single "add" form and the multiple uploader the
image chooser uses) get every file of tests/hostile/upload_corpus.py. Each must be
refused with a form error (never a 500) or accepted and made harmless: stored under
MEDIA_ROOT only, with a rendition that works. The test process's peak memory may not
grow by more than 200 MB for any one upload (decompression bombs are the point).
"""

from __future__ import annotations

import os
import re
import resource
from functools import lru_cache
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images import get_image_model

from sinmun.newsroom.roles import DESK

from . import tally
from .upload_corpus import corpus

pytestmark = pytest.mark.django_db

SUITE = "Image uploads"
MEMORY_BOUND_MB = 200
HANGUL = re.compile("[가-힣]")


@lru_cache(maxsize=1)
def _corpus():
    return corpus()


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _files_under(root: Path) -> set[str]:
    found = set()
    for folder, _dirs, files in os.walk(root):
        for name in files:
            found.add(os.path.join(folder, name))
    return found


@pytest.fixture
def desk_client(client):
    user = User.objects.create_user("hostile-desk", password="pw-hostile-1234")
    user.groups.add(Group.objects.get(name=DESK))
    client.force_login(user)
    return client


def _upload_single(client, name, data):
    upload = SimpleUploadedFile(name, data, content_type="image/jpeg")
    return client.post(
        reverse("wagtailimages:add"), {"title": "사진", "file": upload, "collection": 1}
    )


def _upload_multiple(client, name, data):
    upload = SimpleUploadedFile(name, data, content_type="image/jpeg")
    return client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": upload},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )


def _refusal_message(response) -> str:
    """The error text shown to the uploader (the form page, or the uploader's JSON)."""
    if response["Content-Type"].startswith("application/json"):
        data = response.json()
        return f"{data.get('error_message', '')} {data.get('form', '')}"
    form = response.context["form"] if response.context else None
    if form is not None and form.errors:
        return " ".join(str(e) for errors in form.errors.values() for e in errors)
    return ""


@pytest.mark.parametrize("how", ["single", "multiple"])
def test_hostile_uploads(desk_client, how):
    Image = get_image_model()
    media = Path(settings.MEDIA_ROOT).resolve()
    data_dir = media.parent
    before_files = _files_under(data_dir)
    upload = _upload_single if how == "single" else _upload_multiple
    failures = {}
    for family, label, filename, data in _corpus():
        count = Image.objects.count()
        rss = _peak_rss_mb()
        response = upload(desk_client, filename, data)
        growth = _peak_rss_mb() - rss
        outcome = None
        if response.status_code >= 500:
            failures[label] = f"status {response.status_code}"
        elif growth > MEMORY_BOUND_MB:
            failures[label] = f"peak memory grew by {growth:.0f} MB"
        if Image.objects.count() == count + 1:
            image = Image.objects.order_by("-id").first()
            path = Path(image.file.path).resolve()
            if media not in path.parents:
                failures[label] = f"stored outside MEDIA_ROOT: {path}"
            if any(c in image.file.name for c in ("..", "\x00", "\\", "\r", "\n")):
                failures[label] = f"file name kept a path trick: {image.file.name!r}"
            try:
                rendition = image.get_rendition("width-400|format-webp")
                if media not in Path(rendition.file.path).resolve().parents:
                    failures[label] = "rendition outside MEDIA_ROOT"
            except Exception as error:  # noqa: BLE001 - any failure is the finding
                failures[label] = f"accepted, but no rendition: {error!r}"
            outcome = "neutralised"
            image.delete()
        else:
            message = _refusal_message(response)
            if response.status_code not in (200, 400) or not HANGUL.search(message):
                failures.setdefault(label, f"refused without a Korean message: {message[:120]!r}")
            outcome = "refused"
        tally.count(f"{SUITE} ({how})", family, "crashed" if label in failures else outcome)
    after_files = _files_under(data_dir)
    strays = [f for f in after_files - before_files if media not in Path(f).resolve().parents]
    assert not strays, strays
    for target in (data_dir / "x.jpg", data_dir.parent / "x.jpg", Path("/etc/passwd.jpg")):
        assert not target.exists(), target
    tally.note_surface(
        f"{SUITE} ({how})", reverse(f"wagtailimages:{'add' if how == 'single' else 'add_multiple'}")
    )
    assert not failures, failures
