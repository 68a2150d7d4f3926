"""Parallel password guesses: many threads at once against a password check as slow as a real hasher."""

import threading
import time
from unittest import mock

from django.db import connections


def parallel_guesses(count: int, guess, *, authenticate: str) -> list[dict]:
    """Run `guess(barrier)` in `count` threads, the check at `authenticate` slow and always wrong.

    Each guess waits at the barrier, so all overlap. Return the credentials that reached the check.
    """
    checked = []
    barrier = threading.Barrier(count)

    def wrong(request=None, **credentials):
        checked.append(credentials)
        time.sleep(0.02)  # a real hasher takes this long: every guess overlaps the others
        return None

    def run():
        try:
            guess(barrier)
        finally:
            connections.close_all()  # this thread's own connections, or the test database cannot be dropped

    with mock.patch(authenticate, wrong):
        threads = [threading.Thread(target=run) for _ in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return checked
