"""Parallel password guesses: many threads at once against a password check as slow as a real hasher."""

import threading
import time
from unittest import mock


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

    with mock.patch(authenticate, wrong):
        threads = [threading.Thread(target=guess, args=(barrier,)) for _ in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return checked
