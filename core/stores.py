"""Stores that several app servers may share: how a Redis store's URL looks, and how long a
worker waits for Redis before doing without it.

The page cache (``CPT_PAGE_CACHE``, :mod:`core.page_cache`) and the sign-in counters
(``CPT_RATELIMIT_STORAGE_URI``, :mod:`core.auth.throttle`) may each live in Redis. Neither
needs Redis to answer: a page is rendered afresh, and sign-ins are counted in the worker,
until it is back. Nothing here imports the ``redis`` client.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

#: The schemes of a Redis URL: ``redis://`` and, over TLS, ``rediss://``.
REDIS_SCHEMES = ("redis", "rediss")
#: Seconds a worker waits for Redis to connect, or to answer, before doing without it.
REDIS_WAIT_SECONDS = 0.5
#: Options for the ``redis`` client of a shared store.
REDIS_CLIENT_OPTIONS: dict[str, Any] = {"socket_connect_timeout": REDIS_WAIT_SECONDS,
                                        "socket_timeout": REDIS_WAIT_SECONDS}

#: A database number after the host, if any.
_DATABASE = re.compile(r"(/\d*)?")
#: A URL's password.
_PASSWORD = re.compile(r"(//[^/@]*?:)[^/@]*@")


def is_redis_url(value: str) -> bool:
    """Whether ``value`` is ``redis://[:password@]host[:port][/db]`` (or ``rediss://``)."""
    parts = urlsplit(value)
    try:
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number)
    except ValueError:
        return False
    return (parts.scheme in REDIS_SCHEMES and bool(parts.hostname)
            and _DATABASE.fullmatch(parts.path) is not None)


def without_password(url: str) -> str:
    """``url`` with its password, if any, replaced by ``***``: fit for an error or a log."""
    return _PASSWORD.sub(r"\1***@", url)
