"""The outbox moved to core (core 0001): deliveries point to ``core.Event`` and the model leaves
openness's state; its table, ``openness_event``, stays with its rows (and the deliveries' foreign
key to it) and is core's now."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('openness', '0006_search_changes_from_entries'),
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='delivery',
                    name='event',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.event', verbose_name='event'),
                ),
                migrations.DeleteModel(name='Event'),
            ],
            database_operations=[],
        ),
    ]
