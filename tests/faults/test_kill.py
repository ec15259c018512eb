"""kill -9 while editors save: a worker mid-request, the whole app mid-save, a writer
process mid-transaction. Every acknowledged save is there afterwards, every save in flight
is all-or-nothing, SQLite's integrity check passes, and untouched articles are identical.

Outcome (docs/reliability.md): an edit is two steps in Wagtail's edit view, each its own
transaction: the new revision (the editor's text) and then the publish. A kill between
the two leaves the edit as a saved draft (the article's latest revision is the new text,
the public row still the previous version): nothing the editor typed is lost, nothing is
half-written. An acknowledged publish (302) is always public afterwards.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from tests.support.servers import REPO

from .conftest import (
    ROUNDS,
    Gunicorn,
    base_env,
    copy_site,
    edit_form,
    editor_session,
    python_in_site,
    sha,
    snapshot,
    sqlite_integrity,
    untouched_identical,
)

ARTICLES = r"""
import json
from sinmun.articles.models import Article
print(json.dumps([{"id": a.pk, "section": a.section_id, "reporter": a.reporter_id}
                  for a in Article.objects.order_by("pk")[:4]]))
"""


class Editor(threading.Thread):
    """One editor saving one article again and again through the admin's edit view."""

    def __init__(self, base_url, article: dict, tag: str, stop: threading.Event, max_saves=None):
        super().__init__(daemon=True)
        self.base_url, self.article, self.tag, self.stop = base_url, article, tag, stop
        self.max_saves = max_saves
        self.acked: list[str] = []  # texts whose publish was answered 302
        self.in_flight: list[str] = []  # texts sent when the server died (unknown outcome)
        self.refused: list[tuple[str, int]] = []

    def run(self):
        try:
            session = editor_session(self.base_url)
        except (requests.RequestException, AttributeError):
            return  # the app was killed before this editor could log in
        url = f"{self.base_url}/admin/snippets/articles/article/edit/{self.article['id']}/"
        n = 0
        while not self.stop.is_set() and (self.max_saves is None or n < self.max_saves):
            n += 1
            text = f"본문 {self.tag}-{n} 시청 앞 광장 공사가 오늘 끝났다"
            data = edit_form(self.article, title=f"제목 {self.tag}-{n}", text=text)
            data["csrfmiddlewaretoken"] = session.cookies.get("csrftoken", "")
            try:
                response = session.post(
                    url, data=data, headers={"Referer": url}, allow_redirects=False, timeout=30
                )
            except requests.RequestException:
                self.in_flight.append(text)
                return
            if response.status_code == 302:
                self.acked.append(text)
            else:
                self.refused.append((text, response.status_code))
                return


def check_article(after: dict, article_id: int, acked: list[str], in_flight: list[str]):
    """Every acked text is a revision; the latest revision and the public row are either
    the last acked text or the one in flight; every revision text is whole."""
    submitted = set(acked) | set(in_flight)
    texts = [r["text"] for r in after["revisions"].values() if r["object_id"] == article_id]
    for text in acked:
        assert text in texts, f"acknowledged save lost: {text}"
    for text in texts:
        if "시청 앞 광장" in text:
            assert text in submitted, f"a revision no one submitted (torn?): {text}"
    row = after["articles"][article_id]
    latest = after["revisions"][row["latest_revision"]]
    allowed = set(in_flight) | ({acked[-1]} if acked else set())
    if acked or in_flight:
        assert latest["text"] in allowed or (not acked and "시청 앞 광장" not in latest["text"])
    # the public version is whole: its text is one submitted text (or the original)
    live = after["revisions"][row["live_revision"]]
    assert row["text"] == live["text"]
    if acked:
        # the last acknowledged publish, or a later one, is what readers see
        assert live["text"] in allowed, (live["text"], allowed)
    # the revision the article points at exists and belongs to it (never dangling)
    assert latest["object_id"] == article_id
    return sha(row["text"])


@pytest.fixture
def site(sqlite_template, tmp_path):
    data = copy_site(sqlite_template, tmp_path / "site")
    env = base_env(data, SINMUN_STATIC_ROOT=str(sqlite_template / "static"))
    return env


def test_kill_9_the_whole_app_mid_save_repeatedly(site):
    env = site
    articles = json.loads(python_in_site(env, ARTICLES).strip().splitlines()[-1])[:2]
    before = snapshot(env)
    acked: dict[int, list[str]] = {a["id"]: [] for a in articles}
    in_flight: dict[int, list[str]] = {a["id"]: [] for a in articles}
    rng = random.Random(7)
    for round_number in range(ROUNDS):
        server = Gunicorn(env, workers=2).start()
        stop = threading.Event()
        editors = [Editor(server.url, a, f"r{round_number}a{a['id']}", stop) for a in articles]
        for editor in editors:
            editor.start()
        # Kill at a random moment once saves are flowing (logging in takes a while).
        deadline = time.monotonic() + 90
        while not any(e.acked for e in editors) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(rng.uniform(0.1, 2.5))
        server.kill()  # SIGKILL to the arbiter and both workers, mid-save
        stop.set()
        for editor in editors:
            editor.join(timeout=40)
            assert not editor.refused, editor.refused
            acked[editor.article["id"]] += editor.acked
            in_flight[editor.article["id"]] += editor.in_flight
        # SQLite survived the kill
        assert sqlite_integrity(Path(env["SINMUN_DATA_DIR"]) / "sinmun.sqlite3") == "ok"
    after = snapshot(env)
    assert sum(len(v) for v in acked.values()) > 0, "no save was acknowledged at all"
    for article in articles:
        check_article(after, article["id"], acked[article["id"]], in_flight[article["id"]])
    untouched_identical(before, after, {a["id"] for a in articles})


