"""Whole-page cache of article pages for anonymous readers, on the cache alias "pages".

A cached page is served only when it cannot differ from what the view would render now: the
key holds the page's path and its variant (the comment page), and the value records the site
version (replaced by any editorial change), the path's version (replaced by any change to what
that page alone shows, such as its comments) and the date (the APA retrieval date is today).

Versions are replaced whatever the write: `watch()` connects one set of receivers to the models
each app registers, so saves, deletes (the admin's bulk delete and cascades included),
many-to-many changes and deletions that set a foreign key to NULL all reach them; a queryset's
update() sends no signal, so its caller calls `changed()`.

A shared page holds nothing of any one reader's: the same bytes for everyone, so a CDN or Varnish
in front of the site can keep it too (healthsite/cdn.py: its headers, its compressed forms, purges).
A form on it asks for its per-reader values (the CSRF token, the form time) when the reader starts
writing. The page is kept with its gzip and Brotli forms, compressed once when it is stored.
"""

import hashlib
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ObjectDoesNotExist
from django.db import models, router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from . import cdn, ids

# Pages churn; counters and sessions must not be evicted by them, so pages have a cache of their own.
ALIAS = "pages"
# Pages this process stored or fetched last, checked against the shared versions on every request.
LOCAL_MAX_BYTES = 64 * 1024 * 1024
_local: OrderedDict = OrderedDict()
_local_bytes = 0
_local_lock = threading.Lock()
_SITE_KEY = "pagecache:site"


def _cache():
    return caches[ALIAS]


def _path_key(path: str) -> str:
    return "pagecache:path:" + hashlib.sha1(path.encode()).hexdigest()


def _page_key(path: str, variant: str) -> str:
    return f"pagecache:page:{hashlib.sha1(path.encode()).hexdigest()}:{variant}"


def personal(request) -> bool:
    """Return True if the reader has anything of their own on a page: an account, session state, queued messages."""
    return (
        "messages" in request.COOKIES
        or request.user.is_authenticated
        or not request.session.is_empty()  # own pending comments, crisis help, reported comments
    )


def cacheable(request) -> bool:
    """Return True if the request may share a cached page: an anonymous reader with nothing of their own."""
    return settings.PAGE_CACHE_SECONDS > 0 and request.method in ("GET", "HEAD") and not personal(request)


def _stamp(path: str) -> tuple | None:
    """Return what a page of `path` records to be current: the site's and the path's versions, and today."""
    versions = _versions([_SITE_KEY, _path_key(path)])
    return None if versions is None else (*versions, cdn.today().isoformat())


def lookup(request, *, variant: str) -> tuple[cdn.Page | None, tuple | None]:
    """Return (the cached page of this path and variant, or None; the current stamp, or None if the cache is down).

    The stamp is read before any rendering, so a page rendered while what it shows changes is
    stored under the old stamp and never served as current. Each process keeps the pages it
    served last in memory, so a hit costs no round trip on Redis: the versions are kept in the
    process too, until Redis announces a change (`_versions`).
    """
    page_key = _page_key(request.path, variant)
    stamp = _stamp(request.path)
    if stamp is None:  # the page cache is down: nothing could tell a stale page, so cache nothing
        return None, None
    entry = _local.get(page_key)
    if entry is None or entry[0] != stamp:
        entry = _cache().get(page_key)
        if entry is None or entry[0] != stamp or not isinstance(entry[1], cdn.Page):
            return None, stamp
        _keep_local(page_key, entry)
    return entry[1], stamp


def _versions(keys: list[str]) -> list[str] | None:
    """Return the current versions, starting any that are missing (first use, eviction, a Redis restart).

    On Redis they are read through its client tracking (healthsite/cache.py: `get_many_tracked`):
    kept in this process until Redis announces a change, so a hit costs no round trip, and the
    first request after a change's commit, in any process, reads the new version.
    """
    store = _cache()
    found = getattr(store, "get_many_tracked", store.get_many)(keys)
    for key in keys:
        if key not in found:
            store.add(key, _new_version(), None)
            found[key] = store.get(key)
            if found[key] is None:
                return None
    return [found[key] for key in keys]


def _new_version() -> str:
    # A version is a random value, not a count: a lost or restarted one can never come back to a
    # value some page recorded, and replacing it is a single write, with nothing to make atomic.
    return secrets.token_hex(8)


