"""Search moves to Tantivy (``registry.search``): the PostgreSQL search document and its ranking
vector go, the change log the index follows comes, with the triggers that write it, and the
starter set of synonym groups is added to the shipped ones."""

import json
from pathlib import Path

from django.db import migrations, models
import django.db.models.functions.datetime

from registry.search.changelog import SOURCES, drop_statements, trigger_statements

STARTER = Path(__file__).resolve().parent.parent / "data" / "synonyms_starter.json"
LOG_SOURCES = (*SOURCES, ("registry_platform", "id"))


def drop_search_document_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS resource_search_document")


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE registry_searchchange "
            "ADD COLUMN txid xid8 NOT NULL DEFAULT pg_current_xact_id()"
        )
        schema_editor.execute("CREATE INDEX search_change_txid ON registry_searchchange (txid)")
    for statement in trigger_statements(vendor, LOG_SOURCES):
        schema_editor.execute(statement)
    # Every resource there already is, once: an index built from this log holds them all.
    schema_editor.execute(
        "INSERT INTO registry_searchchange (resource_id) SELECT id FROM registry_resource"
    )


def drop_triggers(apps, schema_editor):
    for statement in drop_statements(schema_editor.connection.vendor, LOG_SOURCES):
        schema_editor.execute(statement)


def load_starter_synonyms(apps, schema_editor):
    """The starter groups, but a group any of whose terms a curator already has."""
    SynonymGroup = apps.get_model("registry", "SynonymGroup")
    known = {
        term.strip().lower()
        for group in SynonymGroup.objects.values_list("terms", flat=True)
        for term in group.replace(",", "\n").splitlines()
        if term.strip()
    }
    for group in json.loads(STARTER.read_text(encoding="utf-8")):
        terms = [term.strip() for term in group["terms"] if term.strip()]
        if any(term.lower() in known for term in terms):
            continue
        SynonymGroup.objects.create(terms="\n".join(terms), note=group.get("note", ""))
        known.update(term.lower() for term in terms)


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0007_resource_region_codes"),
    ]

    operations = [
        migrations.RunPython(drop_search_document_index, migrations.RunPython.noop),
        migrations.RemoveField(model_name="resource", name="rank_document"),
        migrations.RemoveField(model_name="resource", name="search_document"),
        migrations.CreateModel(
            name="SearchChange",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("resource_id", models.UUIDField(verbose_name="resource")),
                (
                    "at",
                    models.DateTimeField(
                        db_default=django.db.models.functions.datetime.Now(), verbose_name="at"
                    ),
                ),
            ],
            options={
                "verbose_name": "search change",
                "verbose_name_plural": "search changes",
                "indexes": [models.Index(fields=["at"], name="search_change_at")],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
        migrations.RunPython(load_starter_synonyms, migrations.RunPython.noop),
    ]
