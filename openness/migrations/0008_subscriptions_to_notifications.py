"""Subscriptions and deliveries moved to notifications (notifications 0001): the models leave
openness's state; their tables, ``openness_subscription`` and ``openness_delivery``, stay with
their rows and are notifications' now."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('openness', '0007_event_to_core'),
        ('notifications', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='Delivery'),
                migrations.DeleteModel(name='Subscription'),
            ],
            database_operations=[],
        ),
    ]
