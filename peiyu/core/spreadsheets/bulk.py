"""Bulk writes for imports: plain `executemany` INSERT, UPDATE and DELETE for one model, and the
change-history rows that go with them.

Django's `bulk_create` prepares every value field by field and splits SQLite batches at 999
variables; for 100,000 enterprise years that is ten times slower than one prepared statement run
many times. Only generated columns are never written (the database computes them).
"""

from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models
from django.utils import timezone

from peiyu.core.history import change_fields
from peiyu.core.models import ObjectChange

CHUNK = 5000
# Field types whose Python values every backend driver takes as they are.
PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.DecimalField, models.BooleanField, models.DateField, models.ForeignKey, models.JSONField)


class TableWriter:
    """INSERT or UPDATE rows of `model` given as tuples in the order of `fields` (attnames). Fields
    named in `prepared` already hold database values (from `db_value`, e.g. one timestamp converted
    once for every row) and are passed through."""

    def __init__(self, model, fields: list[str], using: str = "default", prepared=()):
        self.model = model
        self.connection = connections[using]
        self.fields = [model._meta.get_field(name) for name in fields]
        if any(getattr(field, "generated", False) for field in self.fields):
            raise ValueError("generated fields are computed by the database and never written")
        self.columns = [self.connection.ops.quote_name(field.column) for field in self.fields]
        self.table = self.connection.ops.quote_name(model._meta.db_table)
        self.special = [(i, prep) for i, field in enumerate(self.fields) if field.name not in prepared and (prep := self.preparer(field))]

    def db_value(self, name: str, value):
        """`value` of field `name` as this writer would send it."""
        return self.model._meta.get_field(name).get_db_prep_save(value, self.connection)

    def preparer(self, field):
        """None for values drivers take as they are, else a converter that remembers its last
        input (stamps and request ids repeat on every row)."""
        if isinstance(field, PLAIN_FIELDS) and not isinstance(field, models.DateTimeField):
            return None
        last = [object(), None]

        def prepare(value):
            if value is not last[0]:
                last[0], last[1] = value, field.get_db_prep_save(value, self.connection)
            return last[1]

        return prepare

    def prepare(self, row: tuple) -> tuple:
        if not self.special:
            return row
        row = list(row)
        for position, prep in self.special:
            if row[position] is not None:
                row[position] = prep(row[position])
        return tuple(row)

    def insert(self, rows) -> int:
        if self.connection.vendor == "postgresql":
            return self.copy(rows)
        sql = f"INSERT INTO {self.table} ({', '.join(self.columns)}) VALUES ({', '.join(['%s'] * len(self.columns))})"
        return self.run(sql, rows)

    def update(self, rows) -> int:
        """Each row is the new values followed by the primary key."""
        assignments = ", ".join(f"{column} = %s" for column in self.columns)
        pk = self.connection.ops.quote_name(self.model._meta.pk.column)
        return self.run(f"UPDATE {self.table} SET {assignments} WHERE {pk} = %s", rows)

    def copy(self, rows) -> int:
        """PostgreSQL: COPY … FROM STDIN on the connection's own psycopg cursor, so the rows go in
        the current transaction (values travel as text; amounts as exact decimal text)."""
        count = 0
        self.connection.ensure_connection()
        with self.connection.connection.cursor() as cursor:
            with cursor.copy(f"COPY {self.table} ({', '.join(self.columns)}) FROM STDIN") as copy:
                write = copy.write_row
                prepare = self.prepare
                for row in rows:
                    write(prepare(row))
                    count += 1
        return count

    def raw_cursor(self):
        """Django's cursor, or on PostgreSQL psycopg's own (server-side binding and pipelined
        `executemany`, far faster than Django's client-side binding); same transaction either way."""
        if self.connection.vendor == "postgresql":
            self.connection.ensure_connection()
            return self.connection.connection.cursor()
        return self.connection.cursor()

    def run(self, sql: str, rows) -> int:
        count = 0
        batch = []
        prepare = self.prepare if self.special else None
        with self.raw_cursor() as cursor:
            for row in rows:
                batch.append(prepare(row) if prepare else row)
                if len(batch) >= CHUNK:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
        return count


