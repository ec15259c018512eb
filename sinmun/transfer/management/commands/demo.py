from django.core.management.base import BaseCommand, CommandError

from sinmun.transfer.demo import load_demo


class Command(BaseCommand):
    help = "데모 신문(가상의 지역 신문)을 불러옵니다. 두 번 실행해도 바뀌는 것이 없습니다."

    def handle(self, *args, **options):
        report = load_demo()
        if report.errors:
            raise CommandError(f"데모 신문을 불러오지 못했습니다: {report.errors}")
        self.stdout.write(
            f"데모 신문: 새 기사 {report.created}건, 이미 있는 기사 {report.existing}건"
        )
