"""make wheel-check: build sinmun's wheel, install it apart from the source, serve a page.

An editable install (``make run``, the test suite) reads templates and static files from
the source tree, so a data file left out of ``[tool.setuptools.package-data]`` only shows
after ``pip install sinmun-….whl``: TemplateDoesNotExist, a 500 on the home page. This
script

1. builds the wheel from a clean copy of the checkout (tracked and new files, never a
   stale ``build/``), with ``pip wheel --no-deps``;
2. checks that every data file of the package is in it (``missing_data_files``);
3. installs it with ``pip install --no-deps --target`` into a temporary folder and runs
   the real ``sinmun demo`` and ``sinmun serve`` from there, with this virtualenv's
   Python and dependencies, from a folder outside the checkout (so the source copy is
   never imported; checked), and fetches reader pages and their stylesheets: each 200.

Usage: ``.venv/bin/python scripts/wheel_check.py`` (``--list-only`` stops after step 2).
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "sinmun"
# Files in the source tree that no installed sinmun reads: developer notes and tests.
NOT_SHIPPED = re.compile(r"(^|/)(README\.md|tests/.*|__pycache__/.*|.*\.pyc)$")
# /search?q=다리, percent-encoded as a browser sends it.
PAGES = [
    "/",
    "/m/",
    "/search?q=%EB%8B%A4%EB%A6%AC",
    "/sitemap.xml",
    "/rss/",
    "/robots.txt",
    "/admin/login/",
]


def data_files() -> list[str]:
    """Every non-Python file of the package an installed sinmun may read, as wheel paths."""
    found = []
    for path in sorted(PACKAGE.rglob("*")):
        relative = path.relative_to(REPO).as_posix()
        if path.is_file() and path.suffix != ".py" and not NOT_SHIPPED.search(relative):
            found.append(relative)
    return found


def build_wheel(dest: Path) -> Path:
    """Build the wheel from a clean copy of the checkout into ``dest``; return its path."""
    source = dest / "src"
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, listed):
        origin = REPO / os.fsdecode(name)
        if origin.is_file():  # a deleted file is still in the index until committed
            target = source / os.fsdecode(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, target)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dest), "."],
        cwd=source,
        check=True,
    )
    (wheel,) = dest.glob("sinmun-*.whl")
    return wheel


def missing_data_files(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    return [name for name in data_files() if name not in names]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def serve_installed(wheel: Path, work: Path) -> list[str]:
    """Install ``wheel`` into ``work`` and serve it; return the problems found."""
    target = work / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target)]
        + [str(wheel)],
        check=True,
    )
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SINMUN_", "DJANGO_")) and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        PYTHONPATH=str(target),
        SINMUN_DATA_DIR=str(work / "data"),
        SINMUN_SECRET_KEY="wheel-check-" + secrets.token_hex(16),
        SINMUN_SCHEDULER="off",
        SINMUN_KIWI_PRELOAD="0",
        SINMUN_ACCESS_LOG="",
    )
    (work / "data").mkdir()
    sinmun = [sys.executable, "-m", "sinmun.ops.cli"]
    where = subprocess.run(
        [sys.executable, "-c", "import sinmun; print(sinmun.__file__)"],
        env=env,
        cwd=work,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not Path(where).is_relative_to(target):
        return [f"the installed copy was not the one imported: {where}"]
    subprocess.run([*sinmun, "demo"], env=env, cwd=work, check=True, stdout=subprocess.DEVNULL)
    log = open(work / "serve.log", "wb")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [*sinmun, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        cwd=work,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    problems = []
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None or time.monotonic() > deadline:
                return ["sinmun serve did not start:\n" + (work / "serve.log").read_text()[-3000:]]
            try:
                _get(base + "/robots.txt")
                break
            except OSError:
                time.sleep(0.3)
        status, home = _get(base + "/")
        article = re.search(r'href="(/article/\d+/)"', home)
        pages = PAGES + ([article[1], article[1] + "print/"] if article else [])
        if not article:
            problems.append("the home page links no article")
        assets = set(re.findall(r'(?:href|src)="(/static/[^"]+)"', home))
        for path in pages + sorted(assets):
            status, body = _get(base + path)
            if status != 200:
                problems.append(f"{path}: HTTP {status} {body[:300]}")
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=20)
        log.close()
    if problems:
        problems.append("server log:\n" + (work / "serve.log").read_text()[-3000:])
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list-only", action="store_true", help="build and check the list")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sinmun-wheel-") as tmp:
        work = Path(tmp)
        wheel = build_wheel(work / "dist")
        missing = missing_data_files(wheel)
        if missing:
            print(f"{wheel.name} leaves out (pyproject.toml, package-data):", *missing, sep="\n  ")
            return 1
        print(f"{wheel.name}: all {len(data_files())} data files")
        if args.list_only:
            return 0
        problems = serve_installed(wheel, work)
        for problem in problems:
            print(problem)
        if problems:
            return 1
        print("installed wheel: sinmun serve answers every page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
