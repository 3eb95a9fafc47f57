"""The per-process cache of fragments and pages, without pickling.

Django's local-memory cache pickles every value on the way in and unpickles it on the way out, so
each reader gets a private copy. That is what a cache shared with code that mutates its results
needs, but our hot cache holds rendered HTML, whole responses, and a few lists and model instances
that are read, never changed (a listing's (id, date) order, the language's sections); unpickling
them cost more than rendering what they save (bench/RESULTS.md, "Design measurements"). This backend
keeps the objects themselves.

Rule for callers: treat what `hot_cache().get()` returns (and what `versioned()` returns) as
read-only. Keys carry the public version (see signals.py), so a publish never shows stale values.
"""

from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache

_MISSING = object()


class HotCache(LocMemCache):
    """LocMemCache (same expiry, culling and locking) that stores the objects, not pickles."""

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._set(key, value, timeout)
                return True
            return False

    @contextmanager
    def hold(self, entries):
        """Keep at least `entries` values (not the configured maximum) until the block ends: a
        bake shares fragments between thousands of pages."""
        with self._lock:
            before = self._max_entries
            self._max_entries = max(before, entries)
        try:
            yield
        finally:
            with self._lock:
                self._max_entries = before

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._delete(key)
                return default
            value = self._cache[key]
            self._cache.move_to_end(key, last=False)
        return value

    def get_many(self, keys, version=None):
        found = {}
        for key in keys:
            value = self.get(key, _MISSING, version=version)
            if value is not _MISSING:
                found[key] = value
        return found

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            self._set(key, value, timeout)

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._delete(key)
                raise ValueError(f"Key '{key}' not found")
            value = self._cache[key] + delta
            self._cache[key] = value
            self._cache.move_to_end(key, last=False)
        return value
