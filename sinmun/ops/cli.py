"""The ``sinmun`` command.

``sinmun serve`` migrates, loads the demo paper on an empty site and serves with gunicorn;
``sinmun import PATH`` and ``sinmun demo`` load articles; every other word is passed to
Django's management commands (``sinmun createsuperuser``, ``sinmun migrate``, …).
"""

import argparse
import os
import sys

ALIASES = {"import": "import_articles", "export": "export_articles"}
# Commands a newcomer runs on a fresh data folder before ever serving: they bring the
# database up to date first, as serve does, instead of failing on "no such table".
PREPARES_DATABASE = {"import_articles", "demo"}
HELP = {"-h", "--help"}


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinmun.settings.base")
    import django

    django.setup()


def prepare_database() -> None:
    """Apply every migration (about half a second when there is none to apply).

    The first run on a new data folder creates every table, which takes a few seconds:
    say so, rather than leave the terminal silent."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.utils.translation import gettext as _

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        print(_("데이터베이스를 준비하는 중입니다…"), file=sys.stderr, flush=True)  # noqa: T201
    call_command("migrate", interactive=False, verbosity=0)


def prepare_site(*, load_demo: bool = True) -> None:
    """Bring the database up to date, collect static files, and load the demo on an
    empty site."""
    from django.core.management import call_command

    prepare_database()
    call_command("collectstatic", interactive=False, verbosity=0)
    if load_demo:
        from sinmun.transfer.demo import load_demo as load
        from sinmun.transfer.demo import site_is_empty

        if site_is_empty():
            report = load()
            print(f"데모 신문을 불러왔습니다: 기사 {report.created}건")  # noqa: T201


# Binding these means "every address of this machine": none of them is one to link to.
WILDCARD_HOSTS = {"", "0.0.0.0", "::"}  # noqa: S104 # nosec B104 - compared, never bound here


def served_base_url(host: str, port: int) -> str:
    """Return the address ``serve`` is reached at, for links when none is configured.

    Links never follow the request's Host: the page cache keeps one copy of a page for
    every Host, and e-mails, scheduled publishing and purges have no request at all, so
    one address must serve them all. A wildcard bind has no address of its own; the
    machine's loopback stands in (serve then asks for SINMUN_BASE_URL)."""
    host = host.strip("[]")
    if host in WILDCARD_HOSTS:
        host = "::1" if ":" in host else "127.0.0.1"
    netloc = f"[{host}]" if ":" in host else host
    return f"http://{netloc}" + ("" if port == 80 else f":{port}")


def export_base_url(host: str, port: int) -> bool:
    """Set ``SINMUN_BASE_URL`` to the served address unless it is set; return whether it
    was. Done before Django's settings load, and inherited by the scheduler's process."""
    if os.environ.get("SINMUN_BASE_URL", "").strip():
        return False
    os.environ["SINMUN_BASE_URL"] = served_base_url(host, port)
    return True


def serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="sinmun serve", description="sinmun을 실행합니다.")
    parser.add_argument("--host", default=os.environ.get("SINMUN_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("SINMUN_PORT", "8000")))
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("SINMUN_WORKERS", "0")),
        help="gunicorn 작업 프로세스 수 (기본: SQLite면 1, 아니면 CPU×2+1)",
    )
    parser.add_argument("--no-demo", action="store_true", help="빈 사이트에 데모를 싣지 않음")
    args = parser.parse_args(argv)

    guessed = export_base_url(args.host, args.port)
    _setup()
    from django.conf import settings
    from django.utils.translation import gettext as _

    prepare_site(load_demo=not args.no_demo)
    workers = args.workers
    if workers <= 0:
        sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
        workers = 2 if sqlite else (os.cpu_count() or 1) * 2 + 1
    from django.db import connections

    from sinmun.ops.server import run_gunicorn

    # Workers are forked from this process: none may inherit its database connection.
    connections.close_all()

    host = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{host}:{args.port}/"
    print(f"sinmun: {url}  (관리: {url}admin/)", flush=True)  # noqa: T201
    if guessed and args.host.strip("[]") in WILDCARD_HOSTS:
        message = _(
            "모든 주소에서 받습니다. 기사 링크(RSS, 사이트맵, 메일)는 %(base)s 로 만듭니다. "
            "독자가 쓰는 주소는 SINMUN_BASE_URL로 알려 주세요."
        )
        print(message % {"base": settings.SINMUN_BASE_URL}, flush=True)  # noqa: T201
    run_gunicorn(bind=f"{host}:{args.port}", workers=workers)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "serve":
        return serve(argv[1:])
    if argv and argv[0] in ALIASES:
        argv[0] = ALIASES[argv[0]]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinmun.settings.base")
    if argv and argv[0] in PREPARES_DATABASE and not HELP.intersection(argv[1:]):
        _setup()
        prepare_database()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sinmun", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