def keep(request, page: cdn.Page, *, stamp: tuple, variant: str) -> bool:
    """Keep a freshly rendered shared page for the next readers; return False if it is stale already.

    What it shows changed while it was rendered when the stamp moved meanwhile: it is then kept by
    nobody, neither here nor by a shared cache in front of the site, which was purged before it came.
    """
    entry = (stamp, page)
    key = _page_key(request.path, variant)
    _cache().set(key, entry, settings.PAGE_CACHE_SECONDS)
    if _stamp(request.path) != stamp:
        return False
    _keep_local(key, entry)
    return True


def _keep_local(key: str, entry: tuple) -> None:
    global _local_bytes
    with _local_lock:
        old = _local.pop(key, None)
        if old is not None:
            _local_bytes -= old[1].size
        _local[key] = entry
        _local_bytes += entry[1].size
        while _local_bytes > LOCAL_MAX_BYTES and len(_local) > 1:
            _, dropped = _local.popitem(last=False)
            _local_bytes -= dropped[1].size


def forget_local() -> None:
    """Drop this process's copies (tests start from nothing)."""
    global _local_bytes
    with _local_lock:
        _local.clear()
        _local_bytes = 0


# The page view's side: which pages are shared, and the per-reader values inside them.

_variant_keys: set[str] = set()


def share_variants(key: str) -> None:
    """Let `?<key>=<number>` name a shared variant of a cached page (an app's own pagination).

    Any other query makes a page personal: rendered for its reader, kept for nobody, so fresh
    query values can never flood the cache.
    """
    _variant_keys.add(key)


def _shared_variant(request) -> str | None:
    """Return the variant of the page asked for if every anonymous reader gets the same bytes, else None."""
    if not cacheable(request):
        return None
    query = request.GET
    if not query:
        return ""
    [(key, values)] = query.lists() if len(query) == 1 else [(None, [])]
    number = ids.parse(values[0]) if key in _variant_keys and len(values) == 1 else None
    # ?page=1 is the page itself: one entry, not two.
    return None if number is None else ("" if number == 1 else f"{key}={number}")


def is_shared(request) -> bool:
    """Return True while rendering a page for every anonymous reader: nothing of this reader's may go in it."""
    return getattr(request, "_pagecache_shared", False)


def unshare(request) -> None:
    """Keep the page being rendered for this reader only (e.g. it asked for a page past the last one)."""
    request._pagecache_shared = False


def surrogate_key(path: str) -> str:
    """Return the surrogate key of the page at `path` (purged with its version)."""
    return _surrogate(_path_key(path))


class CachedPageMixin:
    """A detail view whose anonymous readers get the shared page: from this cache, and from any in front.

    Only the object's own address is kept (with a registered variant such as a comment page);
    any other query, a logged-in reader, or anything of the reader's own in the session renders
    the page for that reader alone, marked private. `surrogate_keys()` names what the page shows.
    """

    def surrogate_keys(self) -> list[str]:
        return []

    def get(self, request, *args, **kwargs):
        variant = _shared_variant(request)
        if variant is None:
            return _private(super().get(request, *args, **kwargs))
        page, stamp = lookup(request, variant=variant)
        if page is not None:
            return _shared(request, page.respond(request, hit=True))
        request._pagecache_shared = True
        response = super().get(request, *args, **kwargs).render()
        shared = (stamp is not None and is_shared(request) and response.status_code == 200
                  and request.path == self.object.get_absolute_url())
        request._pagecache_shared = False
        if not shared:
            return _private(response)
        page = cdn.Page.make(response, [cdn.SITE_KEY, surrogate_key(request.path), *self.surrogate_keys()])
        if not keep(request, page, stamp=stamp, variant=variant):
            return _private(response)
        return _shared(request, page.respond(request, hit=False))


def _private(response):
    """Mark a page rendered for one reader: no shared cache may keep it."""
    if "Cache-Control" not in response:
        response["Cache-Control"] = "private"
    return response


def _shared(request, response):
    # The session was read only to find it empty: the page is the same whatever cookie came with it.
    request.session.accessed = False
    return response


# Invalidation: the one place that sees every write.

