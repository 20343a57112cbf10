"""Every public page, in a real browser: it renders styled, and axe finds no violations."""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

#: The rules axe runs; every rule still runs on every element, but only violations are
#: reported in full (the passes, which the tests never read, are not sent back: a tenth of
#: the scan's time, and most of the Python side's).
WCAG = {"runOnly": {"type": "tag",
                    "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                               "best-practice"]},
        "resultTypes": ["violations"]}

PAGES = [
    "/",
    "/isle_of_wight/", "/isle_of_wight/strategy", "/isle_of_wight/panels",
    "/isle_of_wight/panels/corporate-parenting-board", "/isle_of_wight/reviews",
    "/isle_of_wight/partners", "/isle_of_wight/checks",
    "/staffordshire/", "/staffordshire/strategy", "/staffordshire/pledges",
    "/herefordshire/", "/herefordshire/strategy", "/herefordshire/panels/corporate-parenting-panel",
    "/herefordshire/panels/corporate-parenting-panel/attendance",
    "/herefordshire/progress",
    "/bracknell_forest/", "/bracknell_forest/pledges", "/bracknell_forest/pledges/pledge-1",
    "/bracknell_forest/progress", "/bracknell_forest/checks",
    "/nowhere/",
]


def test_every_page_has_no_accessibility_violations(page: Page, live_server: str) -> None:
    """One scan per page type and council; all pages are scanned before any failure."""
    axe, problems = Axe(), []
    for path in PAGES:
        response = page.goto(live_server + path)
        assert response is not None
        assert response.status == (404 if path == "/nowhere/" else 200), path
        expect(page.locator("h1")).to_have_count(1)
        results = axe.run(page, options=WCAG)
        if results.violations_count:
            problems.append(f"{path}:\n{results.generate_report()}")
    assert not problems, "\n\n".join(problems)


def test_the_stylesheet_is_served_and_applied(page: Page, live_server: str) -> None:
    page.goto(live_server + "/bracknell_forest/pledges")
    font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert "GDS Transport" not in font and "arial" in font.lower()
    bar = page.evaluate(
        "getComputedStyle(document.querySelector('.app-council-bar')).borderTopColor")
    assert bar == "rgb(29, 112, 184)"


def test_skip_link_moves_focus_to_the_main_content(page: Page, live_server: str) -> None:
    page.goto(live_server + "/herefordshire/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    skip.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()


def test_the_action_plan_downloads_from_the_pledges_page(page: Page, live_server: str
                                                         ) -> None:
    page.goto(live_server + "/bracknell_forest/pledges")
    for name, filename in (("(CSV)", "bracknell_forest-action-plan.csv"),
                           ("(XLSX)", "bracknell_forest-action-plan.xlsx")):
        with page.expect_download() as download:
            page.get_by_role("link", name="Download the action plan as").filter(
                has_text=name).click()
        assert download.value.suggested_filename == filename


def test_pages_with_charts_have_no_violations_and_their_charts_load(
        page: Page, live_server: str, app, tmp_path) -> None:
    from tests.core.attendance.test_statistics import _record
    from tests.core.indicators.figures import report_card

    report_card(app)
    _record(app)  # attendance at three meetings of this municipal year
    axe, problems = Axe(), []
    for path in ("/isle_of_wight/indicators", "/isle_of_wight/indicators/health-assessments",
                 "/isle_of_wight/indicators/personal-education-plans",
                 "/bracknell_forest/progress",
                 "/bracknell_forest/pledges/pledge-7",
                 "/herefordshire/panels/corporate-parenting-panel/attendance"):
        response = page.goto(live_server + path)
        assert response is not None and response.status == 200, path
        images = page.locator("img.app-chart__image")
        if path.endswith(("/attendance", "/progress")):
            # attendance over the municipal year; the action plan's progress over the months
            expect(images).to_have_count(1)
        for index in range(images.count()):
            image = images.nth(index)
            expect(image).to_have_attribute("alt", re.compile(r"\w"))
            assert image.evaluate("img => img.complete && img.naturalWidth > 0"), path
        results = axe.run(page, options=WCAG)
        if results.violations_count:
            problems.append(f"{path}:\n{results.generate_report()}")
    for name, path in (("indicator", "/isle_of_wight/indicators/health-assessments"),
                       ("progress", "/bracknell_forest/progress"),
                       ("attendance",
                        "/herefordshire/panels/corporate-parenting-panel/attendance")):
        # kept to look at
        page.goto(live_server + path)
        page.locator("img.app-chart__image").first.screenshot(path=str(tmp_path / f"{name}.png"))
    assert not problems, "\n\n".join(problems)
