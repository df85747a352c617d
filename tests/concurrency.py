"""Running real service calls at the same instant, each in its own thread and database connection."""

import threading

from django.db import connection, connections


def all_at_once(workers):
    """Run each callable in its own thread and connection, all released at the same instant.

    Each thread opens its connection before the barrier, so the release is not staggered by connecting.
    Returns what each callable returned or raised, in order.
    """
    barrier = threading.Barrier(len(workers))
    results: list = [None] * len(workers)

    def run(index, work):
        try:
            connection.ensure_connection()
            barrier.wait(timeout=30)
            results[index] = work()
        except Exception as error:  # noqa: BLE001 - the test inspects what each thread ended with
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread is still waiting: deadlock?"
    return results
