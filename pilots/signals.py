"""Signals the pilots app sends, for whoever keeps something derived from its rows."""

from django.dispatch import Signal

# Sent after writes that send no model signals (``bulk_create``: the demo's seeding). The progress
# stats listen (``progress.invalidation.connect_invalidation``); pilots need not know who does.
bulk_written = Signal()
