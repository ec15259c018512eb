"""Views answered by nginx: the view log counted exactly once — duplicates, bots,
partial lines, rotation, truncation, a crash halfway — and nginx really writing it."""

import json
import os
import time
from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from sinmun.readers import services, viewlog
from sinmun.readers.models import ArticleCounter, ArticleViewHour, ViewLogPosition
from sinmun.readers.viewlog import ingest_view_log
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db

UA = "Mozilla/5.0 (Linux; Android 14) Chrome/126.0 Mobile Safari/537.36"


def line(pk, *, ua=UA, ip="203.0.113.7", t=None, method="POST", **extra):
    record = {
        "t": f"{(t or time.time()):.3f}",
        "method": method,
        "uri": f"/reader/article/{pk}/view/",
        "ip": ip,
        "ua": ua,
        "sec_purpose": "",
        "purpose": "",
        "x_purpose": "",
        "x_moz": "",
        **extra,
    }
    return json.dumps(record) + "\n"


def append(path, *lines):
    with open(path, "a") as handle:
        handle.write("".join(lines))


def views(article):
    counter = ArticleCounter.objects.filter(article=article).first()
    hours = ArticleViewHour.objects.filter(article=article).aggregate(s=Sum("views"))["s"] or 0
    return (counter.views if counter else 0), hours


@pytest.fixture
def log(tmp_path, settings):
    path = tmp_path / "views.log"
    path.touch()
    settings.SINMUN_VIEW_LOG = str(path)
    return path


def test_counts_each_reader_once_per_window_and_skips_bots(log):
    article, other = make_article(), make_article()
    hidden = make_article(live=False)
    now = time.time()
    append(
        log,
        line(article.pk, t=now - 3600),
        line(article.pk, t=now - 3000),  # the same reader 10 minutes later: not again
        line(article.pk, t=now - 1000),  # 43 minutes after the first: again
        line(article.pk, ua=UA + " B", t=now - 900),
        line(article.pk, ip="198.51.100.4", t=now - 800),
        line(article.pk, ua="Mozilla/5.0 (compatible; Yeti/1.1; +https://naver.me/spd)"),
        line(article.pk, ua=""),
        line(article.pk, ua=UA + " P", sec_purpose="prefetch"),
        line(article.pk, method="GET", ua=UA + " G"),
        line(other.pk, t=now - 500),
        line(hidden.pk),
        "not json at all\n",
    )
    report = ingest_view_log()
    assert views(article) == (4, 4)
    assert views(other) == (1, 1)
    assert views(hidden) == (0, 0)
    assert (report.lines, report.views) == (12, 5)
    # Read again: nothing counts twice.
    assert ingest_view_log().views == 0
    assert views(article) == (4, 4)
    # New lines only.
    append(log, line(article.pk, ua=UA + " C"))
    assert ingest_view_log().views == 1
    assert views(article) == (5, 5)


def test_the_same_reader_through_the_app_and_the_log_shares_the_window(log, settings):
    """Switching nginx on or off mid-day does not count a reader twice."""
    article = make_article()
    from sinmun.readers.viewlog import _LogRequest
    from sinmun.readers.visitor import visitor_hash

    settings.SINMUN_BEHIND_PROXY = False
    visitor = visitor_hash(_LogRequest({"ip": "203.0.113.7", "ua": UA}))
    assert services.view_record(article_id=article.pk, visitor=visitor)
    append(log, line(article.pk))
    assert ingest_view_log().views == 0
    assert views(article) == (1, 1)


def test_a_partial_last_line_waits_for_its_end(log):
    article = make_article()
    whole = line(article.pk, ua=UA + " 1")
    second = line(article.pk, ua=UA + " 2")
    append(log, whole, second[:20])
    assert ingest_view_log().views == 1
    append(log, second[20:])
    assert ingest_view_log().views == 1
    assert views(article) == (2, 2)


def test_a_rotated_log_is_finished_then_the_new_one_read(log):
    article = make_article()
    append(log, *(line(article.pk, ua=f"{UA} {i}") for i in range(3)))
    assert ingest_view_log().views == 3
    # More lines, then logrotate renames the file and nginx reopens a new one.
    append(log, *(line(article.pk, ua=f"{UA} {i}") for i in range(3, 5)))
    os.rename(log, log.with_name("views.log.1"))
    append(log, *(line(article.pk, ua=f"{UA} {i}") for i in range(5, 9)))
    report = ingest_view_log()
    assert report.views == 6 and report.rotations == 1
    assert views(article) == (9, 9)
    # The next rotation: the old .1 is gone, the previous file becomes .1.
    os.remove(log.with_name("views.log.1"))
    os.rename(log, log.with_name("views.log.1"))
    append(log, line(article.pk, ua=UA + " new"))
    assert ingest_view_log().views == 1
    assert ingest_view_log().views == 0
    assert views(article) == (10, 10)


