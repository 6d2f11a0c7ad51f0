"""Print jobs record their station and, while SENDING, a lease (host, process, heartbeat).

A job left SENDING by a process that was killed is then found by any later process of the same
station (`tui.services.printing.recovery`), not only by the App with that printer configured.
Only nullable columns are added: old rows keep NULL (no station, no lease) and are recovered by
the old rule (any process with the job's printer).
"""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0005_label_profiles")]

    initial = False

    operations = [
        ops.AddField(model_name="LabelJob", name="station", field=fields.CharField(max_length=64, null=True)),
        ops.AddField(
            model_name="LabelJob", name="sender_host", field=fields.CharField(max_length=255, null=True)
        ),
        ops.AddField(model_name="LabelJob", name="sender_pid", field=fields.IntField(null=True)),
        ops.AddField(
            model_name="LabelJob", name="sender_start", field=fields.CharField(max_length=64, null=True)
        ),
        ops.AddField(model_name="LabelJob", name="heartbeat_at", field=fields.DatetimeField(null=True)),
    ]