class NewObjects:
    """INSERT new objects of `model` given as dicts of attnames → values; every other column gets its
    field's default and the stamps one `now`, as `save()` would give them. `snapshot` gives the
    history snapshot `core.history.snapshot` records for the saved object, without building it."""

    def __init__(self, model, now, using: str = "default"):
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key and not getattr(f, "generated", False)]
        self.writer = TableWriter(model, [f.attname for f in self.fields], using, prepared={"created", "updated"})
        stamp = self.writer.db_value("created", now)
        self.defaults = {f.attname: stamp if f.attname in ("created", "updated") else f.get_default() for f in self.fields}
        excluded = getattr(model, "history_exclude", ())
        self.recorded = [(f.attname, f.attname if f.is_relation else f.name, isinstance(f, models.DecimalField) and f.decimal_places)
                         for f in self.fields if f.name not in excluded]

    def insert(self, objects: list[dict]) -> int:
        defaults, names = self.defaults, list(self.defaults)
        return self.writer.insert([tuple(values.get(name, defaults[name]) for name in names) for values in objects])

    def snapshot(self, values: dict) -> dict:
        data = {}
        for attname, key, places in self.recorded:
            value = values.get(attname, self.defaults[attname])
            if value is not None and not isinstance(value, bool | int | str):
                value = _encoder.default(value.quantize(Decimal(1).scaleb(-places)) if places is not False else value)
            data[key] = value
        return data


def delete_ids(model, ids, using: str = "default") -> None:
    """DELETE rows by primary key without signals or cascades (the caller records history)."""
    connection = connections[using]
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    ids = list(ids)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            cursor.execute(f"DELETE FROM {table} WHERE {pk} IN ({', '.join(['%s'] * len(chunk))})", chunk)


CHANGE_FIELDS = ["time", "user_id", "user_name", "request_id", "batch", "action", "content_type_id", "object_id",
                 "object_repr", "parent_type_id", "parent_id", "before", "after"]
_encoder = DjangoJSONEncoder()
# json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False) builds this encoder on every call.
_dumps = DjangoJSONEncoder(ensure_ascii=False).encode


class ChangeLog:
    """ObjectChange rows for a bulk write. Each kind of change starts from `change_fields` of a
    sample object, so the rows carry the acting user, request and batch exactly as single saves do."""

    def __init__(self, using: str = "default"):
        self.rows: list[tuple] = []
        self.time = timezone.now()
        self.using = using
        self.stamp = TableWriter(ObjectChange, ["time"], using).db_value("time", self.time)  # converted once, not per row

    def template(self, model, action: str) -> dict:
        fields = change_fields(sample_of(model), action, None, None)
        return {
            "user_id": fields["user"].pk if fields["user"] else None,
            "user_name": fields["user_name"],
            "request_id": fields["request_id"],
            "batch": fields["batch"],
            "action": action,
            "content_type_id": fields["content_type"].pk,
            "parent_type_id": fields["parent_type"].pk if fields["parent_type"] else None,
        }

    def add(self, template: dict, object_id: int, object_repr: str, parent_id, before: dict | None, after: dict | None):
        self.rows.append((
            self.stamp, template["user_id"], template["user_name"], template["request_id"], template["batch"], template["action"],
            template["content_type_id"], object_id, object_repr[:200], template["parent_type_id"],
            parent_id if template["parent_type_id"] else None,
            dumps(before), dumps(after),
        ))

    def write(self, using: str | None = None) -> int:
        using = using or self.using
        writer = TableWriter(ObjectChange, CHANGE_FIELDS, using, prepared={"time"})
        rows = self.rows
        if using != self.using:
            stamp = writer.db_value("time", self.time)
            rows = [(stamp, *row[1:]) for row in rows]
        count = writer.insert(rows)
        self.rows = []
        return count


def sample_of(model):
    """An unsaved object of `model` whose history parent is set, enough for `change_fields`."""
    sample = model()
    if model.history_parent:
        parent = model._meta.get_field(model.history_parent).related_model
        setattr(sample, model.history_parent, parent())
    return sample


def dumps(value: dict | None) -> str | None:
    return None if value is None else _dumps(value)
