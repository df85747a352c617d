"""Reading cache keys ahead for the rest of one request (lms/request_cache.py): one round trip, never carried over."""

from unittest import mock

from django.core.cache import cache

from lms import request_cache


def _in_a_request(fn):
    token = request_cache._store.set({})
    try:
        return fn()
    finally:
        request_cache._store.reset(token)


def test_keys_read_ahead_are_answered_from_that_one_read():
    cache.set_many({"a": 1, "b": 2})

    def page():
        request_cache.read_ahead(["a", "b", "missing"])
        with mock.patch.object(cache, "get_many", wraps=cache.get_many) as asked:
            assert request_cache.get_many(["a", "missing"]) == {"a": 1}
            assert request_cache.found_ahead("b") and not request_cache.found_ahead("missing")
            assert asked.call_count == 0
            # A key not read ahead is asked of the cache, alone.
            cache.set("c", 3)
            assert request_cache.get_many(["b", "c"]) == {"b": 2, "c": 3}
            asked.assert_called_once_with(["c"])

    _in_a_request(page)


def test_a_write_in_the_same_request_is_seen_after_forget_read_ahead():
    cache.set("a", 1)

    def page():
        request_cache.read_ahead(["a"])
        cache.set("a", 2)
        request_cache.forget_read_ahead()
        assert request_cache.get_many(["a"]) == {"a": 2}
        assert not request_cache.found_ahead("a")

    _in_a_request(page)


def test_nothing_is_kept_from_one_request_to_the_next_nor_outside_a_request():
    cache.set("a", 1)
    _in_a_request(lambda: request_cache.read_ahead(["a"]))
    cache.set("a", 2)
    assert _in_a_request(lambda: request_cache.get_many(["a"])) == {"a": 2}
    request_cache.read_ahead(["a"])  # outside a request: nothing read, nothing kept
    cache.set("a", 3)
    assert request_cache.get_many(["a"]) == {"a": 3}
    assert not request_cache.found_ahead("a")
