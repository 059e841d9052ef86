"""The audit trail moved to core (core 0001): the model leaves registry's state; its table,
``registry_changerecord``, stays with its rows and is core's now."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0008_search_changes'),
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='ChangeRecord'),
            ],
            database_operations=[],
        ),
    ]
