from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Customer',
            name='address',
            field=fields.TextField(null=True, unique=False),
        ),
        ops.AlterField(
            model_name='Product',
            name='name',
            field=fields.CharField(max_length=255),
        ),
    ]
