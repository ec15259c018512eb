#!/usr/bin/env python3
"""Render deploy/nginx/sinmun.conf.in for a server, or a whole standalone nginx.conf.

Production (Debian's nginx; include the result from the http {} block):

    python3 deploy/nginx/render.py --server-name news.example.kr \
        --static-root /srv/sinmun/data/static --media-root /srv/sinmun/data/media \
        --public-scheme https > /etc/nginx/sites-available/sinmun

Tests and benchmarks (tests/production, bench/run.py) call ``standalone()``: a complete
nginx.conf with the pid file, logs and temp folders in one work folder, run as the
current user on loopback ports.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "sinmun.conf.in"
MODULES = Path("/usr/lib/nginx/modules")
BROTLI_MODULES = ("ngx_http_brotli_filter_module.so", "ngx_http_brotli_static_module.so")
BROTLI = """    brotli on;
    brotli_comp_level 5;
    brotli_types text/css text/plain text/xml application/javascript application/json
                 application/xml application/rss+xml application/atom+xml image/svg+xml;"""

# Security headers for /static/ and /media/, which nginx serves without the app
# (sinmun/security/headers.py sets them on everything the app answers).
FILE_HEADERS = """        add_header X-Content-Type-Options "nosniff" always;
        add_header Content-Security-Policy "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'" always;
        add_header X-Frame-Options "DENY" always;
        add_header Referrer-Policy "strict-origin-when-cross-origin" always;"""

# The view beacon answered by nginx: 204 at once, one line in the view log (buffered,
# written at least every second). Only POST counts, as in the app.
VIEW_BEACON = r"""    location ~ ^/reader/article/[0-9]+/view/$ {
        if ($request_method != POST) { return 405; }
        access_log @VIEW_LOG@ sinmun_views buffer=256k flush=1s;
        add_header Cache-Control "no-cache, no-store, must-revalidate, private" always;
        return 204;
    }"""


def brotli_available() -> bool:
    return all((MODULES / name).exists() for name in BROTLI_MODULES)


@dataclass
class Site:
    static_root: str
    media_root: str
    upstreams: list[str] = field(default_factory=lambda: ["127.0.0.1:8000"])
    listen: str = "80"
    purge_listen: str = "127.0.0.1:8081"
    server_name: str = "_"
    public_scheme: str = "http"
    session_cookie: str = "sessionid"
    cache_dir: str = "/var/cache/nginx/sinmun"
    brotli: bool = False
    # nginx answers the view beacon and logs it here; the app counts the log
    # (SINMUN_VIEW_LOG, the same path). Empty: the beacon goes to the app.
    view_log: str = ""


def render(site: Site) -> str:
    values = {
        "CACHE_DIR": site.cache_dir,
        "UPSTREAM_SERVERS": "\n".join(f"    server {u} max_fails=0;" for u in site.upstreams),
        "SESSION_COOKIE": site.session_cookie,
        "LISTEN": site.listen,
        "PURGE_LISTEN": site.purge_listen,
        "SERVER_NAME": site.server_name,
        "STATIC_ROOT": site.static_root.rstrip("/"),
        "MEDIA_ROOT": site.media_root.rstrip("/"),
        "PUBLIC_SCHEME": site.public_scheme,
        "FILE_HEADERS": FILE_HEADERS,
        "BROTLI": BROTLI
        if site.brotli
        else "    # brotli: install libnginx-mod-http-brotli-filter",
        "VIEW_BEACON": VIEW_BEACON.replace("@VIEW_LOG@", site.view_log)
        if site.view_log
        else "    # view beacon: to the app (render.py --view-log PATH lets nginx answer it)",
    }
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    leftover = re.findall(r"@[A-Z_]+@", text)
    if leftover:
        raise ValueError(f"unfilled template values: {leftover}")
    return text


def standalone(site: Site, workdir: Path, *, extra_http: str = "", workers: int = 1) -> Path:
    """Write a complete nginx.conf for ``site`` into ``workdir`` and return its path.

    Start it with ``nginx -p WORKDIR -c WORKDIR/nginx.conf``.
    """
    workdir = Path(workdir)
    for sub in ("temp", "cache", "logs"):
        (workdir / sub).mkdir(parents=True, exist_ok=True)
    site.cache_dir = str(workdir / "cache")
    modules = ""
    if site.brotli:
        modules = "\n".join(f"load_module {MODULES / m};" for m in BROTLI_MODULES)
    user = "user root;" if os.geteuid() == 0 else ""
    conf = f"""{modules}
{user}
worker_processes {workers};
pid {workdir}/nginx.pid;
error_log {workdir}/logs/error.log warn;
daemon off;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    client_body_temp_path {workdir}/temp/body;
    proxy_temp_path {workdir}/temp/proxy;
    fastcgi_temp_path {workdir}/temp/fastcgi;
    uwsgi_temp_path {workdir}/temp/uwsgi;
    scgi_temp_path {workdir}/temp/scgi;
{render(site)}
{extra_http}
}}
"""
    path = workdir / "nginx.conf"
    path.write_text(conf)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server-name", default="_")
    parser.add_argument("--listen", default="80")
    parser.add_argument("--purge-listen", default="127.0.0.1:8081")
    parser.add_argument("--upstream", action="append", help="app address (repeat for several)")
    parser.add_argument("--static-root", required=True)
    parser.add_argument("--media-root", required=True)
    parser.add_argument("--public-scheme", default="https", choices=["http", "https"])
    parser.add_argument("--session-cookie", default="sessionid")
    parser.add_argument("--cache-dir", default="/var/cache/nginx/sinmun")
    parser.add_argument("--brotli", action="store_true", default=brotli_available())
    parser.add_argument(
        "--view-log",
        default="",
        help="nginx answers the view beacon and logs it to this file (set SINMUN_VIEW_LOG too)",
    )
    args = parser.parse_args(argv)
    site = Site(
        static_root=args.static_root,
        media_root=args.media_root,
        upstreams=args.upstream or ["127.0.0.1:8000"],
        listen=args.listen,
        purge_listen=args.purge_listen,
        server_name=args.server_name,
        public_scheme=args.public_scheme,
        session_cookie=args.session_cookie,
        cache_dir=args.cache_dir,
        brotli=args.brotli,
        view_log=args.view_log,
    )
    sys.stdout.write(render(site))
    return 0


if __name__ == "__main__":
    sys.exit(main())
