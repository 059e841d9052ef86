"""Triggers keep published history final below the ORM too (PostgreSQL and SQLite): a published
batch is never updated or deleted, and a published entry changes only by a listed entry being
withdrawn (its number, snapshot and batch stay). Either database answers an IntegrityError."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION openness_batch_final() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'published' THEN
        RAISE EXCEPTION 'batch % is published and final', OLD.number
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER openness_batch_final BEFORE UPDATE OR DELETE ON openness_batch
    FOR EACH ROW EXECUTE FUNCTION openness_batch_final();

CREATE OR REPLACE FUNCTION openness_entry_final() RETURNS trigger AS $$
BEGIN
    IF OLD.status NOT IN ('listed', 'withdrawn') THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' OR OLD.status = 'withdrawn' OR NEW.status <> 'withdrawn'
        OR NEW.batch_id IS DISTINCT FROM OLD.batch_id
        OR NEW.resource_id IS DISTINCT FROM OLD.resource_id
        OR NEW.sequence IS DISTINCT FROM OLD.sequence
        OR NEW.snapshot IS DISTINCT FROM OLD.snapshot
        OR NEW.listed_version IS DISTINCT FROM OLD.listed_version
        OR NEW.listed_at IS DISTINCT FROM OLD.listed_at THEN
        RAISE EXCEPTION 'entry % is published: it can only be withdrawn', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER openness_entry_final BEFORE UPDATE OR DELETE ON openness_entry
    FOR EACH ROW EXECUTE FUNCTION openness_entry_final();

CREATE OR REPLACE FUNCTION openness_entry_no_late_insert() RETURNS trigger AS $$
BEGIN
    IF (SELECT status FROM openness_batch WHERE id = NEW.batch_id) = 'published' THEN
        RAISE EXCEPTION 'batch of entry % is published and final', NEW.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER openness_entry_no_late_insert BEFORE INSERT ON openness_entry
    FOR EACH ROW EXECUTE FUNCTION openness_entry_no_late_insert();
"""

SQLITE_ENTRY_CHANGED = """
    OLD.status = 'withdrawn' OR NEW.status <> 'withdrawn'
    OR NEW.batch_id IS NOT OLD.batch_id OR NEW.resource_id IS NOT OLD.resource_id
    OR NEW.sequence IS NOT OLD.sequence OR NEW.snapshot IS NOT OLD.snapshot
    OR NEW.listed_version IS NOT OLD.listed_version OR NEW.listed_at IS NOT OLD.listed_at
"""

SQLITE_CREATE = [
    """CREATE TRIGGER openness_batch_final_update BEFORE UPDATE ON openness_batch
       WHEN OLD.status = 'published'
       BEGIN SELECT RAISE(ABORT, 'batch is published and final'); END""",
    """CREATE TRIGGER openness_batch_final_delete BEFORE DELETE ON openness_batch
       WHEN OLD.status = 'published'
       BEGIN SELECT RAISE(ABORT, 'batch is published and final'); END""",
    f"""CREATE TRIGGER openness_entry_final_update BEFORE UPDATE ON openness_entry
       WHEN OLD.status IN ('listed', 'withdrawn') AND ({SQLITE_ENTRY_CHANGED})
       BEGIN SELECT RAISE(ABORT, 'entry is published: it can only be withdrawn'); END""",
    """CREATE TRIGGER openness_entry_final_delete BEFORE DELETE ON openness_entry
       WHEN OLD.status IN ('listed', 'withdrawn')
       BEGIN SELECT RAISE(ABORT, 'entry is published: it can only be withdrawn'); END""",
    """CREATE TRIGGER openness_entry_no_late_insert BEFORE INSERT ON openness_entry
       WHEN (SELECT status FROM openness_batch WHERE id = NEW.batch_id) = 'published'
       BEGIN SELECT RAISE(ABORT, 'batch is published and final'); END""",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "openness_batch_final_update",
        "openness_batch_final_delete",
        "openness_entry_final_update",
        "openness_entry_final_delete",
        "openness_entry_no_late_insert",
    )
]

DROP = """
DROP TRIGGER IF EXISTS openness_entry_no_late_insert ON openness_entry;
DROP FUNCTION IF EXISTS openness_entry_no_late_insert();
DROP TRIGGER IF EXISTS openness_entry_final ON openness_entry;
DROP FUNCTION IF EXISTS openness_entry_final();
DROP TRIGGER IF EXISTS openness_batch_final ON openness_batch;
DROP FUNCTION IF EXISTS openness_batch_final();
"""


def _triggers(postgresql: str, sqlite: list[str]):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(postgresql, params=None)  # no placeholders: RAISE uses %
        elif vendor == "sqlite":
            for statement in sqlite:
                schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("openness", "0001_initial")]

    operations = [
        migrations.RunPython(_triggers(CREATE, SQLITE_CREATE), _triggers(DROP, SQLITE_DROP))
    ]
