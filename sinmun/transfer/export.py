"""``sinmun export OUTDIR``: the whole paper out, in the format ``sinmun import`` reads.

``OUTDIR/paper.jsonl`` holds, in this order, the site record (profile, logo, banners),
one record per image in the library (files copied into ``OUTDIR/images/``), sections,
reporters, then every article (drafts too) with its body blocks, tags, counters,
corrections, old addresses and earlier revisions. Importing that folder into an empty
site gives the same paper back (sinmun/transfer/tests/test_roundtrip.py), so a paper is
never locked in. Articles are read in batches by number; memory does not grow with the
archive.
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Revision

from sinmun.articles.models import Article, ArticleTag, Reporter, Section
from sinmun.readers.models import ArticleCounter
from sinmun.sitesettings.models import Banner, SiteProfile

from .jsonl import SITE_FIELDS
from .models import LegacyURL

EXPORT_FILE = "paper.jsonl"
IMAGES_DIR = "images"
BATCH = 500
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class ExportReport:
    articles: int = 0
    images: int = 0
    sections: int = 0
    reporters: int = 0
    warnings: list[str] = field(default_factory=list)


def _time(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


class _Writer:
    def __init__(self, outdir: Path, report: ExportReport):
        self.outdir = outdir
        self.report = report
        self.image_paths: dict[int, str] = {}

    # -- images

    def copy_images(self, handle) -> None:
        (self.outdir / IMAGES_DIR).mkdir(parents=True, exist_ok=True)
        for image in get_image_model().objects.order_by("pk").iterator(chunk_size=BATCH):
            name = _UNSAFE.sub("_", os.path.basename(image.file.name)) or "image"
            relative = f"{IMAGES_DIR}/{image.pk}-{name}"
            try:
                with image.file.open("rb") as source, open(self.outdir / relative, "wb") as out:
                    for chunk in iter(lambda source=source: source.read(1 << 20), b""):
                        out.write(chunk)
            except OSError:
                self.report.warnings.append(
                    f"사진 {image.pk}({image.title})의 파일이 없어 내보내지 못했습니다"
                )
                continue
            self.image_paths[image.pk] = relative
            focal = None
            if image.focal_point_x is not None:
                focal = [
                    image.focal_point_x,
                    image.focal_point_y,
                    image.focal_point_width,
                    image.focal_point_height,
                ]
            self.write(
                handle,
                {"type": "image", "path": relative, "title": image.title, "focal_point": focal},
            )
            self.report.images += 1

    def blocks(self, raw, article_id: int) -> list[dict]:
        if isinstance(raw, str):
            raw = json.loads(raw or "[]")
        out = []
        for block in raw or []:
            value = block.get("value")
            if block.get("type") == "photo":
                path = self.image_paths.get((value or {}).get("image"))
                if path is None:
                    self.report.warnings.append(
                        f"기사 {article_id}: 파일이 없는 사진 블록은 내보내지 않았습니다"
                    )
                    continue
                value = {**value, "image": path}
            item = {"type": block.get("type"), "value": value}
            if block.get("id"):
                item["id"] = block["id"]
            out.append(item)
        return out

    @staticmethod
    def write(handle, record: dict) -> None:
        handle.write(json.dumps(record, ensure_ascii=False, separators=(", ", ": ")) + "\n")

    # -- records

    def site(self, handle) -> None:
        profile = SiteProfile.load()
        record: dict = {"type": "site"}
        for key in SITE_FIELDS:
            value = getattr(profile, key)
            record[key] = value.isoformat() if hasattr(value, "isoformat") else value
        if profile.logo_id and profile.logo_id in self.image_paths:
            record["logo"] = self.image_paths[profile.logo_id]
        record["banners"] = [
            {
                "label": b.label,
                "url": b.url,
                "description": b.description,
                "active": b.active,
                "order": b.order,
            }
            for b in Banner.objects.order_by("order", "id")
        ]
        self.write(handle, record)

    def sections(self, handle) -> None:
        for section in Section.objects.order_by("order", "name"):
            self.write(
                handle,
                {
                    "type": "section",
                    "code": section.code,
                    "name": section.name,
                    "order": section.order,
                },
            )
            self.report.sections += 1

    def reporters(self, handle) -> None:
        for reporter in Reporter.objects.order_by("pk"):
            record = {
                "type": "reporter",
                "name": reporter.name,
                "email": reporter.email,
                "bio": reporter.bio,
            }
            if reporter.photo_id in self.image_paths:
                record["photo"] = self.image_paths[reporter.photo_id]
            self.write(handle, record)
            self.report.reporters += 1

    def articles(self, handle, progress) -> None:
        from sinmun.newsroom.models import Correction

        last = 0
        while True:
            batch = list(
                Article.objects.filter(pk__gt=last)
                .select_related("section", "reporter")
                .order_by("pk")[:BATCH]
            )
            if not batch:
                break
            last = batch[-1].pk
            ids = [a.pk for a in batch]
            tags = defaultdict(list)
            for article_id, name in ArticleTag.objects.filter(
                content_object_id__in=ids
            ).values_list("content_object_id", "tag__name"):
                tags[article_id].append(name)
            counters = {c.article_id: c for c in ArticleCounter.objects.filter(article_id__in=ids)}
            corrections = defaultdict(list)
            for c in Correction.objects.filter(article_id__in=ids).order_by("created_at", "id"):
                corrections[c.article_id].append(
                    {"note": c.note, "created_at": _time(c.created_at)}
                )
            legacy = defaultdict(list)
            for article_id, path in LegacyURL.objects.filter(article_id__in=ids).values_list(
                "article_id", "path"
            ):
                legacy[article_id].append(path)
            revisions = defaultdict(list)
            for rev in Revision.objects.filter(
                base_content_type=batch[0].get_base_content_type(),
                object_id__in=[str(i) for i in ids],
            ).order_by("created_at", "id"):
                revisions[int(rev.object_id)].append(rev)
            for article in batch:
                counter = counters.get(article.pk)
                older = [r for r in revisions[article.pk] if r.pk != article.latest_revision_id]
                latest = next(
                    (r for r in revisions[article.pk] if r.pk == article.latest_revision_id), None
                )
                record = {
                    "type": "article",
                    "id": article.pk,
                    "title": article.title,
                    "subtitle": article.subtitle,
                    "section": {"code": article.section.code, "name": article.section.name},
                    "reporter": (
                        {"name": article.reporter.name, "email": article.reporter.email}
                        if article.reporter_id
                        else None
                    ),
                    "status": "published" if article.live else "draft",
                    "registered_at": _time(article.first_published_at),
                    "modified_at": _time(article.modified_at),
                    "last_published_at": _time(article.last_published_at),
                    "go_live_at": _time(article.go_live_at),
                    "expire_at": _time(article.expire_at),
                    "embargo": article.embargo,
                    "saved_at": _time(latest.created_at) if latest else None,
                    "tags": sorted(tags[article.pk]),
                    "views": counter.views if counter else 0,
                    "likes": counter.likes if counter else 0,
                    "body": self.blocks(article.body.raw_data, article.pk),
                    "body_html": article.rendered_body,
                    "corrections": corrections[article.pk],
                    "legacy_urls": sorted(legacy[article.pk]),
                    "revisions": [
                        {
                            "created_at": _time(rev.created_at),
                            "title": rev.content.get("title", ""),
                            "subtitle": rev.content.get("subtitle", ""),
                            "body": self.blocks(rev.content.get("body"), article.pk),
                        }
                        for rev in older
                    ],
                }
                self.write(handle, record)
                self.report.articles += 1
                if progress:
                    progress(self.report.articles)


def export_site(
    outdir: Path | str, *, progress: Callable[[int], None] | None = None
) -> ExportReport:
    """Write the whole paper to ``outdir`` (see the module docstring)."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    report = ExportReport()
    writer = _Writer(outdir, report)
    partial = outdir / (EXPORT_FILE + ".partial")
    with open(partial, "w", encoding="utf-8") as handle:
        writer.copy_images(handle)
        writer.site(handle)
        writer.sections(handle)
        writer.reporters(handle)
        writer.articles(handle, progress)
    # Only a finished export carries the name ``sinmun import`` looks for.
    partial.replace(outdir / EXPORT_FILE)
    return report
