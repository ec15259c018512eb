import signal
import threading

from django.core.management.base import BaseCommand

from sinmun.ops.jobs import run_scheduled_jobs
from sinmun.ops.scheduler import INTERVAL_SECONDS, run_forever


class Command(BaseCommand):
    help = "예약 발행 기사를 발행하고 조회수를 옮깁니다 (매분 실행)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="멈출 때까지 매분 되풀이")
        parser.add_argument("--interval", type=float, default=INTERVAL_SECONDS)

    def handle(self, *args, loop=False, interval=INTERVAL_SECONDS, **options):
        if loop:
            stop = threading.Event()
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: stop.set())
            run_forever(interval=interval, stop=stop)
            return
        report = run_scheduled_jobs()
        self.stdout.write(
            f"published={len(report.published)} late={len(report.late)} errors={len(report.errors)}"
        )
        for error in report.errors:
            self.stderr.write(error)
