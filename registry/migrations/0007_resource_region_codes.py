"""Each resource row carries its region codes, for the ``region`` filter and facet (PostgreSQL).

``registry_resource.region_codes`` (``varchar(6)[]``) holds the codes of the resource's regions
(its ``registry_resource_regions`` rows, sorted) and, when the resource is nationwide, the marker
``'000000'`` (not a GB/T 2260 code: the vocabulary starts at 110000). ``region=440000`` is then
``region_codes && '{440000,000000}'``, an overlap checked on the row itself, instead of
``nationwide OR EXISTS (a regions row)`` (no GIN index: with three resources in ten nationwide,
every region matches more than a third of the catalogue, and the planner's bitmap over it cost 19 ms
where walking the ordered list costs 0.5; measured at 100,000 resources); the region facet counts ``unnest(region_codes)`` over
the matched rows instead of joining the regions table (the marker's count is the nationwide count,
added to every region as before).

The database keeps the column current, whatever writes the regions (services, the admin, factories,
``seed_demo``'s bulk inserts into the through table, raw SQL):

- a ``BEFORE INSERT`` row trigger on ``registry_resource`` and a ``BEFORE UPDATE OF nationwide``
  one (when it changes) compute the row's codes;
- ``AFTER INSERT / UPDATE / DELETE`` statement triggers on ``registry_resource_regions`` (with
  transition tables: one ``UPDATE`` per statement, however many rows a bulk insert carries)
  recompute the codes of the resources whose rows changed. They first lock those resources (in
  id order), so that the recomputation, a statement of its own, sees what a concurrent transaction
  that held the lock committed.

The codes are kept in the row (storage ``PLAIN``): left to the default, a row's long text pushed
them out of line with it (``toast_tuple_target``, migration 0006) and every filtered or counted row
paid a TOAST fetch for them (the region facet over the catalogue took twice as long).

The existing rows get their codes by a rewrite of the table (``ALTER COLUMN ... TYPE ... USING``,
under the migration's exclusive lock: ~15 s at 100,000 resources), not by an ``UPDATE`` that would
leave a dead copy of every row behind (a table half empty: slower scans until ``VACUUM FULL``).

The column is outside Django's model state: the ORM never reads or writes it (an ``INSERT``
leaves it to its default and the trigger), ``registry.search.facets.RegionCodes`` reads it.
SQLite gets nothing: it keeps the ``EXISTS`` filter and the join.
"""

from django.db import migrations

NATIONWIDE = "000000"


def codes(id: str, nationwide: str) -> str:
    """The region codes of the resource ``id`` (an SQL expression), nationwide or not."""
    return (
        f"ARRAY(SELECT l.region_id FROM registry_resource_regions l "
        f"WHERE l.resource_id = {id} ORDER BY l.region_id)::varchar(6)[] "
        f"|| CASE WHEN {nationwide} THEN '{{{NATIONWIDE}}}'::varchar(6)[] "
        f"ELSE '{{}}'::varchar(6)[] END"
    )


def recompute(changed: str) -> str:
    """Statements recomputing the codes of the resources in ``changed`` (a relation with a
    ``resource_id``), locked first: the UPDATE's snapshot then sees what their holder committed."""
    return f"""
    PERFORM 1 FROM registry_resource r WHERE r.id IN (SELECT resource_id FROM {changed})
        ORDER BY r.id FOR UPDATE;
    UPDATE registry_resource r SET region_codes = {codes("r.id", "r.nationwide")}
        WHERE r.id IN (SELECT resource_id FROM {changed});"""


CREATE = f"""
ALTER TABLE registry_resource ADD COLUMN region_codes varchar(6)[] NOT NULL DEFAULT '{{}}';

-- The existing rows' codes, written by rewriting the table (as ALTER ... TYPE ... USING does)
-- rather than by an UPDATE, which would leave a dead copy of every row behind. Storage PLAIN:
-- the few bytes stay in the row, never moved out of line with the long text (toast_tuple_target),
-- since every filtered or counted row reads them.
CREATE FUNCTION pg_temp.region_codes(uuid, boolean) RETURNS varchar(6)[] AS $$
    SELECT {codes("$1", "$2")}
$$ LANGUAGE sql STABLE;
ALTER TABLE registry_resource
    ALTER COLUMN region_codes TYPE varchar(6)[] USING pg_temp.region_codes(id, nationwide),
    ALTER COLUMN region_codes SET STORAGE PLAIN;
DROP FUNCTION pg_temp.region_codes(uuid, boolean);


CREATE FUNCTION registry_resource_region_codes() RETURNS trigger AS $$
BEGIN
    NEW.region_codes := {codes("NEW.id", "NEW.nationwide")};
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER registry_resource_region_codes_insert BEFORE INSERT ON registry_resource
    FOR EACH ROW EXECUTE FUNCTION registry_resource_region_codes();

CREATE TRIGGER registry_resource_region_codes_nationwide
    BEFORE UPDATE OF nationwide ON registry_resource
    FOR EACH ROW WHEN (OLD.nationwide IS DISTINCT FROM NEW.nationwide)
    EXECUTE FUNCTION registry_resource_region_codes();

CREATE FUNCTION registry_resource_regions_changed() RETURNS trigger AS $$
BEGIN{recompute("changed")}
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE FUNCTION registry_resource_regions_moved() RETURNS trigger AS $$
BEGIN{recompute("(SELECT resource_id FROM previous UNION SELECT resource_id FROM changed) c")}
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER registry_resource_regions_insert AFTER INSERT ON registry_resource_regions
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION registry_resource_regions_changed();

CREATE TRIGGER registry_resource_regions_delete AFTER DELETE ON registry_resource_regions
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION registry_resource_regions_changed();

CREATE TRIGGER registry_resource_regions_update AFTER UPDATE ON registry_resource_regions
    REFERENCING OLD TABLE AS previous NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION registry_resource_regions_moved();
"""

DROP = """
DROP TRIGGER registry_resource_regions_update ON registry_resource_regions;
DROP TRIGGER registry_resource_regions_delete ON registry_resource_regions;
DROP TRIGGER registry_resource_regions_insert ON registry_resource_regions;
DROP FUNCTION registry_resource_regions_moved();
DROP FUNCTION registry_resource_regions_changed();
DROP TRIGGER registry_resource_region_codes_nationwide ON registry_resource;
DROP TRIGGER registry_resource_region_codes_insert ON registry_resource;
DROP FUNCTION registry_resource_region_codes();
ALTER TABLE registry_resource DROP COLUMN region_codes;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0006_rank_document_and_lean_rows"),
    ]

    operations = [migrations.RunPython(create, drop)]
