from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0002_customer_address_long_product_name')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CustomerAccount',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('customer', fields.ForeignKeyField('models.Customer', source_field='customer_id', db_constraint=True, to_field='id', related_name='accounts', on_delete=OnDelete.CASCADE)),
                ('channel', fields.CharField(max_length=32)),
                ('buyer_id', fields.CharField(max_length=128)),
            ],
            options={'table': 'customer_account', 'app': 'models', 'unique_together': (('channel', 'buyer_id'),), 'pk_attr': 'id', 'table_description': "A customer's id on a sales channel (Etsy username, Square Customer ID)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OrderLine',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('sale', fields.ForeignKeyField('models.Sale', source_field='sale_id', db_constraint=True, to_field='id', related_name='order_lines', on_delete=OnDelete.CASCADE)),
                ('position', fields.IntField()),
                ('line_ref', fields.CharField(null=True, max_length=64)),
                ('sku', fields.CharField(null=True, max_length=64)),
                ('name', fields.CharField(max_length=255)),
                ('variant', fields.CharField(null=True, max_length=255)),
                ('qty_milli', fields.BigIntField()),
                ('cancelled_milli', fields.BigIntField(default=0)),
                ('amount_cents', fields.BigIntField(null=True)),
                ('provisional', fields.BooleanField(default=False)),
            ],
            options={'table': 'order_line', 'app': 'models', 'indexes': [Index(fields=['sale_id']), Index(fields=['sku'])], 'pk_attr': 'id', 'table_description': 'What an imported order asks for, and (through its `SaleLine`s) which batches filled it.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OrderPayment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('sale', fields.ForeignKeyField('models.Sale', source_field='sale_id', db_constraint=True, to_field='id', related_name='payments', on_delete=OnDelete.CASCADE)),
                ('payment_id', fields.CharField(unique=True, max_length=64)),
            ],
            options={'table': 'order_payment', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A channel payment id of an order: how a refund exported later finds its sale (Square).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OrderRefund',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('channel', fields.CharField(max_length=32)),
                ('ref', fields.CharField(max_length=64)),
                ('sale', fields.ForeignKeyField('models.Sale', source_field='sale_id', null=True, db_constraint=True, to_field='id', related_name='refunds', on_delete=OnDelete.CASCADE)),
                ('payment_id', fields.CharField(null=True, max_length=64)),
                ('amount_cents', fields.BigIntField(null=True)),
                ('cancels_units', fields.BooleanField(default=True)),
                ('lines', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('placed_on', fields.DateField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'order_refund', 'app': 'models', 'unique_together': (('channel', 'ref'),), 'indexes': [Index(fields=['payment_id'])], 'pk_attr': 'id', 'table_description': 'A refund the channel recorded as its own transaction (Square), kept once.'},
            bases=['Model'],
        ),
        ops.AlterModelOptions(
            name='Customer',
            options={'table': 'customer', 'app': 'models', 'indexes': [Index(fields=['name']), Index(fields=['email'])], 'pk_attr': 'id', 'table_description': 'Someone who bought: what a recall needs to reach them.'},
        ),
        ops.AlterField(
            model_name='Customer',
            name='name',
            field=fields.CharField(max_length=128),
        ),
        ops.AddIndex(
            model_name='Customer',
            index=Index(fields=['name']),
        ),
        ops.AddIndex(
            model_name='Customer',
            index=Index(fields=['email']),
        ),
        ops.AlterModelOptions(
            name='Sale',
            options={'table': 'sale', 'app': 'models', 'indexes': [Index(fields=['sold_on'])], 'pk_attr': 'id', 'table_description': 'An order: sold at the bench (`sell`) or imported from a channel and packed later.'},
        ),
        ops.AlterField(
            model_name='Sale',
            name='customer',
            field=fields.ForeignKeyField('models.Customer', source_field='customer_id', null=True, db_constraint=True, to_field='id', related_name='sales', on_delete=OnDelete.RESTRICT),
        ),
        ops.AddField(
            model_name='Sale',
            name='cancelled',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name='Sale',
            name='channel_id',
            field=fields.CharField(null=True, max_length=64),
        ),
        ops.AddField(
            model_name='Sale',
            name='channel_status',
            field=fields.CharField(null=True, max_length=64),
        ),
        ops.AddField(
            model_name='Sale',
            name='currency',
            field=fields.CharField(null=True, max_length=3),
        ),
        ops.AddField(
            model_name='Sale',
            name='placed_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Sale',
            name='refund',
            field=fields.CharField(default='none', db_default='none', max_length=8),
        ),
        ops.AddField(
            model_name='Sale',
            name='refunded_cents',
            field=fields.BigIntField(null=True),
        ),
        ops.AddField(
            model_name='Sale',
            name='ship_to',
            field=fields.TextField(null=True, unique=False),
        ),
        ops.AddField(
            model_name='Sale',
            name='total_cents',
            field=fields.BigIntField(null=True),
        ),
        ops.AddIndex(
            model_name='Sale',
            index=Index(fields=['sold_on']),
        ),
        ops.AlterModelOptions(
            name='SaleLine',
            options={'table': 'sale_line', 'app': 'models', 'indexes': [Index(fields=['lot_id']), Index(fields=['sale_id']), Index(fields=['order_line_id'])], 'pk_attr': 'id', 'table_description': 'Units of one batch that went out in an order: what a recall follows.'},
        ),
        ops.AddField(
            model_name='SaleLine',
            name='order_line',
            field=fields.ForeignKeyField('models.OrderLine', source_field='order_line_id', null=True, db_constraint=True, to_field='id', related_name='packed', on_delete=OnDelete.RESTRICT),
        ),
        ops.AddIndex(
            model_name='SaleLine',
            index=Index(fields=['order_line_id']),
        ),
    ]
