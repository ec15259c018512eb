"""Memory of gunicorn workers after they have served searches, Kiwi preloaded or not.

Starts ``sinmun serve`` on 127.0.0.1 twice on the same data folder: first with
``SINMUN_KIWI_PRELOAD=0`` (each worker loads Kiwi on its first search: the old
behaviour), then as shipped (the master loads Kiwi single-threaded before forking, the
workers share it copy-on-write). Each time it sends searches until every worker has
answered several, then reads every worker's ``/proc/<pid>/smaps_rollup``: RSS (shared
pages counted in full), PSS (shared pages divided among the processes sharing them) and
private (Private_Clean + Private_Dirty: what the worker alone costs).

    .venv/bin/python bench/search/worker_memory.py --data /tmp/sinmun-archive --workers 4
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ["돌봄", "성동구는", "사회적 기업", "코로나19", "시내버스", "예산을", "SIB", "청년 창업"]


def rollup(pid: int) -> dict[str, int]:
    values = {}
    with open(f"/proc/{pid}/smaps_rollup") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) >= 2 and parts[0].endswith(":") and parts[1].isdigit():
                values[parts[0][:-1]] = int(parts[1])
    mb = 1024
    return {
        "rss": round(values["Rss"] / mb),
        "pss": round(values["Pss"] / mb),
        "private": round((values["Private_Clean"] + values["Private_Dirty"]) / mb),
    }


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def measure(data: str, port: int, workers: int, preload: bool, requests: int) -> dict:
    env = {
        **os.environ,
        "SINMUN_DATA_DIR": data,
        "DJANGO_SETTINGS_MODULE": "sinmun.settings.base",
        "SINMUN_SCHEDULER": "off",
        "SINMUN_KIWI_PRELOAD": "1" if preload else "0",
    }
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/sinmun"), "serve", "--no-demo", "--port", str(port)]
        + ["--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(base + "/robots.txt", timeout=5).read()  # noqa: S310 (http://127.0.0.1 only)
                break
            except OSError:
                time.sleep(1)
        else:
            raise SystemExit("server did not start")
        master = server.pid
        run_id = f"{int(preload)}{time.time_ns()}"
        before = {pid: rollup(pid) for pid in children(master)}
        started = time.perf_counter()
        for n in range(requests):
            q = urllib.parse.quote(QUERIES[n % len(QUERIES)])
            # A fresh parameter per request and per run: the page cache never answers.
            url = f"{base}/search?q={q}&bench={run_id}-{n}"
            urllib.request.urlopen(url, timeout=120).read()  # noqa: S310
        elapsed = time.perf_counter() - started
        after = {pid: rollup(pid) for pid in children(master)}
        return {
            "preload": preload,
            "master": rollup(master),
            "workers_before_search": list(before.values()),
            "workers_after_search": list(after.values()),
            "searches": requests,
            "seconds": round(elapsed, 1),
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True, help="a migrated SINMUN_DATA_DIR with articles")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8731)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args(argv)
    report = [
        measure(args.data, args.port, args.workers, preload, args.requests)
        for preload in (False, True)
    ]
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
