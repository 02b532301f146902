"""WSGI entry point for the placement-sim test service.

It serves the unmodified Placement application and adds one endpoint,
``POST /_placement_sim/reset``, which empties the database back to the state
of a freshly started service without restarting uwsgi.

Why no cache invalidation is needed: in this Placement release the resource
class, trait and consumer type caches (placement/attribute_cache.py) are
attributes of ``placement.context.RequestContext``, which is built anew for
every request, so nothing read from the data tables survives a request.  The
only process-wide flags (``_TRAITS_SYNCED``, ``_RESOURCE_CLASSES_SYNCED``)
guard the insertion of the *standard* traits and resource classes, and the
reset keeps exactly those rows.  Every response carries the worker pid in
``X-Placement-Sim-Worker`` so tests can prove that each worker process sees
the reset.

The endpoint sits outside Placement's auth middleware; the service only ever
listens on loopback.
"""

import json
import logging
import os
import time

import os_traits
from placement import db_api
from placement.objects import resource_class
from placement.wsgi import init_application

RESET_PATH = '/_placement_sim/reset'
WORKER_HEADER = 'X-Placement-Sim-Worker'

# Placement numbers custom resource classes from this id upwards; standard
# ones are below it.
MIN_CUSTOM_RESOURCE_CLASS_ID = (
    resource_class.ResourceClass.MIN_CUSTOM_RESOURCE_CLASS_ID)

# Tables that are empty on a fresh database, children before parents.
DATA_TABLES = (
    'allocations',
    'inventories',
    'resource_provider_traits',
    'resource_provider_aggregates',
    'consumers',
    'consumer_types',
    'resource_providers',
    'placement_aggregates',
    'projects',
    'users',
)

# Other workers still serving a request (for example one the client gave up
# on) would race with the reset, so wait this long for them to finish.
QUIESCENCE_TIMEOUT_SECONDS = 10.0

DELETE_CUSTOM_ROWS = (
    'DELETE FROM resource_classes WHERE id >= %d'
    % MIN_CUSTOM_RESOURCE_CLASS_ID,
    # Only CUSTOM_ traits can be created through the API; standard traits
    # are inserted once at service start and must keep their ids.
    "DELETE FROM traits WHERE substr(name, 1, %d) = '%s'"
    % (len(os_traits.CUSTOM_NAMESPACE), os_traits.CUSTOM_NAMESPACE),
)


def _reset_sqlite(connection):
    # The tables have no AUTOINCREMENT keyword, so SQLite hands out
    # max(rowid) + 1: emptying a table restarts its ids at 1.
    for table in DATA_TABLES:
        connection.exec_driver_sql('DELETE FROM %s' % table)
    for statement in DELETE_CUSTOM_ROWS:
        connection.exec_driver_sql(statement)


def _reset_mysql(connection):
    # InnoDB keeps its auto-increment counter after DELETE, so counters are
    # rewound explicitly; AUTO_INCREMENT = 1 means "max(id) + 1". Each ALTER
    # costs a few milliseconds, so only tables whose counter moved get one.
    # Checks are off because resource_providers references itself.
    connection.exec_driver_sql('SET SESSION FOREIGN_KEY_CHECKS = 0')
    try:
        for table in DATA_TABLES:
            connection.exec_driver_sql('DELETE FROM %s' % table)
        for statement in DELETE_CUSTOM_ROWS:
            connection.exec_driver_sql(statement)
        for table in _moved_mysql_counters(connection):
            connection.exec_driver_sql(
                'ALTER TABLE %s AUTO_INCREMENT = 1' % table)
    finally:
        connection.exec_driver_sql('SET SESSION FOREIGN_KEY_CHECKS = 1')


def _moved_mysql_counters(connection):
    """Tables whose next id differs from the one on a fresh database."""
    counters = dict(connection.exec_driver_sql(
        'SELECT table_name, auto_increment FROM information_schema.tables '
        'WHERE table_schema = DATABASE()').fetchall())
    fresh = {table: 1 for table in DATA_TABLES
             if counters.get(table) is not None}
    fresh['traits'] = connection.exec_driver_sql(
        'SELECT max(id) + 1 FROM traits').scalar()
    return [table for table, next_id in fresh.items()
            if counters.get(table) != next_id]


def _reset_postgresql(connection):
    # RESTART IDENTITY rewinds the id sequences as on a fresh database.
    connection.exec_driver_sql(
        'TRUNCATE %s RESTART IDENTITY' % ', '.join(DATA_TABLES))
    for statement in DELETE_CUSTOM_ROWS:
        connection.exec_driver_sql(statement)
    # The next custom trait must get max(id) + 1, as on a fresh database.
    connection.exec_driver_sql(
        "SELECT setval(pg_get_serial_sequence('traits', 'id'), "
        "(SELECT max(id) FROM traits))")


RESETTERS = {
    'sqlite': _reset_sqlite,
    'mysql': _reset_mysql,
    'postgresql': _reset_postgresql,
}


def _busy_other_workers():
    """Pids of other uwsgi workers that are in the middle of a request."""
    try:
        import uwsgi
    except ImportError:
        return []
    own_pid = os.getpid()
    return [worker['pid'] for worker in uwsgi.workers()
            if worker['pid'] != own_pid and worker['status'] == 'busy']


def _wait_for_quiescence():
    deadline = time.monotonic() + QUIESCENCE_TIMEOUT_SECONDS
    busy = _busy_other_workers()
    while busy and time.monotonic() < deadline:
        time.sleep(0.005)
        busy = _busy_other_workers()
    return busy


def reset_database():
    engine = db_api.get_placement_engine()
    resetter = RESETTERS[engine.dialect.name]
    with engine.begin() as connection:
        resetter(connection)


def _json_response(start_response, status, document):
    body = json.dumps(document).encode('utf-8')
    start_response(status, [
        ('Content-Type', 'application/json'),
        ('Content-Length', str(len(body))),
        (WORKER_HEADER, str(os.getpid())),
    ])
    return [body]


def _handle_reset(environ, start_response):
    if environ.get('REQUEST_METHOD') != 'POST':
        return _json_response(start_response, '405 Method Not Allowed',
                              {'error': 'use POST'})
    started = time.monotonic()
    busy = _wait_for_quiescence()
    if busy:
        return _json_response(start_response, '409 Conflict', {
            'error': 'workers still busy after %.0f s' %
                     QUIESCENCE_TIMEOUT_SECONDS,
            'busy_worker_pids': busy,
        })
    reset_database()
    return _json_response(start_response, '200 OK', {
        'reset': True,
        'elapsed_ms': round((time.monotonic() - started) * 1000, 3),
    })


placement_application = init_application()

# One INFO line per request would grow the log by megabytes per test run.
if os.environ.get('PLACEMENT_SIM_REQUEST_LOG') != '1':
    logging.getLogger('placement.requestlog').setLevel(logging.WARNING)


def application(environ, start_response):
    if environ.get('PATH_INFO') == RESET_PATH:
        return _handle_reset(environ, start_response)
    worker = str(os.getpid())

    def start_response_with_worker(status, headers, exc_info=None):
        headers.append((WORKER_HEADER, worker))
        return start_response(status, headers, exc_info)

    return placement_application(environ, start_response_with_worker)
