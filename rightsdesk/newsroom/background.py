"""Background work: tasks on Django's Tasks API (the django-tasks backport), on the "rightsdesk"
backend (settings.TASKS; RIGHTSDESK_TASKS_BACKEND chooses the database, Redis through RQ, or
"immediate").

An app defines its tasks with `@task()` from this module (the backend set) in its own `tasks.py`,
and enqueues them with `enqueue(the_task, *args)`: in the transaction of the change that needs
them when the backend keeps tasks in that same database (they are committed with the change, or
not at all: a process that exits right after a publish loses nothing), once it has committed
otherwise (a Redis queue would otherwise hand a worker work whose data it cannot see yet).

Tasks must be safe to run twice: a task whose worker died half-way runs again (see
`requeue_abandoned`, called when `rightsdesk worker` starts).
"""

import os
import socket
from functools import partial

from django.db import transaction
from django_tasks import task as _task
from django_tasks import task_backends

BACKEND = "rightsdesk"


def task(**kwargs):
    """Django's @task() on the rightsdesk backend."""
    return _task(backend=BACKEND, **kwargs)


def backend():
    return task_backends[BACKEND]


def in_database():
    """Whether the tasks are rows of the site's own database (the embedded default)."""
    return type(backend()).__module__.startswith("django_tasks_db")


def runs_at_once():
    return type(backend()).__name__ == "ImmediateBackend"


def enqueue(the_task, *args, **kwargs):
    """Enqueue `the_task`: with the current transaction when the tasks live in the same database,
    after it commits otherwise (see the module's docstring)."""
    if in_database():
        return the_task.enqueue(*args, **kwargs)
    transaction.on_commit(partial(the_task.enqueue, *args, **kwargs))
    return None


def worker_id():
    """This worker's name in the task rows: host and process, so that a worker started later on
    the same machine knows which running tasks lost their worker."""
    return f"{socket.gethostname()}:{os.getpid()}"


def requeue_abandoned():
    """Tasks of the database backend left "running" by a worker of this machine that is gone
    (killed, or the machine restarted) are made ready again, to run from the start. Returns how
    many."""
    if not in_database():
        return 0
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    host = socket.gethostname()
    again = 0
    for result in DBTaskResult.objects.filter(backend_name=BACKEND, status=TaskResultStatus.RUNNING):
        last = (result.worker_ids or [""])[-1]
        name, _, pid = last.rpartition(":")
        if name != host or not pid.isdigit() or _alive(int(pid)):
            continue
        result.status = TaskResultStatus.READY
        result.started_at = None
        result.save(update_fields=["status", "started_at"])
        again += 1
    return again


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
