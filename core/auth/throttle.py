"""Failed sign-ins slowed down by where they come from, never by locking the account.

Two limits apply to failed sign-ins (a successful one never counts), with Flask-Limiter:

- per client address (``SIGN_IN_LIMIT_PER_ADDRESS``, default 20 in 10 minutes), so that
  guesses spread over many accounts from one address are slowed;
- per account and address (``SIGN_IN_LIMIT_PER_ACCOUNT``, default 5 in 10 minutes), so that
  guesses at one account are slowed sooner.

Asking for a password reset link is limited the same way (every request counts, as the
answer never says whether an account exists: :mod:`core.auth.password_reset`). Nothing is
counted against the account alone, so nobody can lock an administrator out from
elsewhere. The answer is the same whether the address is known or not. The counters live in
``RATELIMIT_STORAGE_URI`` (env ``CPT_RATELIMIT_STORAGE_URI``): ``memory://`` (the default)
for one process, ``redis://host:6379/1`` for several workers or servers (docs/deploy.md;
Flask-Limiter's ``limits`` then loads the ``redis`` client). While Redis cannot be reached,
each worker counts in its own memory, and Redis is tried again now and then. Behind a proxy,
the client address is the one the proxy passes on (see ``CPT_PROXIES``).

Flask-Limiter hooks itself into every request of the app (before, after and at the end),
to apply app-wide limits this project does not set: about 85 µs of every request, a fifth
of a kept page's. The limited views check their limits themselves (Flask-Limiter's
decorators do), so the hooks it adds are made to run for those views' requests only
(:func:`_only_for_limited`); what a limited view does and answers is unchanged. A
deployment that sets an app-wide limit (``RATELIMIT_DEFAULT``, ``RATELIMIT_APPLICATION``,
``RATELIMIT_META`` or ``RATELIMIT_IN_MEMORY_FALLBACK``) keeps the hooks on every request, as
that limit needs. Views are limited through :func:`limit_sign_in` only, which names them to
the hooks; a ``limiter.limit`` made elsewhere would not be.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response, request, session
from flask_limiter import Limiter, RequestLimit
from flask_limiter.constants import ConfigVars
from flask_limiter.util import get_remote_address

from core import kept_answers
from core.auth.services import normalise_email
from core.auth.sessions import PENDING
from core.stores import REDIS_CLIENT_OPTIONS, is_redis_url

#: An app's limiter, in ``app.extensions``.
EXTENSION = "cpt_limiter"
#: The endpoints an app limits (a set), in ``app.extensions``.
LIMITED = "cpt_limited_endpoints"
#: Flask-Limiter's settings of limits on every request (none by default): a deployment that
#: sets one keeps the limiter's hooks on every request.
APP_WIDE_LIMITS = (ConfigVars.DEFAULT_LIMITS, ConfigVars.APPLICATION_LIMITS,
                   ConfigVars.META_LIMITS, ConfigVars.IN_MEMORY_FALLBACK)
#: The app's per-request hook registries, in the order a request runs them.
_HOOKS = ("before_request_funcs", "after_request_funcs", "teardown_request_funcs")


def account_and_address() -> str:
    """The key of the per-account limit: the address and the (normalised) email given, or
    the account waiting for its second factor."""
    account = normalise_email(request.form.get("email", "")) or str(
        session.get(PENDING, {}).get("user", "")).partition(":")[0]
    return f"{get_remote_address()}|{account}"


def failed(response: Response) -> bool:
    """A sign-in counts against the limits only when it fails (a success redirects)."""
    return response.status_code != 302


def minutes_to_wait(limit: RequestLimit) -> int:
    """Whole minutes until ``limit`` lets another attempt through: at least one, and never
    more than the limit's own window (the store rounds its reset time up)."""
    seconds = min(limit.reset_at - time.time(), limit.limit.get_expiry())
    return max(1, math.ceil(seconds / 60))


def _limiter(app: Flask) -> Limiter:
    """The app's limiter, made on first use."""
    limiter = app.extensions.get(EXTENSION)
    if limiter is None:
        app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
        if is_redis_url(app.config["RATELIMIT_STORAGE_URI"]):
            # While Redis cannot be reached, each worker counts in its own memory.
            app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
            app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", dict(REDIS_CLIENT_OPTIONS))
        before = {name: list(getattr(app, name).get(None, ())) for name in _HOOKS}
        limiter = Limiter(get_remote_address, app=app, key_prefix="cpt-sign-in",
                          headers_enabled=True, retry_after="delta-seconds")
        app.extensions[EXTENSION] = limiter
        limited = app.extensions.setdefault(LIMITED, set())
        if not any(app.config.get(name) for name in APP_WIDE_LIMITS):
            _only_for_limited(app, before, limited)
        else:  # every request is counted: none may be answered before Flask
            app.extensions[kept_answers.OFF] = True
    return limiter


def _only_for_limited(app: Flask, before: dict[str, list[Any]], limited: set[str]) -> None:
    """Make each app-wide hook added since ``before`` (the hook registries as they were)
    run only for a request to one of the ``limited`` endpoints (filled as views are
    limited)."""
    for name in _HOOKS:
        hooks = getattr(app, name).get(None, [])
        for index, hook in enumerate(hooks):
            if hook not in before[name]:
                hooks[index] = _scoped(name, hook, limited)


def _scoped(name: str, hook: Callable[..., Any], limited: set[str]) -> Callable[..., Any]:
    """``hook`` (of the registry ``name``), run only when the request's endpoint is one of
    ``limited``; otherwise an after-request hook hands the response on as it is."""
    if name == "after_request_funcs":
        def after(response: Response) -> Response:
            return hook(response) if request.endpoint in limited else response
        return after

    def other(*args: Any) -> Any:
        if request.endpoint in limited:
            return hook(*args)
        return None
    return other


def limit_sign_in(app: Flask, views: Iterable[str],
                  on_breach: Callable[[RequestLimit], Response], *,
                  counts: Callable[[Response], bool] = failed) -> None:
    """Apply both limits to the POSTs of the endpoints ``views`` of ``app``, counting the
    answers that ``counts`` picks (by default, failed sign-ins; asking for a password
    reset link counts every time, as its answer never says whether it worked)."""
    limiter = _limiter(app)
    app.extensions[LIMITED].update(views)
    for view in views:
        function = app.view_functions[view]
        for limit, key in ((app.config["SIGN_IN_LIMIT_PER_ADDRESS"], get_remote_address),
                           (app.config["SIGN_IN_LIMIT_PER_ACCOUNT"], account_and_address)):
            function = limiter.limit(limit, key_func=key, methods=["POST"],
                                     deduct_when=counts, on_breach=on_breach)(function)
        app.view_functions[view] = function


def every_answer(response: Response) -> bool:
    """Every answer counts against the limits."""
    return True
