"""The media disk full: uploading a photo into a 2 MB tmpfs that is already full gives a
clean refusal (a Korean page, 507, never a 500 traceback), leaves no image row pointing
to a missing file, and uploads work again once there is room.

Needs root (``mount -t tmpfs``); skipped with the reason where mounting is not allowed.
"""

from __future__ import annotations

import io
import os
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_media(settings):
    mountpoint = Path(tempfile.mkdtemp(prefix="sinmun-faults-media-"))
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mountpoint)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        mountpoint.rmdir()
        pytest.skip(f"cannot mount a tmpfs here ({result.stderr.strip()}): needs root")
    settings.MEDIA_ROOT = str(mountpoint)
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", str(mountpoint)], check=False)
        mountpoint.rmdir()


def photo(name: str, size=(1200, 800)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    # noise compresses badly, so the file is a few hundred kB, like a real photo
    PILImage.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(
        buffer, "JPEG", quality=90
    )
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def fill(mountpoint: Path) -> Path:
    """Fill the disk, leaving a few kilobytes."""
    ballast = mountpoint / "ballast"
    stat = os.statvfs(mountpoint)
    free = stat.f_bavail * stat.f_frsize
    ballast.write_bytes(b"\0" * max(free - 8 * 1024, 0))
    return ballast


def rows_without_files(mountpoint: Path) -> list[str]:
    return [
        image.file.name
        for image in get_image_model().objects.all()
        if not (mountpoint / image.file.name).exists()
    ]


def test_upload_on_a_full_disk_is_refused_cleanly(client, full_media):
    editor = User.objects.create_superuser("editor", "e@example.com", "editor-pass-8831")
    client.force_login(editor)
    url = reverse("wagtailimages:add")
    ballast = fill(full_media)
    images_before = get_image_model().objects.count()

    response = client.post(url, {"title": "시청 앞 광장", "file": photo("plaza.jpg")})
    assert response.status_code == 507, response.status_code
    body = response.content.decode()
    assert "저장 공간" in body and "Traceback" not in body
    assert get_image_model().objects.count() == images_before
    assert rows_without_files(full_media) == []

    ballast.unlink()  # the operator frees space: uploads work again
    response = client.post(url, {"title": "시청 앞 광장", "file": photo("plaza.jpg")})
    assert response.status_code == 302, response.content[:500]
    assert get_image_model().objects.count() == images_before + 1
    assert rows_without_files(full_media) == []