def test_kill_9_one_worker_mid_request(site):
    """A worker killed mid-request: that request fails, the arbiter starts a new worker,
    the next saves succeed, nothing acknowledged is lost."""
    env = site
    articles = json.loads(python_in_site(env, ARTICLES).strip().splitlines()[-1])[:2]
    before = snapshot(env)
    server = Gunicorn(env, workers=2).start()
    try:
        stop = threading.Event()
        editors = [Editor(server.url, a, f"w{a['id']}", stop) for a in articles]
        for editor in editors:
            editor.start()
        killed = []
        deadline = time.monotonic() + 90
        while not any(e.acked for e in editors) and time.monotonic() < deadline:
            time.sleep(0.05)
        for _ in range(3):
            time.sleep(1.0)
            worker = server.worker_pids()[0]
            subprocess.run(["kill", "-9", str(worker)], check=True)
            killed.append(worker)
        stop.set()
        for editor in editors:
            editor.join(timeout=40)
        # the server is still up with fresh workers, and a new editor can save
        deadline = time.monotonic() + 30
        while len(server.worker_pids()) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not set(killed) & set(server.worker_pids())
        last = Editor(server.url, articles[0], "after", threading.Event(), max_saves=2)
        last.run()
        assert last.acked, "no save succeeded after the workers were replaced"
    finally:
        server.stop()
    after = snapshot(env)
    for editor in editors:
        acked = editor.acked + (last.acked if editor.article["id"] == articles[0]["id"] else [])
        assert not editor.refused, editor.refused
        # a killed request may have been any of the editor's; treat all its texts as submitted
        check_article(after, editor.article["id"], acked, editor.in_flight + last.in_flight)
    untouched_identical(before, after, {a["id"] for a in articles})


WRITER = r"""
import json, sys, django
django.setup()
from django.db import transaction
from sinmun.articles.models import Article, Section
from sinmun.readers.services import view_record
section = Section.objects.first()
n = int(sys.argv[1])
print("ready", flush=True)
while True:
    n += 1
    with transaction.atomic():
        article = Article(title=f"쓰기 {n}", section=section,
                          body=json.dumps([{"type": "paragraph", "value": f"<p>쓰기 본문 {n}</p>"}]),
                          live=False)
        article.save()
        revision = article.save_revision(log_action=False, clean=False)
        revision.publish(log_action=False)
    view_record(article_id=article.pk, visitor=f"v{n}")
    print("ack", n, article.pk, flush=True)
"""

CHECK_WRITES = r"""
import json
from sinmun.articles.models import Article
from sinmun.readers.models import ArticleCounter
rows = []
for a in Article.objects.filter(title__startswith="쓰기 "):
    latest = a.latest_revision
    rows.append({"n": int(a.title.split()[1]), "live": a.live,
                 "latest_title": latest.content["title"] if latest else None,
                 "live_is_latest": a.live_revision_id == a.latest_revision_id,
                 "body": a.body.raw_data[0]["value"] if len(a.body.raw_data) else ""})
print(json.dumps(rows, ensure_ascii=False))
"""


def test_sqlite_killed_during_writes_stays_intact(site):
    """A process committing article + revision + publish + a view, killed -9 at random
    moments: integrity_check is ok, every acked article is there, none is half-made."""
    env = site
    db = Path(env["SINMUN_DATA_DIR"]) / "sinmun.sqlite3"
    acked: set[int] = set()
    rng = random.Random(11)
    start = 0
    for _ in range(ROUNDS):
        process = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(start)],
            env=env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        lines: list[str] = []
        reader = threading.Thread(target=lines.extend, args=(process.stdout,), daemon=True)
        reader.start()
        deadline = time.monotonic() + 60  # the first save loads the Korean analyser
        while not any(line.startswith("ack") for line in lines) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(rng.uniform(0.05, 1.5))
        process.kill()
        process.wait(timeout=10)
        reader.join(timeout=10)
        numbers = [int(line.split()[1]) for line in lines if line.startswith("ack")]
        acked |= set(numbers)
        start = max([start, *numbers]) + 1000  # the next process writes new numbers
        assert sqlite_integrity(db) == "ok"
    assert acked, "the writer acknowledged nothing (too slow a machine?)"
    rows = json.loads(python_in_site(env, CHECK_WRITES).strip().splitlines()[-1])
    found = {row["n"] for row in rows}
    assert acked <= found, f"acknowledged writes lost: {sorted(acked - found)[:10]}"
    for row in rows:
        # all-or-nothing: an article row exists only with its revision, published
        assert row["live"] and row["live_is_latest"], row
        assert row["latest_title"] == f"쓰기 {row['n']}"
        assert row["body"] == f"<p>쓰기 본문 {row['n']}</p>"
    # at most one write per killed process was in flight beyond the acknowledged ones
    assert len(found - acked) <= ROUNDS
