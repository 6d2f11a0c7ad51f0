"""The complaint and adverse-event log: one new table, nothing existing changes.

Numbered after 0006 (print leases).
"""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0006_print_lease")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Complaint",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "lot",
                    fields.ForeignKeyField(
                        "models.Lot",
                        source_field="lot_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="complaints",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "customer",
                    fields.ForeignKeyField(
                        "models.Customer",
                        source_field="customer_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="complaints",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("received_on", fields.DateField()),
                ("what", fields.TextField(unique=False)),
                ("serious", fields.BooleanField(default=False)),
                ("action", fields.TextField(null=True, unique=False)),
                ("closed_on", fields.DateField(null=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "complaint",
                "app": "models",
                "indexes": [Index(fields=["lot_id"]), Index(fields=["closed_on"])],
                "pk_attr": "id",
                "table_description": "A complaint or adverse event about one batch, open until the action "
                "taken is recorded.",
            },
            bases=["Model"],
        ),
    ]
