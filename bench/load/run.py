#!/usr/bin/env python3
"""Load and soak runs through nginx (issue 7, part 6). Everything on 127.0.0.1.

    .venv/bin/python bench/load/run.py readers --duration 60      # (a) 100 readers, 0 errors
    .venv/bin/python bench/load/run.py mixed --duration 60        # (b) mixed, no 5xx
    .venv/bin/python bench/load/run.py publish --duration 60      # (c) edits seen within 2 s
    .venv/bin/python bench/load/run.py soak --duration 1200       # (d) 20 min, RSS every 30 s
    .venv/bin/python bench/load/run.py all --duration 60 --soak-duration 1200
    .venv/bin/python bench/load/run.py readers --production       # PostgreSQL + Redis db 13

Starts ``sinmun serve`` (gunicorn) on a fresh copy of the demo paper, nginx with
deploy/nginx's configuration in front (as bench/run.py and tests/production do), and an
aiosmtpd server on loopback for the e-mail form. The load generator is wrk (Debian
package ``wrk``) with Lua scripts for the readers and the anonymous part of the mixed load;
the parts that need a CSRF token and a form (likes, e-mails) and the publisher are Python
threads, since wrk's Lua cannot carry a cookie from one answer to the next request. wrk
over locust: it is already a dependency of bench/, it needs one core less to drive the
same load on this 2-core machine, and its figures are comparable with docs/performance.md.

Each scenario prints one Markdown line with its verdict; the exit status is non-zero if
any check failed.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import requests

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.support.servers import (  # noqa: E402
    SINMUN,
    LiveNginx,
    LiveSinmun,
    free_port,
    fresh_postgres,
    fresh_redis,
    http_get,
)

# Rotates through the paths given in PATHS; every request is a different phone reader.
# Counts answers by class so the caller can tell a 429 from a 5xx.
LUA = r"""
local paths = {%(paths)s}
local beacons = {%(beacons)s}
local counter = 0
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end
function init(args)
  id = wrk.thread:get("id")
  s5 = 0
  s4 = 0