def test_a_truncated_log_copytruncate(log):
    article = make_article()
    append(log, *(line(article.pk, ua=f"{UA} {i}") for i in range(2)))
    assert ingest_view_log().views == 2
    append(log, line(article.pk, ua=UA + " 2"))
    copy = log.with_name("views.log.1")
    copy.write_bytes(log.read_bytes())
    log.write_text("")
    append(log, line(article.pk, ua=UA + " x"))  # shorter than what was read before
    ingest_view_log()
    assert views(article) == (4, 4)


def test_a_crash_halfway_loses_nothing_and_repeats_nothing(log, monkeypatch):
    article = make_article()
    append(log, *(line(article.pk, ua=f"{UA} {i}") for i in range(10)))
    monkeypatch.setattr(viewlog, "READ_BYTES", len(line(article.pk, ua=UA + " 0")) * 3 + 5)
    real = services._views_add
    calls = {"n": 0}

    def crashing(article_id, hour, count):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("killed")
        return real(article_id, hour, count)

    monkeypatch.setattr(services, "_views_add", crashing)
    with pytest.raises(RuntimeError):
        ingest_view_log()
    # The first piece (3 lines) committed with its position; the second rolled back.
    assert views(article) == (3, 3)
    position = ViewLogPosition.objects.get(path=str(log))
    assert position.offset == len(line(article.pk, ua=UA + " 0")) * 3
    monkeypatch.setattr(services, "_views_add", real)
    ingest_view_log()
    assert views(article) == (10, 10)


def test_one_address_cycling_user_agents_is_capped(log, settings):
    """The same caps as the app's beacon, kept across pieces and runs (in the database)."""
    settings.SINMUN_VIEWS_PER_ADDRESS = 3
    article = make_article()
    now = time.time()
    append(log, *(line(article.pk, ua=f"{UA} {i}", t=now - 60 + i) for i in range(10)))
    assert ingest_view_log().views == 3
    append(
        log,
        line(article.pk, ua=UA + " later", t=now),
        line(article.pk, ip="198.51.100.4", t=now),  # another address is not capped
    )
    assert ingest_view_log().views == 1
    assert views(article) == (4, 4)


