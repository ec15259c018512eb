#!/usr/bin/env python3
"""Run sinmun's benchmarks side by side in one run and print a table.

    .venv/bin/python bench/run.py                     # SQLite, the default install
    .venv/bin/python bench/run.py --production        # PostgreSQL (sinmun_bench) + Redis db 9
    .venv/bin/python bench/run.py --duration 3 --connections 16   # a short smoke run

Starts everything on 127.0.0.1: two ``sinmun serve`` instances on the same data (one with
the application page cache, one without, for "uncached through the app"), nginx with
deploy/nginx's configuration in front of the first, and an nginx server with a static
copy of the same article page (the ceiling on this machine). WordPress is included when
bench/wordpress/setup.sh has installed it (http://127.0.0.1:8090/ and its microcache on
:8091). Then wrk (Debian package ``wrk``) for each scenario, SQL queries per page (the
Django test client with CaptureQueriesContext, in a subprocess on the same data) and
the gunicorn workers' RSS from /proc. Figures go to stdout as a Markdown table; copy
them with the command into docs/performance.md.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.servers import (  # noqa: E402
    LiveNginx,
    LiveSinmun,
    free_port,
    fresh_postgres,
    fresh_redis,
    http_get,
    port_open,
)

WORDPRESS_URL = os.environ.get("SINMUN_BENCH_WORDPRESS", "http://127.0.0.1:8090")
WORDPRESS_CACHED_URL = os.environ.get("SINMUN_BENCH_WORDPRESS_CACHED", "http://127.0.0.1:8091")

BEACON_LUA = """
-- Every request is a different reader (user agent), so every view counts once.
local counter = 0
local id = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
function init(args)
  id = wrk.thread:get("id")
end
function request()
  counter = counter + 1
  local headers = {}
  headers["User-Agent"] = "Mozilla/5.0 (Android 14; Mobile) sinmun-bench/" .. id .. "-" .. counter
  headers["X-Real-IP"] = "10.9." .. id .. "." .. (counter % 250 + 1)
  return wrk.format("POST", nil, headers, "")
end
"""

QUERIES_SCRIPT = r"""
import json, sys
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
out = {}
with override_settings(SINMUN_PAGE_CACHE=False, ALLOWED_HOSTS=["*"]):
    client = Client()
    for path in json.loads(PATHS):
        client.get(path)  # warm per-process caches (site settings, ranking)
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path).status_code
        out[path] = [status, len(queries)]
