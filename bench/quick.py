#!/usr/bin/env python3
"""One scenario, several server variants, wrk each: for comparing settings quickly.

    .venv/bin/python bench/quick.py --path /article/{pk}/ --variant sync:SINMUN_WORKER_CLASS=sync \
        --variant gthread:SINMUN_WORKER_CLASS=gthread,SINMUN_THREADS=4 [--page-cache]

Each variant is a fresh ``sinmun serve`` on the same data folder (the demo paper, made
on first use); the figures are as noisy as the machine, so variants run back to back,
twice, alternating (A B A B).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.servers import LiveSinmun, http_get  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--path", default="/article/{pk}/")
    parser.add_argument("--variant", action="append", required=True, help="name:K=V,K=V")
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--data", default=str(Path(tempfile.gettempdir()) / "sinmun-quick"))
    parser.add_argument("--script", help="a wrk Lua script")
    args = parser.parse_args(argv)
    base_env = {"SINMUN_BEHIND_PROXY": "true", "SINMUN_SECRET_KEY": "quick-" + "x" * 50}
    variants = []
    for spec in args.variant:
        name, _, pairs = spec.partition(":")
        env = dict(p.split("=", 1) for p in pairs.split(",") if p)
        variants.append((name, {**base_env, **env}))
    rows = []
    for round_ in range(args.rounds):
        for name, env in variants:
            app = LiveSinmun(data_dir=Path(args.data), workers=args.workers, env=env)
            app.start()
            try:
                home = http_get(app.url + "/")[2]
                pk = re.search(r'href="/article/(\d+)/"', home).group(1)
                url = app.url + args.path.format(pk=pk)
                for _ in range(3):
                    http_get(url)
                command = [
                    "wrk",
                    "-t2",
                    f"-c{args.connections}",
                    f"-d{args.duration}s",
                    "--latency",
                ]
                if args.script:
                    command += ["-s", args.script]
                out = subprocess.run([*command, url], capture_output=True, text=True).stdout
                rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
                p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
                errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
                rows.append(
                    (
                        round_,
                        name,
                        float(rps.group(1)) if rps else 0,
                        p99.group(1) if p99 else "?",
                        errors.group(1) if errors else "0",
                    )
                )
                print(rows[-1], file=sys.stderr)
            finally:
                app.stop()
    print(f"\n`bench/quick.py {' '.join(sys.argv[1:])}`\n")
    print("| round | variant | req/s | p99 | non-2xx |\n|---|---|---:|---:|---:|")
    for r in rows:
        print(f"| {r[0] + 1} | {r[1]} | {r[2]:,.0f} | {r[3]} | {r[4]} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
