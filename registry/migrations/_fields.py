"""Field classes that only the migrations 0005 and 0006 name: the PostgreSQL search document and
its ranking vector, which ``0008_search_changes`` removed when search moved to Tantivy."""

from typing import Any

from django.db import models


class SearchDocumentField(models.TextField):
    """A ``tsvector`` on PostgreSQL, text elsewhere."""

    def db_type(self, connection: Any) -> str:
        return "tsvector" if connection.vendor == "postgresql" else "text"


class RankDocument(models.Func):
    """The A and B lexemes of a search document; empty on SQLite."""

    function = "ts_filter"
    template = "%(function)s(%(expressions)s, '{a,b}')"
    output_field = SearchDocumentField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return "''", []
