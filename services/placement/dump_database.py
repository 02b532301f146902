"""Print every Placement table as JSON, for comparing database states in tests.

Usage: python3 dump_database.py STATE_DIR

Rows are ordered by primary key and include ids, so two dumps are equal only
if the same rows got the same ids. Timestamps are left out because they
differ between otherwise identical runs.
"""

import configparser
import json
import os
import sys

import sqlalchemy as sa

IGNORED_COLUMNS = {'created_at', 'updated_at'}
IGNORED_TABLES = {'alembic_version'}


def connection_url(state_directory):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(os.path.join(state_directory, 'placement.conf'))
    return parser['placement_database']['connection']


def dump(state_directory):
    engine = sa.create_engine(connection_url(state_directory))
    metadata = sa.MetaData()
    metadata.reflect(bind=engine)
    tables = {}
    with engine.connect() as connection:
        for name in sorted(metadata.tables):
            if name in IGNORED_TABLES:
                continue
            table = metadata.tables[name]
            columns = [column for column in table.columns
                       if column.name not in IGNORED_COLUMNS]
            order = list(table.primary_key.columns) or columns
            rows = connection.execute(
                sa.select(*columns).order_by(*order)).fetchall()
            tables[name] = [list(row) for row in rows]
    engine.dispose()
    return tables


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    json.dump(dump(sys.argv[1]), sys.stdout, default=str)
