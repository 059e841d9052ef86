"""Batch entries write the search index's change log too: a resource's ``batch`` filter reads
which published batches list it (``registry.search.changelog``)."""

from django.db import migrations

from registry.search.changelog import ENTRY_SOURCE, drop_statements, trigger_statements


def create_triggers(apps, schema_editor):
    for statement in trigger_statements(schema_editor.connection.vendor, (ENTRY_SOURCE,)):
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    for statement in drop_statements(schema_editor.connection.vendor, (ENTRY_SOURCE,)):
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("openness", "0005_pilot_events"),
        ("registry", "0008_search_changes"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