end
function request()
  counter = counter + 1
  local headers = {}
  headers["User-Agent"] = "Mozilla/5.0 (Linux; Android 14) Mobile sinmun-load/" .. id .. "-" .. counter
  if #beacons > 0 and counter %% 5 == 0 then
    return wrk.format("POST", beacons[(counter %% #beacons) + 1], headers, "")
  end
  return wrk.format("GET", paths[(counter %% #paths) + 1], headers)
end
function response(status, headers, body)
  if status >= 500 then s5 = s5 + 1 elseif status >= 400 then s4 = s4 + 1 end
end
function done(summary, latency, requests)
  local t5, t4 = 0, 0
  for _, thread in ipairs(threads) do
    t5 = t5 + thread:get("s5")
    t4 = t4 + thread:get("s4")
  end
  io.write(string.format("STATUS5XX %%d STATUS4XX %%d\n", t5, t4))
end
"""


def rss_kb(pids: list[int]) -> dict[int, int]:
    sizes = {}
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        if match := re.search(r"^VmRSS:\s+(\d+) kB", status, re.M):
            sizes[pid] = int(match.group(1))
    return sizes


class Stack:
    def __init__(self, args):
        self.args = args
        self.work = Path(tempfile.mkdtemp(prefix="sinmun-load-"))
        data = self.work / "data"
        env = {
            "SINMUN_BEHIND_PROXY": "true",
            "SINMUN_SECRET_KEY": "load-" + "x" * 50,
            "SINMUN_SCHEDULER": "off",
            # All the load comes from 127.0.0.1: lift the per-address view caps so the
            # beacons do a reader's work (count), not a capped one's.
            "SINMUN_VIEWS_PER_ADDRESS": "1000000000",
            "SINMUN_VIEWS_PER_ADDRESS_HOUR": "1000000000",
        }
        if args.production:
            env["DATABASE_URL"] = fresh_postgres(args.database_name)
            env["REDIS_URL"] = fresh_redis(args.redis_db)
        self.smtp_port = free_port()
        env["EMAIL_URL"] = f"smtp://127.0.0.1:{self.smtp_port}"
        port = free_port()
        self.nginx = LiveNginx(
            workdir=self.work / "nginx",
            upstreams=[f"127.0.0.1:{port}"],
            static_root=data / "static",
            media_root=data / "media",
        )
        env["SINMUN_NGINX_PURGE_URL"] = self.nginx.purge_url
        self.app = LiveSinmun(data_dir=data, port=port, workers=args.workers, env=env)
        self.mails = 0

    def start(self):
        from aiosmtpd.controller import Controller

        stack = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                stack.mails += 1
                return "250 OK"

        self.smtp = Controller(Handler(), hostname="127.0.0.1", port=self.smtp_port)
        self.smtp.start()
        self.app.start()
        self.nginx.start()
        home = http_get(self.app.url + "/")[2]
        self.ids = []
        for number in re.findall(r'href="/article/(\d+)/"', home):
            if int(number) not in self.ids:
                self.ids.append(int(number))
        self.sections = sorted(set(re.findall(r'href="(/section/[^/"]+/)"', home)))
        return self

    def stop(self):
        self.nginx.stop()
        self.app.stop()
        self.smtp.stop()
        if not self.args.keep:
            shutil.rmtree(self.work, ignore_errors=True)

    def reader_paths(self) -> list[str]:
        paths = ["/", "/m/", "/ranking/"]
        paths += [f"/article/{pk}/" for pk in self.ids[:12]]
        paths += [f"/m/article/{pk}/" for pk in self.ids[:6]]
        paths += self.sections[:4]
        return paths

    def wrk(self, name: str, paths, beacons, *, connections: int, duration: int) -> dict:
        script = self.work / f"{name}.lua"
        as_lua = lambda items: ", ".join(json.dumps(p) for p in items)  # noqa: E731
        script.write_text(LUA % {"paths": as_lua(paths), "beacons": as_lua(beacons)})
        command = [
            "wrk",
            f"-t{min(2, connections)}",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "--timeout",
            "10s",
            "-s",
            str(script),
            self.nginx.url,
        ]
        output = subprocess.run(command, capture_output=True, text=True, check=False).stdout
        result = {"requests": 0, "errors": 0, "5xx": 0, "4xx": 0, "rps": 0.0, "p99": "?"}
        if match := re.search(r"(\d+) requests in", output):
            result["requests"] = int(match.group(1))
        if match := re.search(r"Requests/sec:\s+([\d.]+)", output):
            result["rps"] = float(match.group(1))
        if match := re.search(r"^\s+99%\s+(\S+)", output, re.M):
            result["p99"] = match.group(1)
        if match := re.search(
            r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
        ):
            result["errors"] += sum(int(g) for g in match.groups())
            result["socket"] = match.group(0)
        if match := re.search(r"STATUS5XX (\d+) STATUS4XX (\d+)", output):
            result["5xx"], result["4xx"] = int(match.group(1)), int(match.group(2))
        result["raw"] = output
        return result


def scenario_readers(stack: Stack, args) -> tuple[bool, str]:
    r = stack.wrk("readers", stack.reader_paths(), [], connections=100, duration=args.duration)
    ok = r["requests"] > 0 and r["errors"] == 0 and r["5xx"] == 0 and r["4xx"] == 0
    return ok, (
        f"| (a) 100 readers, {args.duration} s, nginx | {r['requests']} requests, "
        f"{r['rps']:.0f}/s, p99 {r['p99']} | errors {r['errors']} socket, "
        f"{r['4xx']} 4xx, {r['5xx']} 5xx |"
    )


class FormUser(threading.Thread):
    """Likes and e-mails through nginx with a real session and CSRF token, and searches."""

    def __init__(self, stack: Stack, number: int, stop: threading.Event):
        super().__init__(daemon=True)
        self.stack, self.number, self.stop = stack, number, stop
        self.statuses: dict[int, int] = {}
        self.failures = 0

    def count(self, status: int):
        self.statuses[status] = self.statuses.get(status, 0) + 1

    def run(self):
        base = self.stack.nginx.url
        n = 0
        while not self.stop.is_set():
            n += 1
            pk = self.stack.ids[(self.number + n) % len(self.stack.ids)]
            session = requests.Session()
            session.headers["User-Agent"] = f"Mozilla/5.0 sinmun-load-form/{self.number}-{n}"
            try:
                kind = n % 3
                if kind == 0:
                    url = f"{base}/reader/article/{pk}/like/"
                    state = session.get(f"{base}/reader/article/{pk}/state/", timeout=15)
                    self.count(state.status_code)
                    token = state.json()["csrfToken"]
                    response = session.post(
                        url,
                        headers={
                            "X-CSRFToken": token,
                            "Accept": "application/json",
                            "Referer": url,
                        },
                        data={"csrfmiddlewaretoken": token},
                        timeout=15,
                    )
                elif kind == 1:
                    url = f"{base}/reader/article/{pk}/email/"
                    page = session.get(url, timeout=15)
                    self.count(page.status_code)
                    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
                    nonce = re.search(r'name="nonce" value="([^"]+)"', page.text)[1]
                    response = session.post(
                        url,
                        data={
                            "csrfmiddlewaretoken": token,
                            "nonce": nonce,
                            "sender_name": "부하시험",
                            "sender_email": "load@example.org",
                            "recipient": f"friend{n}@example.net",
                            "message": "읽어 보세요",
                        },
                        headers={"Referer": url},
                        timeout=15,
                    )
                else:
                    word = ["시장", "구청", "학교", "버스 노선", "돌봄", uuid.uuid4().hex[:6]][
                        n % 6
                    ]
                    response = session.get(f"{base}/search?q={quote(word)}", timeout=15)
                self.count(response.status_code)
            except (requests.RequestException, TypeError, KeyError, ValueError):
                self.failures += 1


def scenario_mixed(stack: Stack, args) -> tuple[bool, str]:
    paths = stack.reader_paths() + ["/rss/", "/sitemap-news.xml", "/sitemap.xml"]
    paths += [f"/rss/section/{s.split('/')[2]}/" for s in stack.sections[:2]]
    beacons = [f"/reader/article/{pk}/view/" for pk in stack.ids[:12]]
    stop = threading.Event()
    users = [FormUser(stack, i, stop) for i in range(6)]
    for user in users:
        user.start()
    r = stack.wrk("mixed", paths, beacons, connections=50, duration=args.duration)
    stop.set()
    for user in users:
        user.join(timeout=30)
    forms: dict[int, int] = {}
    for user in users:
        for status, count in user.statuses.items():
            forms[status] = forms.get(status, 0) + count
    failures = sum(u.failures for u in users)
    form_5xx = sum(c for s, c in forms.items() if s >= 500)
    # The bar is no 5xx. A wrk socket timeout (no answer within 10 s: a request queued
    # behind SQLite's single writer on a busy 2-core machine) is reported, not hidden.
    ok = r["requests"] > 0 and r["5xx"] == 0 and form_5xx == 0 and failures == 0
    return ok, (
        f"| (b) mixed, {args.duration} s: 50 wrk connections (pages, lists, feeds, sitemaps, "
        f"beacons) + 6 form users (likes, e-mails, search) | wrk {r['requests']} requests, "
        f"{r['5xx']} 5xx, {r['4xx']} 4xx, {r.get('socket', 'no socket errors')}; forms {dict(sorted(forms.items()))}, "
        f"{failures} failed; {stack.mails} mails delivered to aiosmtpd |"
    )


PUBLISH = r"""
import sys, time
from sinmun.articles.models import Article
print("ready", flush=True)
for line in sys.stdin:
    pk, title = line.rstrip("\n").split(" ", 1)
    article = Article.objects.get(pk=int(pk))
    article.title = title
    article.save_revision(log_action=False).publish()
    print("published", time.time(), flush=True)
"""


def scenario_publish(stack: Stack, args) -> tuple[bool, str]:
    """Readers load the site through nginx while an editor publishes edits (the app's own
    publish, in another process, as the admin or the scheduler would); each edit is polled
    on the public URL through nginx from the moment the commit returns."""
    delays: list[float] = []
    result: dict = {}
    publisher = subprocess.Popen(
        [*SINMUN, "shell", "-c", PUBLISH],
        env=stack.app.env,
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    while not publisher.stdout.readline().startswith("ready"):
        pass
    # one edit before the load: the first publish loads the Korean analyser (search index)
    publisher.stdin.write(f"{stack.ids[0]} 예열 {uuid.uuid4().hex[:6]}\n")
    publisher.stdin.flush()
    while not publisher.stdout.readline().startswith("published"):
        pass
    loader = threading.Thread(
        target=lambda: result.update(
            stack.wrk("publish", stack.reader_paths(), [], connections=50, duration=args.duration)
        ),
        daemon=True,
    )
    loader.start()
    time.sleep(2)
    n = 0
    deadline = time.monotonic() + args.duration - 5
    while time.monotonic() < deadline:
        n += 1
        pk = stack.ids[n % 6]
        title = f"고쳐 쓴 제목 {n} {uuid.uuid4().hex[:6]}"
        publisher.stdin.write(f"{pk} {title}\n")
        publisher.stdin.flush()
        line = publisher.stdout.readline()
        while line and not line.startswith("published"):
            line = publisher.stdout.readline()
        committed = float(line.split()[1])
        seen = None
        while time.time() - committed < 10:
            body = requests.get(f"{stack.nginx.url}/article/{pk}/", timeout=10).text
            if title in body:
                seen = time.time() - committed
                break
            time.sleep(0.02)
        delays.append(seen if seen is not None else float("inf"))
        print(f"  edit {n}: commit→visible {delays[-1]:.2f} s", file=sys.stderr)
        time.sleep(1)
    publisher.stdin.close()
    publisher.wait(timeout=30)
    loader.join(timeout=args.duration + 30)
    worst = max(delays) if delays else float("inf")
    ok = bool(delays) and worst <= 2.0 and result.get("5xx", 1) == 0
    return ok, (
        f"| (c) {len(delays)} edits published under 50-connection load, {args.duration} s | "
        f"visible through nginx after median {sorted(delays)[len(delays) // 2]:.2f} s, "
        f"worst {worst:.2f} s (limit 2 s); readers {result.get('requests', 0)} requests, "
        f"{result.get('5xx', '?')} 5xx |"
    )


def scenario_soak(stack: Stack, args) -> tuple[bool, str]:
    """Steady mixed reading for the soak duration; RSS of every gunicorn worker every
    ``--sample`` seconds. Growth is measured per worker from the sample after warm-up to
    the last; gunicorn recycles a worker after 10,000±1,000 requests (max_requests in
    sinmun/ops/server.py), and a recycled worker starts a new series."""
    paths = stack.reader_paths() + ["/rss/"]
    beacons = [f"/reader/article/{pk}/view/" for pk in stack.ids[:12]]
    series: dict[int, list[int]] = {}
    stop = threading.Event()
    result: dict = {}

    def load():
        result.update(
            stack.wrk("soak", paths, beacons, connections=20, duration=args.soak_duration)
        )
        stop.set()

    thread = threading.Thread(target=load, daemon=True)
    thread.start()
    samples = 0
    while not stop.wait(args.sample):
        samples += 1
        for pid, kb in rss_kb(stack.app.worker_pids()).items():
            series.setdefault(pid, []).append(kb)
        print(
            f"  soak sample {samples}: {json.dumps(rss_kb(stack.app.worker_pids()))}",
            file=sys.stderr,
        )
    thread.join()
    growths = []
    for values in series.values():
        if len(values) >= 3:
            base = values[1]  # the first sample is warm-up
            growths.append(100.0 * (values[-1] - base) / base)
    worst = max(growths) if growths else float("nan")
    ok = bool(growths) and worst <= 15.0 and result.get("5xx", 1) == 0
    lines = "; ".join(
        f"pid {pid}: {values[0] // 1024}→{values[-1] // 1024} MB ({len(values)} samples)"
        for pid, values in series.items()
    )
    return ok, (
        f"| (d) soak {args.soak_duration} s, 20 connections, RSS every {args.sample} s | "
        f"{result.get('requests', 0)} requests, {result.get('5xx', '?')} 5xx; worst worker growth "
        f"{worst:.1f} % (limit 15 %) | {lines} |"
    )


SCENARIOS = {
    "readers": scenario_readers,
    "mixed": scenario_mixed,
    "publish": scenario_publish,
    "soak": scenario_soak,
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scenario", choices=[*SCENARIOS, "all"])
    parser.add_argument("--duration", type=int, default=60, help="seconds for (a), (b), (c)")
    parser.add_argument("--soak-duration", type=int, default=1200, help="seconds for (d)")
    parser.add_argument("--sample", type=int, default=30, help="RSS sampling interval (d)")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--production", action="store_true", help="PostgreSQL and Redis")
    parser.add_argument("--database-name", default="sinmun_faults_load")
    parser.add_argument("--redis-db", type=int, default=13)
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    if args.scenario == "soak":
        args.soak_duration = args.soak_duration or args.duration
    names = list(SCENARIOS) if args.scenario == "all" else [args.scenario]
    stack = Stack(args)
    failed = False
    try:
        print(f"starting in {stack.work} …", file=sys.stderr)
        stack.start()
        print("| scenario | result | checks |\n|---|---|---|")
        for name in names:
            ok, line = SCENARIOS[name](stack, args)
            print(line + (" **ok**" if ok else " **FAILED**"), flush=True)
            failed = failed or not ok
    finally:
        stack.stop()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
