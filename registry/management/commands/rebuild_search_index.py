"""``manage.py rebuild_search_index``: rebuild every resource's search document.

Needed after a change to how text is tokenized (a new release of the segmenter, new domain words),
never for synonyms, which apply at query time. Safe to run on a live registry: each chunk is one
short transaction.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from tqdm import tqdm

from registry.models import Resource
from registry.search.documents import refresh_documents


class Command(BaseCommand):
    help = "Rebuild the search document of every resource (or of one platform's)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--platform", help="Only the resources of the platform with this slug.")
        parser.add_argument("--chunk-size", type=int, default=500)
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        resources = Resource.objects.all()
        if options["platform"]:
            resources = resources.filter(platform__slug=options["platform"])
        total = resources.count()
        with tqdm(
            total=total, unit="resource", disable=options["no_progress"], file=self.stderr
        ) as bar:
            chunks = refresh_documents(resources, chunk_size=options["chunk_size"])
            while True:
                with transaction.atomic():
                    done = next(chunks, None)
                if done is None:
                    break
                bar.update(done)
        self.stdout.write(f"Rebuilt the search documents of {total} resources.")
