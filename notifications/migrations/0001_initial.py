"""Subscriptions and deliveries move from openness to notifications: state only. Their tables stay
as they are, under their old names (``db_table``), with their rows, indexes and constraints, the
foreign keys between them and to the events and the users, and the raw SQL that names them
(``notifications.delivery_rows``); openness 0008 drops the models from openness's state."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        # The tables exist, as openness last shaped them.
        ('openness', '0007_event_to_core'),
        ('core', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Subscription',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, verbose_name='name')),
                        ('query', models.CharField(blank=True, help_text='A resource search, as its query string (type=compute&region=440000).', max_length=1000, verbose_name='query')),
                        ('event_types', models.JSONField(default=list, verbose_name='event types')),
                        ('webhook_url', models.URLField(blank=True, max_length=500, verbose_name='webhook URL')),
                        ('active', models.BooleanField(default=True, verbose_name='active')),
                        ('disabled_reason', models.CharField(blank=True, max_length=500, verbose_name='why it was disabled')),
                        ('disabled_at', models.DateTimeField(blank=True, null=True, verbose_name='disabled at')),
                        ('secret_encrypted', models.TextField(editable=False, verbose_name='signing secret (encrypted)')),
                        ('previous_secret_encrypted', models.TextField(blank=True, editable=False, verbose_name='previous signing secret (encrypted)')),
                        ('previous_secret_expires_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='previous secret valid until')),
                        ('failing_since', models.DateTimeField(blank=True, help_text='The first failed attempt since the last success (empty: not failing).', null=True, verbose_name='failing since')),
                        ('last_success_at', models.DateTimeField(blank=True, null=True, verbose_name='last delivered')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('owner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='subscriptions', to=settings.AUTH_USER_MODEL, verbose_name='owner')),
                    ],
                    options={
                        'verbose_name': 'subscription',
                        'verbose_name_plural': 'subscriptions',
                        'db_table': 'openness_subscription',
                        'ordering': ['id'],
                        'indexes': [models.Index(fields=['active', 'id'], name='subscription_active')],
                    },
                ),
                migrations.CreateModel(
                    name='Delivery',
                    fields=[
                        ('id', models.BigAutoField(primary_key=True, serialize=False)),
                        ('status', models.CharField(choices=[('pending', 'Waiting for its next attempt'), ('sending', 'Being sent'), ('succeeded', 'Delivered'), ('dead', 'Failed for good'), ('pull', 'Recorded for the pull feed (no webhook)')], max_length=12, verbose_name='status')),
                        ('matched', models.JSONField(default=dict, verbose_name='why it matched')),
                        ('attempts', models.PositiveIntegerField(default=0, verbose_name='attempts')),
                        ('next_attempt_at', models.DateTimeField(blank=True, null=True, verbose_name='next attempt')),
                        ('lease_until', models.DateTimeField(blank=True, help_text='While sending: when the attempt counts as lost (its worker died).', null=True, verbose_name='sending until')),
                        ('last_attempt_at', models.DateTimeField(blank=True, null=True, verbose_name='last attempt')),
                        ('last_status_code', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='last status code')),
                        ('last_error', models.CharField(blank=True, max_length=300, verbose_name='last error')),
                        ('last_response', models.TextField(blank=True, verbose_name='last response (first 1 KB)')),
                        ('delivered_at', models.DateTimeField(blank=True, null=True, verbose_name='delivered at')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('event', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.event', verbose_name='event')),
                        ('subscription', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='notifications.subscription', verbose_name='subscription')),
                    ],
                    options={
                        'verbose_name': 'delivery',
                        'verbose_name_plural': 'deliveries',
                        'db_table': 'openness_delivery',
                        'ordering': ['-id'],
                        'indexes': [models.Index(condition=models.Q(('status__in', ['pending', 'sending'])), fields=['subscription', 'event'], name='delivery_to_send')],
                        'constraints': [models.UniqueConstraint(fields=('subscription', 'event'), name='delivery_once_per_subscription')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