# model -> the foreign key to its page, a function that finds its pages, or None: every page
_watched: dict[type, models.ForeignKey | Callable | None] = {}
_unshown: dict[type, frozenset] = {}  # model -> fields no page shows: a save of only these replaces nothing
_deletion = threading.local()


def watch(model, *, page: str | None = None, pages: Callable | None = None, unshown: tuple[str, ...] = ()) -> None:
    """Replace the cached pages that show `model` whenever one of its instances changes, by any path.

    Saves, deletes (an instance, a queryset, the admin's bulk delete, cascades), many-to-many
    changes from either side, and the deletion of a row that one of its foreign keys points to
    with SET_NULL (a user's deletion leaves their comments without a user) are all seen. `page`
    names the foreign key to the object whose page shows an instance (a comment shows on its
    article's page): only that page is replaced. `pages` is for a model shown through others (a
    poster's name on the pages they commented on): a function of a list of instances that returns
    the addresses of the pages showing them. With neither, every page is replaced. `unshown` names fields
    no page shows: a save with `update_fields` among them only replaces nothing (a user's
    `last_login`, saved at every login). A queryset's update() sends no signal: call `changed()` after it.
    """
    _watched[model] = model._meta.get_field(page) if page else pages
    _unshown[model] = frozenset(unshown)
    uid = f"pagecache:{model._meta.label}"
    post_save.connect(_saved, sender=model, dispatch_uid=uid)
    post_delete.connect(_deleted, sender=model, dispatch_uid=uid)
    for field in model._meta.get_fields():
        if field.many_to_many:
            through = field.remote_field.through if field.concrete else field.through
            m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"pagecache:{through._meta.label}")
        elif field.concrete and field.many_to_one and field.remote_field.on_delete not in (
                models.CASCADE, models.PROTECT, models.RESTRICT, models.DO_NOTHING):
            # SET_NULL, SET_DEFAULT, SET(): the row changes in an update() that sends no signal.
            pre_delete.connect(_referenced_deleted(model, field), sender=field.related_model, weak=False,
                               dispatch_uid=f"pagecache:{model._meta.label}.{field.name}")


def changed(instance) -> None:
    """Replace the cached pages that show `instance` (after a queryset's update() changed it).

    Given a model instead, replace every page that shows any of its rows (after a bulk rewrite).
    """
    if isinstance(instance, type):
        _replace({_SITE_KEY} if instance in _watched else set(), router.db_for_write(instance))
    else:
        _replace(_keys(type(instance), [instance], {}), instance._state.db or router.db_for_write(type(instance)),
                 _named(type(instance), [instance]))


def _saved(sender, instance, using, update_fields=None, **kwargs):
    if update_fields and update_fields <= _unshown.get(sender, frozenset()):
        return
    _replace(_keys(sender, [instance], {}), using, _named(sender, [instance]))


def _deleted(sender, instance, using, origin=None, **kwargs):
    if not _covered(sender, origin):
        memo = _memo(origin)
        _replace_once(memo, _keys(sender, [instance], memo.urls), using, _named(sender, [instance]))


