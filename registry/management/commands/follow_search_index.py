"""``manage.py follow_search_index``: keep this machine's search index current.

Follows the database's change log (``registry.search.changelog``): every change to what search
sees is in the index within a fraction of a second. Run exactly one per index directory, beside
the web processes that read it (``make run`` and ``docker-compose.yml`` do). Without an index it
builds one first; killed at any moment, it loses nothing and catches up when it starts again.
"""

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from registry.models import Resource
from registry.search.follower import Follower, rebuild
from registry.search.index import get_index
from registry.search.progress import progress_bar

logger = logging.getLogger("registry.search")


class Command(BaseCommand):
    help = "Keep the search index current with the database (one per index directory)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--interval", type=float, default=0.2, help="Seconds between looks at the log."
        )
        parser.add_argument("--rebuild", action="store_true", help="Rebuild the index first.")
        parser.add_argument("--once", action="store_true", help="Catch up once, then stop.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        index = get_index()
        if index.in_memory:
            raise CommandError("SEARCH_INDEX_DIR is empty: there is no index to follow.")
        try:
            if options["rebuild"] or index.health() is not None:
                total = Resource.objects.count()
                self.stderr.write(f"Building the search index in {index.path} …")
                with progress_bar(
                    total, disabled=options["no_progress"], file=self.stderr
                ) as advance:
                    rebuild(index, progress=advance)
            if options["verbosity"] >= 1:
                self.stderr.write(f"Following the change log into {index.path}.")
            Follower(interval=options["interval"], index=index).run(once=options["once"])
        except ValueError as error:  # Tantivy's "LockBusy": another follower writes here
            raise CommandError(f"Could not write the index at {index.path}: {error}") from error
