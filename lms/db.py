"""Database housekeeping the apps share."""

from __future__ import annotations

from django.db import connection


def analyze_tables(*models) -> None:
    """Refresh PostgreSQL's statistics of the tables behind `models` after a bulk load.

    Until autovacuum gets round to it (minutes, or never when it is switched off), the planner guesses
    a handful of rows in a table that just received thousands and picks plans for that. ANALYZE reads a
    sample, so it is quick even on large tables. SQLite has no such statistics to refresh: nothing to do.
    """
    if connection.vendor != "postgresql" or not models:
        return
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
