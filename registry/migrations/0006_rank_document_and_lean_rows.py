"""A small ranking vector in each resource row, and resource rows kept lean on PostgreSQL.

A search for a common word (算力 expands to GPU, compute … and finds a third of the catalogue)
visits every row it matches, so it reads fewer pages the fewer bytes a row keeps in the table
itself. Long text — descriptions, attributes, the whole search document — is therefore kept out
of line (``toast_tuple_target``), while ``rank_document``, the few hundred bytes ``ts_rank`` reads
for every match, stays in the row (storage MAIN: compressed or moved out only as a last resort).
``VACUUM FULL`` rewrites the existing rows that way; it cannot run in a transaction, hence a
non-atomic migration (it holds an exclusive lock on the table while it runs: ~40 s at 100,000
resources). SQLite gets the column (empty there: it ranks otherwise) and nothing else.
"""

from django.db import migrations, models

import registry.migrations._fields

TOAST_TUPLE_TARGET = 1024  # bytes a row keeps in the table before long values move out of line


def lean_rows(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = "registry_resource"
    schema_editor.execute(f"ALTER TABLE {table} SET (toast_tuple_target = {TOAST_TUPLE_TARGET})")
    schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN rank_document SET STORAGE MAIN")
    schema_editor.execute(f"VACUUM FULL {table}")
    schema_editor.execute(f"ANALYZE {table}")


def default_rows(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE registry_resource RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("registry", "0005_search_documents_and_synonyms"),
    ]

    operations = [
        migrations.AddField(
            model_name="resource",
            name="rank_document",
            field=models.GeneratedField(
                db_persist=True,
                expression=registry.migrations._fields.RankDocument("search_document"),
                help_text="The document's name, tag, type and platform tokens, for ranking.",
                output_field=registry.migrations._fields.SearchDocumentField(),
                verbose_name="rank document",
            ),
        ),
        migrations.RunPython(lean_rows, default_rows),
    ]