def _m2m_changed(sender, instance, action, model, pk_set, using, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    keys, named = _keys(type(instance), [instance], {}), _named(type(instance), [instance])
    if model in _watched:  # the other side: the objects added or removed, or all of them on a clear
        others = model._base_manager.using(using).filter(pk__in=pk_set) if pk_set is not None else None
        keys |= _keys(model, others, {}) if others is not None else {_SITE_KEY}
        named |= _named(model, others) if others is not None else set()
    _replace(keys, using, named)


def _referenced_deleted(model, field):
    def receiver(sender, instance, using, origin=None, **kwargs):
        if _covered(model, origin):
            return
        memo = _memo(origin)
        referencing = model._base_manager.using(using).filter(**{field.name: instance})
        page = _watched[model]
        if page is None:
            keys = {_SITE_KEY} if referencing.exists() else set()
        else:
            if isinstance(page, models.Field):
                referencing = referencing.select_related(page.name)
            keys = _keys(model, referencing, memo.urls)
        _replace_once(memo, keys, using)

    return receiver


def _covered(model, origin) -> bool:
    """Return True if the deletion's origin replaces every page itself, so `model`'s part needs nothing."""
    origin_model = origin.model if isinstance(origin, models.QuerySet) else type(origin)
    return _watched.get(model) is not None and origin_model in _watched and _watched[origin_model] is None


def _memo(origin):
    """Return what this deletion (one origin: its cascades and bulk rows) has replaced and looked up so far."""
    if origin is None or getattr(_deletion, "origin", None) is not origin:
        _deletion.origin, _deletion.urls, _deletion.keys = origin, {}, set()
    return _deletion


def _replace_once(memo, keys: set[str], using: str, named: set[str] = frozenset()) -> None:
    """Replace the versions this deletion has not replaced yet, and purge the keys it has not purged."""
    _replace(keys - memo.keys, using, named - memo.keys)
    memo.keys |= keys | named


def _keys(model, instances, urls: dict) -> set[str]:
    """Return the version keys of the pages that show `instances`; `urls` remembers pages looked up."""
    if model not in _watched:
        return set()
    page = _watched[model]
    if page is None:
        return {_SITE_KEY}
    if not isinstance(page, models.Field):
        return {_path_key(url) for url in page(list(instances))}
    keys = set()
    for instance in instances:
        pk = getattr(instance, page.attname)
        if pk is None:
            continue
        if (page.related_model, pk) not in urls:
            try:
                urls[page.related_model, pk] = getattr(instance, page.name).get_absolute_url()
            except ObjectDoesNotExist:  # gone in the same transaction, unseen: replace everything
                urls[page.related_model, pk] = None
        url = urls[page.related_model, pk]
        keys.add(_path_key(url) if url is not None else _SITE_KEY)
    return keys


def _replace(keys: set[str], using: str, named: set[str] = frozenset()) -> None:
    """Give these versions new values now, and again when the transaction commits; then purge shared caches.

    Until the commit, other readers still see the old rows and may store pages made from them
    under the new versions; the second replacement drops those pages. A shared cache in front is
    purged of the same pages after that (by their surrogate keys, and those in `named`), in one
    request for the whole atomic block (`_Batch`).
    """
    if not keys and not named:
        return
    _set_new_versions(keys)
    purged = {_surrogate(key) for key in keys} | named
    if transaction.get_connection(using).in_atomic_block:
        _Batch.of(using).add(keys, purged, using)
    else:
        cdn.purge(purged)


class _Batch:
    """What one atomic block replaced: replaced again, and purged in one request, when it commits.

    Each replacement registers the batch's commit hook (so a savepoint rolled back drops only its
    own); the first of them to run does it all, since every replacement came before the commit.
    """

    def __init__(self):
        self.keys, self.purged = set(), set()

    @classmethod
    def of(cls, using: str) -> "_Batch":
        """Return the batch of the atomic block open on `using`, a new one if its hooks are gone (a rollback)."""
        connection = transaction.get_connection(using)
        batches = connection.__dict__.setdefault("_pagecache_batches", {})
        block = tuple(connection.savepoint_ids)
        # The transaction's hooks, as Django keeps them until the commit (a rollback drops them).
        live = [hook for _, hook, _ in connection.run_on_commit if isinstance(getattr(hook, "__self__", None), cls)]
        if block not in batches or batches[block].committed not in live:
            for done in [key for key, batch in batches.items() if batch.committed not in live]:
                del batches[done]
            batches[block] = cls()
        return batches[block]

    def add(self, keys: set[str], purged: set[str], using: str) -> None:
        self.keys |= keys
        self.purged |= purged
        transaction.on_commit(self.committed, using=using, robust=True)

    def committed(self) -> None:
        keys, purged = self.keys, self.purged
        self.keys, self.purged = set(), set()
        if keys or purged:
            _set_new_versions(keys)
            cdn.purge(purged)


def _surrogate(version_key: str) -> str:
    """Return the surrogate key of the pages a version key stands for."""
    return cdn.SITE_KEY if version_key == _SITE_KEY else "page-" + version_key.rpartition(":")[2][:16]


def _named(model, instances) -> set[str]:
    """Return the surrogate keys naming these instances (a comment: its article), e.g. "article-12"."""
    page = _watched.get(model)
    if isinstance(page, models.Field):
        model, field = page.related_model, page.attname
    else:
        field = "pk"
    return {f"{model._meta.model_name}-{pk}" for pk in (getattr(instance, field) for instance in instances)
            if pk is not None}


def _set_new_versions(keys) -> None:
    store = _cache()
    for key in keys:
        store.set(key, _new_version(), None)
