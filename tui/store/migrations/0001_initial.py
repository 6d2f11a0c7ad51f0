from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tui.store.models import JobStatus, LotKind, MovementKind
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='CodeCounter',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.CharField(unique=True, max_length=64)),
                ('value', fields.IntField(default=0)),
            ],
            options={'table': 'code_counter', 'app': 'models', 'pk_attr': 'id', 'table_description': 'Last sequence number handed out per lot-code key: it never goes back, so codes are never reused.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Customer',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=128)),
                ('email', fields.CharField(null=True, max_length=254)),
                ('phone', fields.CharField(null=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'customer', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Material',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=128)),
                ('unit', fields.CharField(max_length=8)),
                ('reorder_milli', fields.BigIntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'material', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Product',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=128)),
                ('sku', fields.CharField(unique=True, max_length=32)),
                ('gtin', fields.CharField(null=True, unique=True, max_length=14)),
                ('unit', fields.CharField(default='pcs', max_length=8)),
                ('shelf_life_days', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'product', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RecipeLine',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('product', fields.ForeignKeyField('models.Product', source_field='product_id', db_constraint=True, to_field='id', related_name='recipe', on_delete=OnDelete.CASCADE)),
                ('material', fields.ForeignKeyField('models.Material', source_field='material_id', null=True, db_constraint=True, to_field='id', related_name='used_in', on_delete=OnDelete.RESTRICT)),
                ('component', fields.ForeignKeyField('models.Product', source_field='component_id', null=True, db_constraint=True, to_field='id', related_name='used_in', on_delete=OnDelete.RESTRICT)),
                ('qty_milli', fields.BigIntField()),
            ],
            options={'table': 'recipe_line', 'app': 'models', 'pk_attr': 'id', 'table_description': 'Per unit of `product`: `qty_milli` of a material, or of an intermediate product.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Station',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=64)),
            ],
            options={'table': 'station', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Event',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('kind', fields.CharField(max_length=32)),
                ('message', fields.TextField(unique=False)),
                ('station', fields.ForeignKeyField('models.Station', source_field='station_id', null=True, db_constraint=True, to_field='id', related_name='events', on_delete=OnDelete.SET_NULL)),
            ],
            options={'table': 'event', 'app': 'models', 'pk_attr': 'id', 'table_description': 'Audit log of things that are not stock movements (clock overrides, printer trouble).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Sale',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('ref', fields.CharField(unique=True, max_length=64)),
                ('customer', fields.ForeignKeyField('models.Customer', source_field='customer_id', db_constraint=True, to_field='id', related_name='sales', on_delete=OnDelete.RESTRICT)),
                ('channel', fields.CharField(default='direct', max_length=32)),
                ('sold_on', fields.DateField()),
                ('station', fields.ForeignKeyField('models.Station', source_field='station_id', null=True, db_constraint=True, to_field='id', related_name='sales', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'sale', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Supplier',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=128)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'supplier', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Lot',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('code', fields.CharField(unique=True, max_length=64)),
                ('kind', fields.CharEnumField(description='MATERIAL: material\nBATCH: batch', enum_type=LotKind, max_length=8)),
                ('material', fields.ForeignKeyField('models.Material', source_field='material_id', null=True, db_constraint=True, to_field='id', related_name='lots', on_delete=OnDelete.RESTRICT)),
                ('product', fields.ForeignKeyField('models.Product', source_field='product_id', null=True, db_constraint=True, to_field='id', related_name='lots', on_delete=OnDelete.RESTRICT)),
                ('supplier', fields.ForeignKeyField('models.Supplier', source_field='supplier_id', null=True, db_constraint=True, to_field='id', related_name='lots', on_delete=OnDelete.RESTRICT)),
                ('supplier_lot', fields.CharField(null=True, max_length=64)),
                ('dated', fields.DateField()),
                ('expires', fields.DateField(null=True)),
                ('qty_milli', fields.BigIntField()),
                ('on_hand_milli', fields.BigIntField()),
                ('cost_cents', fields.BigIntField(null=True)),
                ('location', fields.CharField(null=True, max_length=64)),
                ('station', fields.ForeignKeyField('models.Station', source_field='station_id', null=True, db_constraint=True, to_field='id', related_name='lots', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'lot', 'app': 'models', 'indexes': [Index(fields=['material_id', 'expires']), Index(fields=['product_id', 'expires']), Index(fields=['supplier_lot'])], 'pk_attr': 'id', 'table_description': 'A material lot (one receipt) or a batch (one production run): see the module docstring.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Consumption',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('batch', fields.ForeignKeyField('models.Lot', source_field='batch_id', db_constraint=True, to_field='id', related_name='inputs', on_delete=OnDelete.RESTRICT)),
                ('source', fields.ForeignKeyField('models.Lot', source_field='source_id', db_constraint=True, to_field='id', related_name='uses', on_delete=OnDelete.RESTRICT)),
                ('qty_milli', fields.BigIntField()),
            ],
            options={'table': 'consumption', 'app': 'models', 'indexes': [Index(fields=['source_id']), Index(fields=['batch_id'])], 'pk_attr': 'id', 'table_description': 'A genealogy edge: `batch` consumed `qty_milli` of `source` (a material lot or a batch).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='LabelJob',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('lot', fields.ForeignKeyField('models.Lot', source_field='lot_id', null=True, db_constraint=True, to_field='id', related_name='label_jobs', on_delete=OnDelete.RESTRICT)),
                ('printer', fields.CharField(max_length=64)),
                ('template', fields.CharField(max_length=32)),
                ('template_version', fields.IntField(default=1)),
                ('payload', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('copies', fields.IntField(default=1)),
                ('status', fields.CharEnumField(default=JobStatus.QUEUED, description='QUEUED: queued\nHELD: held\nSENDING: sending\nSENT: sent\nFAILED: failed\nCANCELLED: cancelled', enum_type=JobStatus, max_length=10)),
                ('attempts', fields.IntField(default=0)),
                ('last_error', fields.TextField(null=True, unique=False)),
                ('next_attempt_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('image_png', fields.BinaryField(null=True)),
                ('reprint_of', fields.ForeignKeyField('models.LabelJob', source_field='reprint_of_id', null=True, db_constraint=True, to_field='id', related_name='reprints', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'label_job', 'app': 'models', 'indexes': [Index(fields=['status'])], 'pk_attr': 'id', 'table_description': 'One print job in the persistent queue: written before it is sent, never sent twice.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Movement',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('lot', fields.ForeignKeyField('models.Lot', source_field='lot_id', db_constraint=True, to_field='id', related_name='movements', on_delete=OnDelete.RESTRICT)),
                ('kind', fields.CharEnumField(description='RECEIVE: receive\nCONSUME: consume\nPRODUCE: produce\nSELL: sell\nRETURN: return\nADJUST: adjust\nWASTE: waste\nCOUNT: count', enum_type=MovementKind, max_length=8)),
                ('delta_milli', fields.BigIntField()),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('station', fields.ForeignKeyField('models.Station', source_field='station_id', null=True, db_constraint=True, to_field='id', related_name='movements', on_delete=OnDelete.SET_NULL)),
                ('reason', fields.CharField(default='', max_length=255)),
                ('ref', fields.CharField(null=True, max_length=64)),
            ],
            options={'table': 'movement', 'app': 'models', 'indexes': [Index(fields=['lot_id'])], 'pk_attr': 'id', 'table_description': "The append-only ledger: a lot's on-hand is the sum of its movements."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SaleLine',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('sale', fields.ForeignKeyField('models.Sale', source_field='sale_id', db_constraint=True, to_field='id', related_name='lines', on_delete=OnDelete.CASCADE)),
                ('lot', fields.ForeignKeyField('models.Lot', source_field='lot_id', db_constraint=True, to_field='id', related_name='sale_lines', on_delete=OnDelete.RESTRICT)),
                ('qty_milli', fields.BigIntField()),
                ('price_cents', fields.BigIntField(null=True)),
            ],
            options={'table': 'sale_line', 'app': 'models', 'indexes': [Index(fields=['lot_id']), Index(fields=['sale_id'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SupplierCode',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('code', fields.CharField(unique=True, max_length=64)),
                ('material', fields.ForeignKeyField('models.Material', source_field='material_id', db_constraint=True, to_field='id', related_name='supplier_codes', on_delete=OnDelete.CASCADE)),
                ('supplier', fields.ForeignKeyField('models.Supplier', source_field='supplier_id', null=True, db_constraint=True, to_field='id', related_name='codes', on_delete=OnDelete.SET_NULL)),
            ],
            options={'table': 'supplier_code', 'app': 'models', 'pk_attr': 'id', 'table_description': "A supplier's GTIN (stored as GTIN-14) or item code that identifies a material when scanned."},
            bases=['Model'],
        ),
    ]
