from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sinmun.backup.manifest import BackupError
from sinmun.backup.restoring import read_archive, restore_backup


class Command(BaseCommand):
    help = (
        "sinmun backup으로 만든 파일을 빈 사이트에 되살리고, 되살린 내용이 백업의 "
        "목록(manifest)과 똑같은지 확인합니다."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="백업 파일 (.tar.gz)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="비어 있지 않은 사이트에도 덮어씁니다 (지금 있는 내용은 사라집니다)",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="되살리지 않고 백업 파일이 온전한지만 확인합니다",
        )

    def handle(self, *args, archive, force=False, check=False, **options):
        path = Path(archive)
        try:
            if check:
                import tempfile

                with tempfile.TemporaryDirectory(prefix="sinmun-check-") as tmp:
                    manifest = read_archive(path, Path(tmp))
                self.stdout.write(
                    f"백업 파일이 온전합니다: 기사 {manifest['content']['articles']}건, "
                    f"미디어 파일 {len(manifest['media'])}개 ({manifest['created_at']})"
                )
                return
            report = restore_backup(path, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if not report.ok:
            raise CommandError(
                "되살렸지만 백업과 다른 곳이 있습니다: "
                f"표 {report.mismatched_tables[:10]}, 미디어 {report.mismatched_media[:10]}"
            )
        content = report.manifest["content"]
        self.stdout.write(
            f"되살렸습니다: 기사 {content['articles']}건, 수정본 {content['revisions']}개, "
            f"사진 {content['images']}장, 미디어 파일 {len(report.manifest['media'])}개. "
            f"표 {len(report.manifest['tables'])}개와 미디어가 백업과 똑같습니다.\n"
            "이 사이트의 sinmun이 백업한 것보다 새 버전이면 sinmun migrate를 실행하세요."
        )
