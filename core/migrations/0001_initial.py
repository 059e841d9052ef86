"""The audit trail (``ChangeRecord``, from registry) and the outbox (``Event``, from openness) move
to core: state only. Their tables stay as they are, under their old names (``db_table``), with their
rows, indexes and the triggers and queries that name them; registry 0009 and openness 0007 drop the
models from their apps' state."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        # The tables exist, as the apps they come from last shaped them.
        ('registry', '0008_search_changes'),
        ('openness', '0006_search_changes_from_entries'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Event',
                    fields=[
                        ('id', models.BigAutoField(primary_key=True, serialize=False)),
                        ('type', models.CharField(choices=[('batch.opened', 'Batch opened'), ('batch.closed', 'Batch closed for review'), ('batch.published', 'Batch published'), ('entry.listed', 'Entry listed'), ('entry.withdrawn', 'Entry withdrawn'), ('resource.activated', 'Resource activated'), ('resource.updated', 'Resource updated'), ('resource.withdrawn', 'Resource withdrawn'), ('ping', 'Ping (a test delivery an owner asked for)'), ('pilot.created', 'Pilot project created'), ('pilot.updated', 'Pilot project changed'), ('scenario.created', 'Scenario created'), ('scenario.updated', 'Scenario changed'), ('service_platform.created', 'Service platform created'), ('service_platform.updated', 'Service platform changed')], db_index=True, max_length=40, verbose_name='type')),
                        ('occurred_at', models.DateTimeField(db_index=True, verbose_name='occurred at')),
                        ('subject_type', models.CharField(max_length=20, verbose_name='subject type')),
                        ('subject_id', models.CharField(max_length=64, verbose_name='subject id')),
                        ('public', models.BooleanField(default=True, verbose_name='public')),
                        ('data', models.JSONField(default=dict, verbose_name='data')),
                        ('matched_at', models.DateTimeField(blank=True, help_text='When the subscriptions were matched against it (empty: not yet).', null=True, verbose_name='matched at')),
                    ],
                    options={
                        'verbose_name': 'event',
                        'verbose_name_plural': 'events',
                        'db_table': 'openness_event',
                        'ordering': ['id'],
                        'indexes': [models.Index(fields=['public', 'id'], name='event_public_feed'), models.Index(condition=models.Q(('matched_at__isnull', True)), fields=['id'], name='event_unmatched')],
                    },
                ),
                migrations.CreateModel(
                    name='ChangeRecord',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('subject_id', models.CharField(max_length=64)),
                        ('version', models.PositiveIntegerField(blank=True, help_text="The object's version after the change.", null=True, verbose_name='version')),
                        ('action', models.CharField(max_length=40, verbose_name='action')),
                        ('actor_name', models.CharField(blank=True, help_text='Kept if the user is deleted.', max_length=150, verbose_name='actor name')),
                        ('at', models.DateTimeField(verbose_name='at')),
                        ('reason', models.TextField(blank=True, verbose_name='reason')),
                        ('changes', models.JSONField(default=dict, help_text='{"field": {"before": …, "after": …}}', verbose_name='changes')),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='actor')),
                        ('subject_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype')),
                    ],
                    options={
                        'verbose_name': 'change record',
                        'verbose_name_plural': 'change records',
                        'db_table': 'registry_changerecord',
                        'ordering': ['subject_type', 'subject_id', 'at', 'id'],
                        'indexes': [models.Index(fields=['subject_type', 'subject_id', 'id'], name='change_subject')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
