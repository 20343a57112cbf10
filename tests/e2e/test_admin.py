"""The admin in a real browser: sign in, do the work through the forms, and scan every page."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from tests.conftest import PASSWORD
from tests.core.admin.test_access import FILES, OWN, admin_routes, url
from tests.e2e.test_public_pages import WCAG


def sign_in(page: Page, live_server: str, email: str) -> None:
    page.goto(live_server + "/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"Signed in as {email}")).to_be_visible()


#: GET routes that download a file rather than show a page.
def test_every_admin_page_has_no_accessibility_violations(
        page: Page, live_server: str, app: Flask, make_user, own_data) -> None:
    _, email = make_user("site_admin")
    sign_in(page, live_server, email)
    axe, problems, scanned = Axe(), [], []
    paths = ["/admin/", "/admin/plugins", "/account/two-step", "/admin/users",
             "/admin/users/1"] + [
        url(app, endpoint, "GET", OWN) for endpoint, method in admin_routes(app)
        if method == "GET" and endpoint not in FILES]  # files: tested apart
    for path in paths:
        response = page.goto(live_server + path)
        assert response is not None and response.status == 200, path
        results = axe.run(page, options=WCAG)
        scanned.append(path)
        if results.violations_count:
            problems.append(f"{path}:\n{results.generate_report()}")
    # and a page showing field errors, which adds the error summary and error styles
    page.goto(live_server + f"/admin/{OWN}/reviews/protocol-review")
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    results = axe.run(page, options=WCAG)
    if results.violations_count:
        problems.append(f"error page:\n{results.generate_report()}")
    assert len(scanned) == len(set(scanned)) >= 8
    assert not problems, "\n\n".join(problems)


def test_post_a_progress_update(page: Page, live_server: str, make_user) -> None:
    _, email = make_user("panel_admin", "bracknell_forest")
    sign_in(page, live_server, email)  # a clerk of one council: on its desk
    page.get_by_role("link", name="Action plan").click()
    page.get_by_role("link", name="1. Support you in the same way").click()
    page.get_by_role("link", name="Action 1.1").click()
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("At risk").check()
    page.get_by_label("What has happened").fill("Multi-disciplinary input is short of health.")
    page.get_by_role("button", name="Post the update").click()
    expect(page.get_by_text("Progress update posted.")).to_be_visible()
    expect(page.get_by_text("Multi-disciplinary input is short of health.")).to_be_visible()
    page.goto(live_server + "/bracknell_forest/pledges/pledge-1")
    expect(page.locator("#action-1\\.1").get_by_text("At risk").first).to_be_visible()


def test_an_edit_conflict_is_caught_and_nothing_is_overwritten(
        browser: Browser, live_server: str, make_user) -> None:
    _, email = make_user("council_admin", "staffordshire")
    first, second = browser.new_page(), browser.new_page()
    try:
        sign_in(first, live_server, email)
        first.goto(live_server + "/admin/staffordshire/pledges")
        first.get_by_role("link", name="Record a promise").click()
        first.get_by_label("Number").fill("1")
        first.get_by_label("Wording").fill("Promise one as published")
        first.get_by_role("button", name="Save").click()
        expect(first.get_by_text("Recorded promise 1.")).to_be_visible()

        sign_in(second, live_server, email)
        edit = live_server + "/admin/staffordshire/pledges/local-1/edit"
        first.goto(edit)
        second.goto(edit)
        first.get_by_label("Wording").fill("First editor's wording")
        first.get_by_role("button", name="Save").click()
        expect(first.get_by_text("Saved.")).to_be_visible()
        second.get_by_label("Wording").fill("Second editor's wording")
        second.get_by_role("button", name="Save").click()
        expect(second.get_by_text("Someone else changed this")).to_be_visible()
        expect(second.get_by_text("First editor's wording")).to_be_visible()
        second.goto(live_server + "/staffordshire/pledges")
        expect(second.get_by_text("First editor's wording").first).to_be_visible()
        expect(second.get_by_text("Second editor's wording")).to_have_count(0)
    finally:
        first.close()
        second.close()


def test_two_step_sign_in_through_the_browser(page: Page, live_server: str, make_user) -> None:
    import time

    import pyotp

    _, email = make_user("site_admin")
    sign_in(page, live_server, email)
    page.goto(live_server + "/account/two-step")
    secret = page.locator("#setup-key").inner_text()
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("button", name="Sign out").click()
    page.goto(live_server + "/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()
    page.get_by_label("Code").fill(pyotp.TOTP(secret).at(time.time() + 30))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text(f"Signed in as {email}")).to_be_visible()


def test_erase_a_persons_details_through_the_page(page: Page, live_server: str, make_user,
                                                  own_data) -> None:
    """A council administrator erases person 1 of the admin walk's data, with a field error
    first (scanned too), all through plain forms."""
    _, email = make_user("council_admin", OWN)
    sign_in(page, live_server, email)
    page.goto(live_server + f"/admin/{OWN}/panels/people/1")
    page.get_by_role("link", name="Erase this person's details").click()
    page.get_by_role("button", name="Erase their details").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    results = Axe().run(page, options=WCAG)
    assert not results.violations_count, results.generate_report()
    page.get_by_label("The person asked for their details to be erased").check()
    page.get_by_label("I understand that erasure cannot be undone").check()
    page.get_by_role("button", name="Erase their details").click()
    expect(page.get_by_text("Their details have been erased.")).to_be_visible()
    expect(page.get_by_role("heading", name="Erased person")).to_be_visible()
    expect(page.get_by_text("A. B.")).to_have_count(0)


def test_a_bad_import_is_refused_and_its_page_has_no_violations(
        page: Page, live_server: str, make_user, tmp_path) -> None:
    _, email = make_user("contributor", OWN)
    sign_in(page, live_server, email)
    bad = tmp_path / "figures.csv"
    bad.write_text("indicator,period_end,value\nmissing,2025-03-31,lots\n", encoding="utf-8")
    page.goto(live_server + f"/admin/{OWN}/indicators")
    page.get_by_label("File of figures").set_input_files(str(bad))
    page.get_by_role("button", name="Import the figures").click()
    expect(page.get_by_text("Row 2, column C (value): Give a number, like 12 or 71.5").first
           ).to_be_visible()
    results = Axe().run(page, options=WCAG)
    assert not results.violations_count, results.generate_report()


def test_a_local_indicator_is_added_changed_and_archived_without_violations(
        page: Page, live_server: str, make_user) -> None:
    _, email = make_user("council_admin", OWN)
    sign_in(page, live_server, email)
    axe, problems = Axe(), []

    def scan(what: str) -> None:
        results = axe.run(page, options=WCAG)
        if results.violations_count:
            problems.append(f"{what}:\n{results.generate_report()}")

    page.goto(live_server + f"/admin/{OWN}/indicators")
    page.get_by_role("link", name="Add a local indicator").click()
    page.get_by_role("button", name="Save the indicator").click()  # nothing filled in
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.get_by_role("link", name="Choose the unit of its figures")).to_be_visible()
    scan("the form with every error")
    page.get_by_label("Title").fill("Personal education plans reviewed on time")
    page.get_by_label("Definition").fill("Children whose plan was reviewed in the term.")
    page.get_by_label("Percentage").check()
    page.get_by_label("Higher is better").check()
    page.get_by_label("Quarterly").check()
    page.get_by_label("1. Promoting educational attainment and aspiration").check()
    page.get_by_role("button", name="Save the indicator").click()
    expect(page.get_by_text("Indicator added. Its key is "
                            "local-personal-education-plans-reviewed-on-time.")).to_be_visible()
    scan("the new indicator's page")
    page.get_by_role("link", name="Change the indicator").click()
    page.get_by_label("Title").fill("Personal education plans reviewed in the term")
    page.get_by_role("button", name="Save the indicator").click()
    expect(page.get_by_role("heading", name="Personal education plans reviewed in the term")
           ).to_be_visible()
    page.goto(live_server + f"/{OWN}/indicators")
    expect(page.get_by_text("Personal education plans reviewed in the term")).to_be_visible()
    scan("the public report card with it")
    page.goto(live_server + f"/admin/{OWN}/indicators/"
              "local-personal-education-plans-reviewed-on-time")
    page.get_by_role("link", name="Archive the indicator").click()
    expect(page.get_by_role("heading", name="Archive “Personal education plans reviewed in "
                                            "the term”?")).to_be_visible()
    scan("the archive confirmation")
    page.get_by_role("button", name="Yes, archive it").click()
    expect(page.get_by_text("is archived: it is no longer on the report card")).to_be_visible()
    page.goto(live_server + f"/{OWN}/indicators")
    expect(page.get_by_text("Personal education plans reviewed in the term")).to_have_count(0)
    assert not problems, "\n\n".join(problems)
