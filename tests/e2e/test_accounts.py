"""Accounts in a real browser, without JavaScript's help: an invitation accepted from the
emailed link, a password reset, and every page on the way scanned with axe."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.core.auth.test_invitations import link_in
from tests.e2e.test_admin import sign_in
from tests.e2e.test_public_pages import WCAG

NEW_PASSWORD = "a passphrase typed in a browser"


def scan(page: Page, problems: list[str]) -> None:
    results = Axe().run(page, options=WCAG)
    if results.violations_count:
        problems.append(f"{page.url}:\n{results.generate_report()}")


def test_invite_accept_and_manage_through_the_pages(page: Page, live_server: str, make_user,
                                                    smtp_server) -> None:
    problems: list[str] = []
    _, email = make_user("council_admin", "herefordshire")
    sign_in(page, live_server, email)  # a council administrator lands on the desk
    page.get_by_role("link", name="Users", exact=True).click()
    scan(page, problems)
    page.get_by_role("button", name="Invite someone").click()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    scan(page, problems)
    page.get_by_label("Email address").fill("clerk@herefordshire.example")
    page.get_by_label("Panel administrator").check()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Invitation sent to clerk@herefordshire.example.")).to_be_visible()
    scan(page, problems)
    page.get_by_role("button", name="Sign out").click()

    link = link_in(smtp_server.to("clerk@herefordshire.example")[0].text)
    page.goto(live_server + link)
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    page.get_by_role("button", name="Create your account").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    scan(page, problems)
    page.get_by_label("Your name").fill("Clerk Smith")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm the new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create your account").click()
    expect(page.get_by_text("Signed in as clerk@herefordshire.example")).to_be_visible()
    expect(page.get_by_role("link", name="Herefordshire Council")).to_be_visible()
    expect(page.get_by_role("link", name="Isle of Wight Council")).to_have_count(0)
    page.goto(live_server + link)
    expect(page.get_by_text("The invitation has been accepted already.")).to_be_visible()
    scan(page, problems)
    assert not problems, "\n\n".join(problems)


def test_reset_a_password_through_the_pages(page: Page, live_server: str, make_user,
                                            smtp_server) -> None:
    problems: list[str] = []
    _, email = make_user("viewer", "herefordshire")
    page.goto(live_server + "/login")
    page.get_by_role("link", name="Forgotten your password?").click()
    scan(page, problems)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    scan(page, problems)
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    scan(page, problems)
    for _ in range(50):  # the message goes once the answer has gone
        if smtp_server.to(email):
            break
        page.wait_for_timeout(100)
    link = link_in(smtp_server.to(email)[0].text)
    page.goto(live_server + link)
    scan(page, problems)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm the new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the password").click()
    expect(page.get_by_text("Your password has been changed")).to_be_visible()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Enter a correct email address and password")
           ).to_be_visible()
    page.goto(live_server + link)
    expect(page.get_by_text("The link has been used already")).to_be_visible()
    scan(page, problems)
    assert not problems, "\n\n".join(problems)
