"""The one counter helper: atomic, expiring with its window, on local memory and on Redis."""

import datetime
import threading

from healthsite import counters
from healthsite.cache import ResilientRedisCache
from tests.conftest import REDIS_URL


def test_hit_counts_and_count_reads_without_counting():
    assert [counters.hit("k", window=60) for _ in range(3)] == [1, 2, 3]
    assert counters.count("k") == 3
    assert counters.count("other") == 0


def test_undo_takes_an_event_back():
    counters.hit("k", window=60)
    counters.hit("k", window=60)
    counters.undo("k")
    assert counters.count("k") == 1
    counters.undo("missing")  # nothing to take back: no error
    assert counters.count("missing") == 0


def test_a_counter_ends_with_its_window(time_machine):
    time_machine.move_to(datetime.datetime(2026, 5, 1, 12, 0, tzinfo=datetime.UTC), tick=False)
    counters.hit("k", window=60)
    time_machine.shift(59)
    assert counters.hit("k", window=60) == 2  # the window runs from the first event
    time_machine.shift(2)
    assert counters.hit("k", window=60) == 1


def test_parallel_hits_on_redis_are_all_counted(on_redis):
    assert isinstance(on_redis, ResilientRedisCache)
    barrier = threading.Barrier(40)
    results = []

    def one():
        barrier.wait()
        results.append(counters.hit("burst", window=60))

    threads = [threading.Thread(target=one) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == list(range(1, 41))


def test_a_redis_counter_expires_with_its_window_even_when_counted_again(on_redis):
    import redis

    counters.hit("ttl", window=30)
    counters.hit("ttl", window=30)
    key = on_redis.make_and_validate_key("ttl")
    ttl = redis.Redis.from_url(REDIS_URL).ttl(key)
    assert 0 < ttl <= 30
    assert counters.count("ttl") == 2
