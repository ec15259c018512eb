from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sinmun.articles.models import Article
from sinmun.transfer.export import EXPORT_FILE, export_site
from sinmun.transfer.progress import Progress


class Command(BaseCommand):
    help = (
        "신문 전체(기사·초안·사진·섹션·기자·정정·예전 주소·신문 정보)를 OUTDIR에 "
        "JSON Lines와 사진 파일로 내보냅니다 (sinmun export OUTDIR). "
        "sinmun import OUTDIR로 그대로 다시 가져올 수 있습니다."
    )

    def add_arguments(self, parser):
        parser.add_argument("outdir", help="내보낼 폴더 (없으면 만듦)")

    def handle(self, *args, outdir, **options):
        target = Path(outdir)
        if target.exists() and not target.is_dir():
            raise CommandError(f"폴더가 아닙니다: {target}")
        progress = Progress(Article.objects.count(), stream=self.stderr._out, label="내보내는 중")
        try:
            report = export_site(target, progress=progress)
        except OSError as exc:
            raise CommandError(f"내보내지 못했습니다: {exc}") from None
        progress.finish()
        for message in report.warnings:
            self.stderr.write(f"주의: {message}")
        self.stdout.write(
            f"{target / EXPORT_FILE}: 기사 {report.articles}건, 사진 {report.images}건, "
            f"섹션 {report.sections}개, 기자 {report.reporters}명"
        )
