"""The page purge subscribes to the one announcement of a change (sinmun/core/changes.py)."""

from sinmun.core.changes import content_changed

from .purge import purge_on_change


def register_signal_handlers():
    content_changed.connect(purge_on_change, dispatch_uid="delivery_purge_on_change")
