"""``manage.py rebuild_search_index``: write the search index anew from the database.

For a new machine, a missing or damaged index, or a change to how text is tokenized (a new
segmenter release, new domain words) — never for synonyms, which apply at query time. The old
index keeps answering until the new one is committed, in one commit. Only one process may write
an index: stop this directory's follower (``manage.py follow_search_index``) first, or start the
follower with ``--rebuild``.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from registry.models import Resource
from registry.search.follower import rebuild
from registry.search.index import get_index
from registry.search.progress import progress_bar


class Command(BaseCommand):
    help = "Write the search index anew from the database (stop its follower first)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        index = get_index()
        if index.in_memory:
            raise CommandError("SEARCH_INDEX_DIR is empty: the index lives in memory only.")
        total = Resource.objects.count()
        with progress_bar(total, disabled=options["no_progress"], file=self.stderr) as advance:
            try:
                written = rebuild(index, progress=advance)
            except ValueError as error:  # Tantivy's "LockBusy": another process writes
                raise CommandError(
                    f"Could not write the index at {index.path}: {error}. Is its follower "
                    "running? Stop it, or restart it with `follow_search_index --rebuild`."
                ) from error
        index.release_writer()
        self.stdout.write(f"Indexed {written} resources in {index.path}.")
