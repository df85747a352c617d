"""A queryset run on every request, compiled to SQL once per process instead of once per request.

Building a queryset and compiling it (`filter`, `add_q`, `as_sql`) costs Django several times what running a
small indexed query costs the database: the lesson page's three reads of the reader's own state took 0.71 ms
through the ORM and 0.16 ms as SQL compiled once (`benchmarks/bench_pages.py`). `CompiledQuery` compiles the
queryset with sentinel values standing in for the parameters that change, remembers where each sentinel
landed among the SQL parameters, and from then on swaps the real values in and runs `raw()` (model instances,
with the database's converters, as the ORM would build them) or a cursor (plain rows).

The parameters are the builder's keyword arguments: `ids` names single ids, `scalars` maps any other single value
to a sentinel of the type its field takes, `lists` names the `__in` lists of ids, compiled once per list length. The lists are filters
ANDed with the rest of the query, so an empty one matches nothing and runs no query; an id outside the database's
integer range (a hostile URL) matches nothing either, as with the ORM. `raw()` fills one model from the row's
columns by name, so a queryset that joins other models in (`select_related`) is refused.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connections, router
from django.db.models import Model, QuerySet

# Far outside any id this product hands out, and inside every database's integer range (Django ≥ 5.0 turns an
# out-of-range integer lookup into "no rows" before compiling, which would drop the parameter).
_ID_SENTINEL = -(10**12)
# Every backend's 64-bit integer columns (ids are BigAutoField or narrower, and narrower ones are checked by the
# database like any other value).
_MIN_ID, _MAX_ID = -(2**63), 2**63 - 1
# Shapes kept per query: one per list length seen, so a bound keeps an unusual caller from growing it forever.
_MAX_SHAPES = 256


class CompiledQuery:
    def __init__(
        self,
        model: type[Model],
        build: Callable[..., QuerySet],
        *,
        ids: tuple[str, ...] = (),
        scalars: dict | None = None,
        lists: tuple[str, ...] = (),
    ):
        self.model, self.build = model, build
        self.ids = tuple(ids)
        self.scalars = {name: _ID_SENTINEL + 1 + i for i, name in enumerate(ids)} | dict(scalars or {})
        self.lists = tuple(lists)
        self._shapes: dict[tuple, tuple[str, list, list]] = {}

    def _shape(self, alias: str, lengths: tuple[int, ...]) -> tuple[str, list, list]:
        key = (alias, lengths)
        found = self._shapes.get(key)
        if found is not None:
            return found
        sample, marks = dict(self.scalars), {value: (name, None) for name, value in self.scalars.items()}
        for name, length in zip(self.lists, lengths, strict=True):
            sample[name] = [_ID_SENTINEL - len(marks) - i for i in range(length)]
            marks.update({value: (name, i) for i, value in enumerate(sample[name])})
        query = self.build(**sample).using(alias).query
        if query.select_related:
            raise ValueError(f"{self.model.__name__}: raw() cannot fill the models a select_related joins in")
        sql, params = query.get_compiler(using=alias).as_sql()
        constants = list(params)
        slots = [marks.get(value) if isinstance(value, int | str) else None for value in constants]
        if {slot for slot in slots if slot} != set(marks.values()):
            # The builder transformed a value (or dropped it): swapping sentinels would run the wrong query.
            raise ValueError(f"{self.model.__name__}: every parameter must reach the SQL as given")
        found = (sql, constants, slots)
        if len(self._shapes) < _MAX_SHAPES:
            self._shapes[key] = found
        return found

    def _sql(self, values: dict) -> tuple[str, str, list] | None:
        lists = {name: [pk for pk in values[name] if _MIN_ID <= pk <= _MAX_ID] for name in self.lists}
        if not all(lists.values()) or not all(_MIN_ID <= values[name] <= _MAX_ID for name in self.ids):
            return None
        alias = router.db_for_read(self.model)
        sql, constants, slots = self._shape(alias, tuple(len(lists[name]) for name in self.lists))
        values = {**values, **lists}
        params = [
            constant if slot is None else values[slot[0]] if slot[1] is None else values[slot[0]][slot[1]]
            for constant, slot in zip(constants, slots, strict=True)
        ]
        return alias, sql, params

    def objects(self, **values) -> list:
        """The model instances the queryset would give (it must not be a `values()` query)."""
        compiled = self._sql(values)
        if compiled is None:
            return []
        alias, sql, params = compiled
        return list(self.model._default_manager.db_manager(alias).raw(sql, params))

    def rows(self, **values) -> list[tuple]:
        """The raw rows of a `values_list()` query: for ids and other values no converter changes."""
        compiled = self._sql(values)
        if compiled is None:
            return []
        alias, sql, params = compiled
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
