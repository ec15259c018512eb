"""The scheduler stopped for hours: four articles approved for 05:00…08:30 fall due while
it is down (one more is due only later). When it comes back, two schedulers start at the
same moment (a restart racing the systemd timer, or two machines), and a third run
follows: each due article is published exactly once, each is recorded as late
(LatePublication, shown to the desk as 늦게 발행됨), the later one stays unpublished.

Complements sinmun/newsroom/tests/test_scheduling.py (one article, one process, a
controlled clock): here the clock is controlled by approving the revisions for times
hours in the past, and the runs are real concurrent processes on a SQLite file.
"""

from __future__ import annotations

import json
import subprocess

from tests.support.servers import REPO

from .conftest import SINMUN, base_env, copy_site, python_in_site, snapshot

SCHEDULE = r"""
import json
from datetime import timedelta
from django.utils import timezone
from sinmun.articles.models import Article, Section
section = Section.objects.first()
now = timezone.now()
due = {"새벽 기사": 5, "아침 기사": 4, "출근길 기사": 3, "오전 기사": 0.5, "저녁 기사": -3}
ids = {}
for title, hours_ago in due.items():
    article = Article(title=title, section=section, live=False,
                      body=json.dumps([{"type": "paragraph", "value": f"<p>{title} 본문</p>"}]))
    article.save()
    article.save_revision(approved_go_live_at=now - timedelta(hours=hours_ago), clean=False)
    ids[title] = article.pk
print(json.dumps(ids, ensure_ascii=False))
"""

RESULT = r"""
import json
from wagtail.models import ModelLogEntry
from sinmun.articles.models import Article
from sinmun.newsroom.models import LatePublication
ids = json.loads(IDS)
out = {}
for title, pk in ids.items():
    article = Article.objects.get(pk=pk)
    out[title] = {
        "live": article.live,
        "publishes": ModelLogEntry.objects.filter(object_id=str(pk), action="wagtail.publish.scheduled").count(),
        "late": [round((l.published_at - l.due_at).total_seconds() / 3600, 1)
                 for l in LatePublication.objects.filter(article_id=pk)],
        "revisions": article.revisions.count(),
    }
print(json.dumps(out, ensure_ascii=False))
"""


def test_scheduler_back_after_hours_publishes_each_due_article_once(sqlite_template, tmp_path):
    env = base_env(copy_site(sqlite_template, tmp_path / "site"))
    ids = json.loads(python_in_site(env, SCHEDULE).strip().splitlines()[-1])
    before = snapshot(env)

    # two schedulers come back at the same moment
    runs = [
        subprocess.Popen(
            [*SINMUN, "run_scheduled_jobs"],
            env=env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    for run, (_out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
    published = sum(int(out.split("published=")[1].split()[0]) for out, _ in outputs)
    assert published == 4, outputs
    third = subprocess.run(
        [*SINMUN, "run_scheduled_jobs"], env=env, cwd=REPO, capture_output=True, text=True
    )
    assert "published=0" in third.stdout, third.stdout + third.stderr

    result = json.loads(
        python_in_site(env, f"IDS = {json.dumps(ids)!r}\n" + RESULT).strip().splitlines()[-1]
    )
    for title, hours in {
        "새벽 기사": 5,
        "아침 기사": 4,
        "출근길 기사": 3,
        "오전 기사": 0.5,
    }.items():
        row = result[title]
        assert row["live"] and row["publishes"] == 1, (title, row)
        assert len(row["late"]) == 1 and abs(row["late"][0] - hours) <= 0.1, (title, row)
        assert row["revisions"] == 1  # published from the approved revision, not a new one
    assert result["저녁 기사"] == {"live": False, "publishes": 0, "late": [], "revisions": 1}
    after = snapshot(env)
    # nothing else changed: the same articles and revisions, the due ones now public
    assert set(after["articles"]) == set(before["articles"])
    assert after["revisions"] == before["revisions"]