def test_one_address_has_a_total_per_hour(log, settings):
    settings.SINMUN_VIEWS_PER_ADDRESS = 3
    settings.SINMUN_VIEWS_PER_ADDRESS_HOUR = 5
    articles = [make_article() for _ in range(3)]
    start = (time.time() // 3600) * 3600 - 3 * 3600  # an hour's window, three hours ago
    append(
        log,
        *(
            line(a.pk, ua=f"{UA} {i}", t=start + 60 + 10 * k + i)
            for k, a in enumerate(articles)
            for i in range(3)
        ),
        # The next hour's window (and a later half hour): the address counts again.
        *(line(articles[2].pk, ua=f"{UA} next {i}", t=start + 3660 + i) for i in range(4)),
    )
    assert ingest_view_log().views == 8
    assert [views(a)[0] for a in articles] == [
        3,
        2,
        3,
    ]  # the third: none in the first hour, three in the next


def test_a_crash_halfway_keeps_the_address_caps_exact(log, monkeypatch, settings):
    settings.SINMUN_VIEWS_PER_ADDRESS = 5
    article = make_article()
    append(log, *(line(article.pk, ua=f"{UA} {i}") for i in range(10)))
    monkeypatch.setattr(viewlog, "READ_BYTES", len(line(article.pk, ua=UA + " 0")) * 3 + 5)
    real = services._views_add
    calls = {"n": 0}

    def crashing(article_id, hour, count):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("killed")
        return real(article_id, hour, count)

    monkeypatch.setattr(services, "_views_add", crashing)
    with pytest.raises(RuntimeError):
        ingest_view_log()
    assert views(article) == (3, 3)
    monkeypatch.setattr(services, "_views_add", real)
    ingest_view_log()
    # The rolled-back piece used none of the address's allowance.
    assert views(article) == (5, 5)


@pytest.mark.parametrize(
    ("fields", "counts"),
    [
        ({"sec_fetch_site": "cross-site", "origin": "https://views-for-sale.example"}, False),
        ({"sec_fetch_site": "", "origin": "https://views-for-sale.example"}, False),
        ({"sec_fetch_site": "", "origin": "", "referer": "https://views-for-sale.example/"}, False),
        ({"sec_fetch_site": "", "origin": "null", "referer": ""}, False),
        ({"sec_fetch_site": "same-origin", "origin": "https://news.sinmun.test"}, True),
        ({"sec_fetch_site": "", "origin": "https://news.sinmun.test", "referer": ""}, True),
        ({"sec_fetch_site": "", "origin": "", "referer": ""}, True),
        ({}, True),  # a line written before the log format had these fields
    ],
    ids=[
        "cross-site",
        "foreign-origin",
        "foreign-referer",
        "null-origin",
        "same-origin",
        "own-origin",
        "empty-fields",
        "old-format",
    ],
)
def test_cross_site_lines_are_not_counted(log, settings, fields, counts):
    settings.ALLOWED_HOSTS = ["news.sinmun.test"]
    article = make_article()
    append(log, line(article.pk, **fields))
    assert ingest_view_log().views == int(counts)
    assert views(article)[0] == int(counts)


def test_the_minute_job_counts_the_log(log):
    article = make_article()
    append(log, line(article.pk), line(article.pk, ua=UA + " 2"))
    assert services.flush_view_counts().views == 2
    assert views(article) == (2, 2)


@pytest.mark.skipif(not os.path.exists("/usr/sbin/nginx"), reason="nginx is not installed")
def test_nginx_answers_the_beacon_and_the_log_is_counted(tmp_path, settings):
    from tests.support.servers import LiveNginx, free_port, http_get

    article = make_article(registered_at=timezone.now() - timedelta(hours=2))
    path = tmp_path / "nginx" / "logs" / "views.log"
    settings.SINMUN_VIEW_LOG = str(path)
    nginx = LiveNginx(
        workdir=tmp_path / "nginx",
        upstreams=[f"127.0.0.1:{free_port()}"],  # nothing there: the app is not asked
        static_root=tmp_path,
        media_root=tmp_path,
        view_log=path,
    )
    nginx.start()
    try:
        import urllib.request

        for i in range(20):
            request = urllib.request.Request(  # noqa: S310 - loopback
                f"{nginx.url}/reader/article/{article.pk}/view/",
                data=b"",
                method="POST",
                headers={"User-Agent": f"{UA} {i % 15}"},
            )
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                assert response.status == 204
                assert "no-store" in response.headers["Cache-Control"]
        assert http_get(f"{nginx.url}/reader/article/{article.pk}/view/")[0] == 405
    finally:
        nginx.stop()  # flushes the buffered log
    report = ingest_view_log()
    assert report.views == 15
    assert views(article) == (15, 15)


@pytest.mark.skipif(not os.path.exists("/usr/sbin/nginx"), reason="nginx is not installed")
def test_nginx_logs_what_the_cross_site_and_address_rules_need(tmp_path, settings):
    """Through real nginx: the log lines carry Sec-Fetch-Site, Origin and Referer, so the
    minute job refuses another site's beacons, and one address cycling agents is capped."""
    from tests.support.servers import LiveNginx, free_port

    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    settings.SINMUN_VIEWS_PER_ADDRESS = 4
    article = make_article(registered_at=timezone.now() - timedelta(hours=2))
    path = tmp_path / "nginx" / "logs" / "views.log"
    settings.SINMUN_VIEW_LOG = str(path)
    nginx = LiveNginx(
        workdir=tmp_path / "nginx",
        upstreams=[f"127.0.0.1:{free_port()}"],
        static_root=tmp_path,
        media_root=tmp_path,
        view_log=path,
    )
    foreign = [
        {"Sec-Fetch-Site": "cross-site", "Origin": "https://views-for-sale.example"},
        {"Origin": "https://views-for-sale.example"},
        {"Referer": "https://views-for-sale.example/page.html"},
    ]
    own = [{"Sec-Fetch-Site": "same-origin", "Origin": nginx.url}] * 10  # 10 agents, below
    nginx.start()
    try:
        import urllib.request

        for i, headers in enumerate(foreign + own):
            request = urllib.request.Request(  # noqa: S310 - loopback
                f"{nginx.url}/reader/article/{article.pk}/view/",
                data=b"",
                method="POST",
                headers={"User-Agent": f"{UA} {i}", **headers},
            )
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                assert response.status == 204
    finally:
        nginx.stop()
    records = [json.loads(raw) for raw in path.read_text().splitlines()]
    assert records[0]["sec_fetch_site"] == "cross-site"
    assert records[1]["origin"] == "https://views-for-sale.example"
    assert records[2]["referer"] == "https://views-for-sale.example/page.html"
    report = ingest_view_log()
    assert (report.lines, report.views) == (13, 4)
    assert views(article) == (4, 4)
