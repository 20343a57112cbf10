"""Failed sign-ins are slowed per address and per account and address, never by locking the
account, and the answer is the same for known and unknown addresses."""

from __future__ import annotations

import re

from tests.conftest import PASSWORD, sign_in
from tests.core.redis_server import redis_server  # noqa: F401  (a fixture)


def attempt(app, email: str, password: str = "wrong", address: str = "198.51.100.7"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return sign_in(client, email, password)


def test_fifty_guesses_over_ten_accounts_from_one_address_are_slowed(app, make_user) -> None:
    emails = [make_user("viewer", "herefordshire", email=f"clerk{n}@example.org")[1]
              for n in range(10)]
    codes = [attempt(app, emails[n % 10]).status_code for n in range(50)]
    assert codes[:20] == [400] * 20
    assert set(codes[20:]) == {429}
    refused = attempt(app, emails[0], PASSWORD)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert re.search(r"Too many failed sign-ins from your connection\. Try again in "
                     r"(10|[1-9]) minutes?\.", refused.get_data(as_text=True))


def test_nobody_can_lock_an_administrator_out_from_elsewhere(app, make_user) -> None:
    _, email = make_user("site_admin")
    for _ in range(12):
        attempt(app, email, address="203.0.113.9")
    assert attempt(app, email, address="203.0.113.9").status_code == 429
    assert attempt(app, email, PASSWORD, address="192.0.2.44").status_code == 302


def test_one_account_is_slowed_sooner_and_known_or_unknown_alike(app, make_user) -> None:
    _, email = make_user()
    known = [attempt(app, email).status_code for _ in range(6)]
    unknown = [attempt(app, "nobody@example.org").status_code for _ in range(6)]
    assert known == unknown == [400] * 5 + [429]
    assert attempt(app, email, PASSWORD).status_code == 429  # that account, from here
    assert attempt(app, "other@example.org").status_code == 400  # another account: not yet


def test_a_successful_sign_in_does_not_count(app, make_user) -> None:
    _, email = make_user()
    assert all(attempt(app, email, PASSWORD).status_code == 302 for _ in range(21))


def test_behind_a_trusted_proxy_the_forwarded_address_counts(make_app, monkeypatch) -> None:
    monkeypatch.setenv("CPT_PROXIES", "1")
    app = make_app()
    with app.app_context():
        from core.auth.services import create_user

        create_user("clerk@example.org", PASSWORD, site_admin=True)

    def through_proxy(address: str) -> int:
        client = app.test_client()
        client.environ_base.update(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=address)
        return sign_in(client, "clerk@example.org", "wrong").status_code

    assert [through_proxy("198.51.100.1") for _ in range(6)] == [400] * 5 + [429]
    assert through_proxy("198.51.100.2") == 400  # another client behind the same proxy


def test_counted_in_redis_failures_on_one_server_count_on_another(
        make_app, monkeypatch, redis_server) -> None:  # noqa: F811  (the fixture)
    monkeypatch.setenv("CPT_RATELIMIT_STORAGE_URI", redis_server.url)
    first, second = make_app(), make_app(sync=False)
    with first.app_context():
        from core.auth.services import create_user

        create_user("clerk@example.org", PASSWORD, site_admin=True)
    codes = [attempt(app, "clerk@example.org").status_code
             for app in (first, second, first, second, first, second)]
    assert codes == [400] * 5 + [429]  # five failures in all, wherever they were made
    assert attempt(first, "clerk@example.org", PASSWORD).status_code == 429
    with redis_server.client() as client:
        assert client.keys("*cpt-sign-in*")  # the counters are in Redis


def test_while_redis_is_out_of_reach_each_server_counts_on_its_own(
        make_app, monkeypatch, redis_server) -> None:  # noqa: F811  (the fixture)
    monkeypatch.setenv("CPT_RATELIMIT_STORAGE_URI", redis_server.url)
    app = make_app()
    with app.app_context():
        from core.auth.services import create_user

        create_user("clerk@example.org", PASSWORD, site_admin=True)
    assert attempt(app, "clerk@example.org").status_code == 400
    redis_server.stop()
    codes = [attempt(app, "clerk@example.org").status_code for _ in range(6)]
    assert codes == [400] * 5 + [429]  # counted afresh in memory, still limited
    assert attempt(app, "clerk@example.org", PASSWORD, address="192.0.2.44").status_code == 302


def test_flask_limiters_hooks_run_only_for_the_limited_views(make_app, make_user,
                                                             monkeypatch) -> None:
    """Its app-wide check runs for a sign-in (still limited, with its headers) but not for a
    page or an API list, whose answers carry no rate-limit headers either way."""
    from flask_limiter import Limiter

    checked: list[str | None] = []
    check = Limiter._check_request_limit

    def counting(self, *args, **kwargs):
        from flask import request

        checked.append(request.endpoint)
        return check(self, *args, **kwargs)

    monkeypatch.setattr(Limiter, "_check_request_limit", counting)
    app = make_app()
    client = app.test_client()
    for path in ("/", "/herefordshire/", "/api/councils", "/no-such-page"):
        response = client.get(path)
        assert not [key for key, _ in response.headers.items() if "RateLimit" in key], path
    assert checked == []
    _, email = make_user()
    answer = attempt(app, email)
    assert answer.status_code == 400
    assert "auth.login" in checked  # the decorator's own check, and the app-wide one
    assert answer.headers["X-RateLimit-Limit"]
    assert [attempt(app, email).status_code for _ in range(5)] == [400] * 4 + [429]


def test_an_app_wide_limit_a_deployment_sets_still_applies_everywhere(make_app) -> None:
    """With ``RATELIMIT_APPLICATION`` set, the limiter's hooks stay on every request."""
    app = make_app(config={"RATELIMIT_APPLICATION": "3 per minute", "PAGE_CACHE": False})
    client = app.test_client()
    codes = [client.get("/api/councils").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
