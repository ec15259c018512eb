"""The minute jobs: what the scheduler runs every minute (sinmun/ops/scheduler.py) and
``sinmun run_scheduled_jobs`` runs once from a systemd timer."""

from __future__ import annotations

import logging
from datetime import datetime

from django.core.management import call_command

from sinmun.newsroom.services import ScheduledRunReport, article_publish_due
from sinmun.readers.services import flush_view_counts

logger = logging.getLogger(__name__)


def run_scheduled_jobs(*, now: datetime | None = None) -> ScheduledRunReport:
    """Publish due articles, then Wagtail's own scheduled publishing (pages, expiries),
    then move counted views into the database; one failing job does not stop the next."""
    report = article_publish_due(now=now)
    try:
        call_command("publish_scheduled", verbosity=0)
    except Exception as error:  # noqa: BLE001 - the other jobs still run
        logger.exception("publish_scheduled failed")
        report.errors.append(f"publish_scheduled: {error}")
    try:
        flush_view_counts()
    except Exception as error:  # noqa: BLE001 - reported, retried next minute
        logger.exception("flush_view_counts failed")
        report.errors.append(f"flush_view_counts: {error}")
    return report
