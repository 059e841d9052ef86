"""Liveness and readiness probes for load balancers and orchestrators."""

import logging

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.api.errors import problem_response

logger = logging.getLogger("registry.health")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is up and answering. Touches nothing else."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    """The database is reachable, every migration is applied and the search index is readable."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        logger.exception("Readiness check: database unreachable")
        return problem_response(request, 503, _("The database is unreachable."))
    if pending:
        return problem_response(
            request,
            503,
            _("%(count)d database migration(s) are not applied.") % {"count": len(pending)},
        )
    from registry.search.index import get_index

    index = get_index()
    reason = None if index.in_memory else index.health()
    if reason is not None:
        return problem_response(
            request, 503, _("The search index is not ready (%(reason)s).") % {"reason": reason}
        )
    return JsonResponse({"status": "ready", "database": connection.vendor, "search": "ready"})