print("QUERIES " + json.dumps(out))
"""


@dataclass
class Result:
    name: str
    requests_per_second: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    errors: int = 0
    requests: int = 0
    note: str = ""


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(name: str, url: str, args, *, script: str | None = None, note: str = "") -> Result:
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--latency",
        "--timeout",
        "10s",
    ]
    if script:
        command += ["-s", script]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=False).stdout
    result = Result(name=name, note=note)
    if match := re.search(r"Requests/sec:\s+([\d.]+)", output):
        result.requests_per_second = float(match.group(1))
    if match := re.search(r"^\s+50%\s+(\S+)", output, re.M):
        result.p50_ms = _ms(match.group(1))
    if match := re.search(r"^\s+99%\s+(\S+)", output, re.M):
        result.p99_ms = _ms(match.group(1))
    if match := re.search(r"(\d+) requests in", output):
        result.requests = int(match.group(1))
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        errors += sum(int(g) for g in match.groups())
    result.errors = errors
    if not result.requests:
        result.note = (note + " wrk failed: " + output[-300:]).strip()
    return result


def rss_mb(pids: list[int]) -> list[tuple[float, float, float]]:
    """(RSS, PSS, private) in MB for each pid. Workers are forked from a preloaded master,
    so much of their RSS is shared (Kiwi's model above all); private (USS) is what each
    one adds, PSS its fair share of the shared pages."""
    sizes = []
    for pid in pids:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        fields = {k: int(v) for k, v in re.findall(r"^(\w+):\s+(\d+) kB", rollup, re.M)}
        private = fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)
        sizes.append((fields.get("Rss", 0) / 1024, fields.get("Pss", 0) / 1024, private / 1024))
    return sizes


def view_total(app: LiveSinmun, pk: int) -> int:
    result = app.run(
        "shell",
        "-c",
        "from sinmun.readers.services import flush_view_counts; flush_view_counts(); "
        "from sinmun.readers.models import ArticleCounter; "
        f"c = ArticleCounter.objects.filter(article_id={pk}).first(); print('VIEWS', c.views if c else 0)",
        timeout=1800,  # counting nginx's view log of a whole run takes a while when loaded
    )
    match = re.search(r"VIEWS (\d+)", result.stdout)
    return int(match.group(1)) if match else -1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="sinmun benchmarks, side by side")
    parser.add_argument("--duration", type=int, default=10, help="seconds per scenario")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="gunicorn workers per app server (default: what `sinmun serve` picks: 2 on "
        "SQLite, CPUs×2+1 on PostgreSQL)",
    )
    parser.add_argument("--worker-class", default="gthread", choices=["sync", "gthread"])
    parser.add_argument("--gunicorn-threads", type=int, default=4)
    parser.add_argument("--production", action="store_true", help="PostgreSQL and Redis")
    parser.add_argument("--database-name", default="sinmun_bench", help="with --production")
    parser.add_argument("--redis-db", type=int, default=9, help="with --production")
    parser.add_argument(
        "--only", default="", help="run only scenarios whose name contains one of these words"
    )
    parser.add_argument("--data", help="a data folder to reuse (e.g. with the archive loaded)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk (scripts/install-system-deps.sh)")

    work = Path(tempfile.mkdtemp(prefix="sinmun-bench-"))
    data = Path(args.data) if args.data else work / "data"
    env = {
        "SINMUN_WORKER_CLASS": args.worker_class,
        "SINMUN_THREADS": str(args.gunicorn_threads if args.worker_class == "gthread" else 1),
        "SINMUN_BEHIND_PROXY": "true",
        "SINMUN_SECRET_KEY": "bench-" + "x" * 50,
        # Every beacon comes from this machine (nginx logs 127.0.0.1; the app sees 500
        # X-Real-IP addresses): lift the per-address view caps, or the scenario would
        # measure the cap instead of counting (sinmun/readers/README.md).
        "SINMUN_VIEWS_PER_ADDRESS": "1000000000",
        "SINMUN_VIEWS_PER_ADDRESS_HOUR": "1000000000",
    }
    if args.production:
        env["DATABASE_URL"] = (
            fresh_postgres(args.database_name) if not args.data else os.environ["DATABASE_URL"]
        )
        env["REDIS_URL"] = fresh_redis(args.redis_db)
    cached_port, uncached_port = free_port(), free_port()
    static_dir = work / "static-copy"
    static_dir.mkdir(parents=True)
    ceiling_port = free_port()
    nginx = LiveNginx(
        workdir=work / "nginx",
        upstreams=[f"127.0.0.1:{cached_port}"],
        static_root=data / "static",
        media_root=data / "media",
        extra_http=(
            f"server {{ listen 127.0.0.1:{ceiling_port}; access_log off;"
            f" location / {{ root {static_dir}; index article.html; }} }}"
        ),
        # nginx answers the view beacon itself and logs it; the app counts the log.
        view_log=work / "nginx" / "logs" / "views.log",
    )
    env["SINMUN_VIEW_LOG"] = str(work / "nginx" / "logs" / "views.log")
    env["SINMUN_NGINX_PURGE_URL"] = nginx.purge_url
    app = LiveSinmun(data_dir=data, port=cached_port, workers=args.workers, env=env)
    bare = LiveSinmun(
        data_dir=data,
        port=uncached_port,
        workers=args.workers,
        env={**env, "SINMUN_PAGE_CACHE": "false"},
    )
    results: list[Result] = []
    try:
        print(f"starting in {work} …", file=sys.stderr)
        app.start()
        bare.start()
        nginx.start()
        home = http_get(app.url + "/")[2]
        pk = int(re.search(r'href="/article/(\d+)/"', home).group(1))
        chosen = Path(__file__).resolve().parent / "wordpress" / "article.json"
        # The article WordPress serves too (bench/wordpress/setup.sh), a demo article:
        # not in a data folder of one's own (--data).
        if chosen.exists() and not args.data:
            pk = json.loads(chosen.read_text())["id"]
        article_path = f"/article/{pk}/"
        page = http_get(bare.url + article_path)[2]
        (static_dir / "article.html").write_text(page)
        section_path = re.search(r'href="(/section/[^/"]+/)"', page).group(1)
        # The title's first word, without quotes or punctuation around it.
        title = html.unescape(re.search(r"<title>([^<|·-]+)", page).group(1))
        word = re.sub(r"[^\w]", "", title.split()[0]) or "신문"
        search_path = "/search?q=" + quote(word)
        http_get(nginx.url + article_path)  # fill nginx's cache
        http_get(app.url + article_path)  # and the page cache

        beacon_script = work / "beacon.lua"
        beacon_script.write_text(BEACON_LUA)

        plan = [
            (
                "static copy of the article (nginx, the ceiling)",
                f"http://127.0.0.1:{ceiling_port}/article.html",
                None,
            ),
            ("article, nginx microcache", nginx.url + article_path, None),
            ("article, app page cache (no nginx)", app.url + article_path, None),
            ("article, uncached through the app", bare.url + article_path, None),
            (
                "view beacon (POST, app)",
                bare.url + f"/reader/article/{pk}/view/",
                str(beacon_script),
            ),
            (
                "view beacon (POST, nginx answers, log counted)",
                nginx.url + f"/reader/article/{pk}/view/",
                str(beacon_script),
            ),
            ("ranking, uncached", bare.url + "/ranking/", None),
            ("section list, uncached", bare.url + section_path, None),
            ("search, uncached", bare.url + search_path, None),
        ]
        same_article = not args.data  # WordPress has the demo article, not an archive's
        if same_article and port_open(int(WORDPRESS_URL.rsplit(":", 1)[1])):
            plan.append(("WordPress article, uncached", WORDPRESS_URL + "/?p=sinmun-bench", None))
        if same_article and port_open(int(WORDPRESS_CACHED_URL.rsplit(":", 1)[1])):
            plan.append(
                (
                    "WordPress article, nginx microcache",
                    WORDPRESS_CACHED_URL + "/?p=sinmun-bench",
                    None,
                )
            )
        if args.only:
            words = args.only.split(",")
            plan = [plan[0]] + [p for p in plan[1:] if any(w in p[0] for w in words)]
        for name, url, script in plan:
            if "WordPress" in name:
                url = wordpress_article_url(url)
            print(f"wrk: {name}", file=sys.stderr)
            if script is None:
                try:  # warm up: fill caches, and a slow first answer must not eat the run
                    http_get(url, timeout=60)
                except OSError:
                    pass
            if name.startswith("view beacon"):
                before = view_total(app, pk)
            results.append(wrk(name, url, args, script=script))
            if name.startswith("view beacon"):
                time.sleep(1.5)  # nginx writes its buffered log at least every second
                started = time.monotonic()
                counted = view_total(app, pk) - before
                seconds = time.monotonic() - started
                # wrk does not count the requests still in flight when it stops (up to
                # one per connection), the server does: counted may exceed "requests".
                results[-1].note = (
                    f"{counted} views counted for {results[-1].requests} completed requests"
                    + (f" (log counted in {seconds:.1f} s)" if "log" in name else "")
                )

        queries = bare.run(
            "shell",
            "-c",
            QUERIES_SCRIPT.replace(
                "PATHS",
                repr(
                    json.dumps(
                        [
                            "/",
                            article_path,
                            f"/m{article_path}",
                            section_path,
                            "/ranking/",
                            search_path,
                        ]
                    )
                ),
            ),
        )
        query_counts = (
            json.loads(re.search(r"QUERIES (.*)", queries.stdout).group(1))
            if "QUERIES" in queries.stdout
            else {}
        )
        memory = {
            "app (page cache)": rss_mb(app.worker_pids()),
            "app (uncached)": rss_mb(bare.worker_pids()),
        }
    finally:
        nginx.stop()
        app.stop()
        bare.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    print_report(args, results, query_counts, memory)
    return 0


def wordpress_article_url(base: str) -> str:
    """The bench article's permalink, written by bench/wordpress/setup.sh."""
    marker = Path(__file__).resolve().parent / "wordpress" / "article-path.txt"
    path = marker.read_text().strip() if marker.exists() else "/"
    return base.split("/?")[0] + path


def print_report(args, results, query_counts, memory) -> None:
    ceiling = results[0].requests_per_second or 1
    command = "bench/run.py " + " ".join(sys.argv[1:])
    workers = len(next(iter(memory.values()), []))
    chosen = "" if args.workers else ", sinmun serve's default"
    print(
        f"\n`{command}` — {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, "
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s, "
        f"{workers} gunicorn workers per app server ({args.worker_class}{chosen}), "
        f"{'PostgreSQL + Redis' if args.production else 'SQLite'}\n"
    )
    print("| scenario | req/s | % of static | p50 ms | p99 ms | errors | note |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for r in results:
        share = 100 * r.requests_per_second / ceiling
        print(
            f"| {r.name} | {r.requests_per_second:,.0f} | {share:.0f} % | {r.p50_ms:.2f} | "
            f"{r.p99_ms:.2f} | {r.errors} | {r.note} |"
        )
    print("\n| page (uncached) | status | SQL queries |")
    print("|---|---:|---:|")
    for path, (status, count) in query_counts.items():
        print(f"| `{path}` | {status} | {count} |")
    print("\n| gunicorn workers | RSS each (MB) | PSS each (MB) | private each (MB) |")
    print("|---|---|---|---|")
    for name, sizes in memory.items():
        rss, pss, private = (", ".join(f"{s[i]:.0f}" for s in sizes) for i in range(3))
        print(f"| {name} | {rss} | {pss} | {private} |")


if __name__ == "__main__":
    sys.exit(main())
