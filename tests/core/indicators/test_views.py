"""The public indicator pages: the report card, each indicator's trend chart with its words,
small numbers held back everywhere."""

from __future__ import annotations

import datetime as dt
import re

from flask import Flask
from flask.testing import FlaskClient

from tests.core.growth import main, page, plain, record_local_pledge, table_rows
from tests.core.indicators.figures import WIGHT, add, report_card

BRACKNELL = "bracknell_forest"
#: The public page of the action plan's progress, which shows its chart.
PROGRESS = f"/{BRACKNELL}/progress"


def test_report_card_lists_every_indicator_with_its_latest_figure(app: Flask,
                                                                  client: FlaskClient) -> None:
    report_card(app)
    text = main(page(client, f"/{WIGHT}/indicators"))
    rows = table_rows(text)
    assert rows == [
        # 3 of 4 children: the percentage of a base below 5 is withheld, and not judged
        ["Health assessments up to date", "year to March 2025", "withheld (small number)",
         "88.0%", "89.0%", "Not judged"],
        ["Children looked after with three or more placements in the year",
         "year to March 2025", "15.0%", "10.0%", "10.5%", "Red: short of target"],
        ["Long-term placement stability", "No figures yet"],
        ["Children looked after who went missing", "No figures yet"],
        ["Personal Education Plans", "30 June 2025", "42", "–", "–", "Not judged"],
    ]
    assert "a count below 5 is shown as “fewer than 5”" in plain(text)


def test_indicator_page_has_its_chart_a_summary_and_the_figures_in_a_table(
        app: Flask, client: FlaskClient) -> None:
    report_card(app)
    text = main(page(client, f"/{WIGHT}/indicators/health-assessments"))
    image = re.search(r'<img class="app-chart__image" src="([^"]+)" alt="([^"]+)"', text)
    assert image and image[1] == f"/{WIGHT}/indicators/health-assessments/chart.svg"
    assert image[2] == ("Line chart of Health assessments up to date over 3 periods, with its "
                        "target and comparators; the summary and the table below give its "
                        "figures.")
    assert "Latest, for the year to March 2025: withheld (small number)." in plain(text)
    assert "Key: Isle of Wight Council, solid line with dots; Target, dashed line;" in plain(text)
    assert table_rows(text) == [
        ["year to March 2023", "70.0%", "88.0%", "89.0%", "87.0%", "86.0%",
         "Red: short of target"],
        ["year to March 2024", "90.0%", "88.0%", "89.0%", "87.0%", "86.0%",
         "Green: target met"],
        ["year to March 2025", "withheld (small number)", "88.0%", "89.0%", "87.0%", "86.0%",
         "None"],
    ]
    assert "Priority 2: Enhancing health and emotional wellbeing" in plain(text)
    assert "Monitoring local performance indicators in relation to Health Assessments" in text


def test_a_count_below_the_threshold_is_fewer_than_5_on_the_page_and_in_the_chart(
        app: Flask, client: FlaskClient) -> None:
    report_card(app)
    text = main(page(client, f"/{WIGHT}/indicators/personal-education-plans"))
    # the protocol states no unit or period: a figure is a count, dated by its last day
    assert table_rows(text)[0][:2] == ["31 March 2025", "fewer than 5"]
    svg = client.get(f"/{WIGHT}/indicators/personal-education-plans/chart.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    body = svg.get_data(as_text=True)
    assert "<svg" in body and "<script" not in body
    assert "42" in body  # the figure that may be shown is drawn...
    assert ">3<" not in body  # ...and the small count is not


def test_chart_is_an_svg_image_with_a_policy_of_its_own(app: Flask, client: FlaskClient
                                                        ) -> None:
    report_card(app)
    for _ in range(2):  # drawn, then from the page cache (which keeps no headers)
        response = client.get(f"/{WIGHT}/indicators/health-assessments/chart.svg")
        assert response.status_code == 200
        assert response.headers["Content-Security-Policy"] == (
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'")
    body = response.get_data(as_text=True)
    assert "Health assessments up to date" in body and "stroke-dasharray" in body


def test_a_council_without_indicators_says_so(client: FlaskClient) -> None:
    text = main(page(client, "/herefordshire/indicators"))
    assert "This council has not named any indicators." in text


def test_an_indicator_of_another_council_is_a_404(client: FlaskClient) -> None:
    assert client.get(f"/{BRACKNELL}/indicators/health-assessments").status_code == 200
    for url in (f"/{BRACKNELL}/indicators/personal-education-plans",
                f"/{BRACKNELL}/indicators/personal-education-plans/chart.svg",
                "/herefordshire/indicators/health-assessments"):
        assert client.get(url).status_code == 404, url


def test_overview_and_pledge_pages_chart_the_action_plans_progress(client: FlaskClient
                                                                   ) -> None:
    """The action plan's progress is charted on a page of its own, which the overview links
    to; each pledge's on the pledge's page."""
    overview = main(page(client, f"/{BRACKNELL}/"))
    assert f'href="{PROGRESS}"' in overview  # the overview links to it...
    assert "progress.svg" not in overview and "Today, of " not in plain(overview)  # ...only
    for url, svg in ((PROGRESS, f"/{BRACKNELL}/progress.svg"),
                     (f"/{BRACKNELL}/pledges/pledge-7",
                      f"/{BRACKNELL}/pledges/pledge-7/progress.svg")):
        text = main(page(client, url))
        assert f'src="{svg}"' in text, url
        assert "Actions by status at the end of each month" in text, url
        assert [row for row in table_rows(text) if row[0] == "Today"], url
        assert "Today, of " in plain(text), url
        if url == PROGRESS:  # and links back to the pledges and the overview
            assert '<h1 class="govuk-heading-xl">Progress of the action plan</h1>' in text
            assert f'href="/{BRACKNELL}/pledges"' in text and f'href="/{BRACKNELL}/"' in text
        response = client.get(svg)
        assert response.status_code == 200 and response.mimetype == "image/svg+xml", svg
        assert "Past due" in response.get_data(as_text=True)


def test_a_council_without_actions_is_told_so_on_the_progress_page(client: FlaskClient
                                                                  ) -> None:
    for slug in ("herefordshire", WIGHT):  # no pledge, so no action, in any month
        text = main(page(client, f"/{slug}/progress"))
        assert "<h1" in text and "Progress of the action plan" in text, slug
        assert "No actions are published." in plain(text), slug
        assert "progress.svg" not in text and "app-chart__image" not in text, slug
        assert f'href="/{slug}/pledges"' in text and f'href="/{slug}/"' in text, slug
        # nor does the overview link to a page with nothing to chart
        assert f'href="/{slug}/progress"' not in main(page(client, f"/{slug}/")), slug
    assert client.get("/nowhere/progress").status_code == 404


def test_each_page_reads_its_figures_in_one_narrow_statement(app: Flask) -> None:
    from tests.conftest import counting_queries

    report_card(app)
    client = app.test_client()
    for url, reads in ((f"/{WIGHT}/indicators", "indicator"),
                       (f"/{WIGHT}/indicators/health-assessments", "indicator"),
                       (f"/{WIGHT}/indicators/health-assessments/chart.svg", "indicator"),
                       (f"/{BRACKNELL}/progress.svg", "progress_update")):
        with counting_queries(app) as counted:
            assert client.get(url).status_code == 200, url
        touching = [s for s in counted.statements if f"FROM {reads}" in s
                    or f"JOIN {reads} " in s]
        assert len(touching) == 1, (url, touching)
        # the columns the page shows, never whole rows of the tables it reads
        for column in ("indicator.updated_at", "indicator.origin", "indicator_figure.updated_at",
                       "progress_update.note", "progress_update.author", "action.wording"):
            assert column not in touching[0], (url, column)


def test_the_public_read_for_other_readers_applies_the_same_rules(app: Flask) -> None:
    """What the open-data API can serve: the same figures as the pages, small ones held
    back and never sent."""
    from sqlalchemy import select

    from core.extensions import db
    from core.indicators.rag import council_rag_rule
    from core.indicators.reads import public_report_card, public_series
    from core.models import Council

    report_card(app)
    with app.test_request_context():
        council = db.session.scalar(select(Council).where(Council.slug == WIGHT))
        rule = council_rag_rule(council)
        card = {item["key"]: item for item in public_report_card(council, rule)}
        (latest,) = card["health-assessments"]["figures"]
        assert latest == {"period_end": "2025-03-31", "value": None, "suppressed": "withheld",
                          "rag": None, "target": 88.0, "england": 89.0, "region": 87.0,
                          "statistical_neighbours": 86.0}
        assert card["placement-stability-moves"]["figures"][0]["rag"] == "red"
        series = public_series(council, "personal-education-plans", rule)
        assert [(f["value"], f["suppressed"]) for f in series["figures"]] == [
            (None, "fewer_than"), (42.0, None)]
        assert "numerator" not in str(series)


def test_a_pledge_page_lists_the_indicators_that_evidence_it(app: Flask, client: FlaskClient
                                                             ) -> None:
    import datetime as dt

    from tests.core.indicators.figures import add

    add(app, "health-assessments", dt.date(2025, 3, 31), slug=BRACKNELL, numerator=2,
        denominator=3, target=90)
    text = main(page(client, f"/{BRACKNELL}/pledges/pledge-7"))
    assert f'href="/{BRACKNELL}/indicators/health-assessments"' in text
    assert ["Health assessments up to date", "year to March 2025", "withheld (small number)",
            "90.0%", "Not judged"] in table_rows(text)
    assert "/indicators/" not in main(page(client, f"/{BRACKNELL}/pledges/pledge-1"))


def test_titles_in_the_report_card_and_a_pledges_table_are_escaped(app: Flask,
                                                                   client: FlaskClient) -> None:
    from sqlalchemy import update

    from core.extensions import db
    from core.indicators.models import Indicator

    with app.app_context():
        db.session.execute(update(Indicator).where(Indicator.key == "health-assessments")
                           .values(title="<script>x()</script> & checks"))
        db.session.commit()
    for url in (f"/{WIGHT}/indicators", f"/{BRACKNELL}/pledges/pledge-7"):
        text = client.get(url).get_data(as_text=True)  # as sent, entities and all
        assert "&lt;script&gt;x()&lt;/script&gt; &amp; checks</a>" in text, url
        assert "<script>x()" not in text, url


def test_the_trend_in_words_follows_each_figure_and_the_limit(app: Flask,
                                                              client: FlaskClient) -> None:
    """The trend's words are kept by what they say (core.indicators.charts.trend_text): a
    new figure, or another small-number limit, is said at once."""
    app.config["PAGE_CACHE"] = False
    report_card(app)
    url = f"/{WIGHT}/indicators/health-assessments"
    assert "Latest, for the year to March 2025" in plain(main(page(client, url)))
    add(app, "health-assessments", dt.date(2026, 3, 31), numerator=95, denominator=100,
        target=88)
    text = plain(main(page(client, url)))
    assert "Latest, for the year to March 2026: 95.0%. Target: 88.0%." in text
    assert "over 4 periods" in main(page(client, url))
    pep = f"/{WIGHT}/indicators/personal-education-plans"
    assert table_rows(main(page(client, pep)))[0][:2] == ["31 March 2025", "fewer than 5"]
    app.config["SMALL_NUMBER_THRESHOLD"] = 10
    assert table_rows(main(page(client, pep)))[0][:2] == ["31 March 2025", "fewer than 10"]


def test_a_pledges_indicators_are_read_as_the_whole_card_filtered(app: Flask) -> None:
    """``evidence_of`` gives the report card's indicators naming the pledge, in order,
    whatever else their lists hold: not one naming a pledge whose key starts alike, and a
    key of other characters (read with the whole card) as exactly as a plain one."""
    from sqlalchemy import select, update

    from core.extensions import db
    from core.indicators.models import Indicator
    from core.indicators.reads import evidence_of
    from core.indicators.reads import report_card as whole_card
    from core.models import Council

    odd = 'pledge "7" \\ é'
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == BRACKNELL))
        keys = [i.key for i in db.session.scalars(select(Indicator).where(
            Indicator.council_id == council.id).order_by(Indicator.position))]
        assert len(keys) >= 2
        for key, pledges in zip(keys, (["pledge-10", "pledge-7"],
                                       ["pledge-70", odd, "pledge-1"]), strict=False):
            db.session.execute(update(Indicator).where(
                Indicator.council_id == council.id, Indicator.key == key).values(
                    pledges=pledges))
        db.session.commit()
        card = whole_card(council)
        for pledge in ("pledge-1", "pledge-7", "pledge-10", "pledge-70", "pledge-", odd,
                       "pledge-99"):
            assert [line.key for line in evidence_of(council, pledge)] == [
                line.key for line in card if pledge in line.pledges], pledge
        assert [line.key for line in evidence_of(council, "pledge-1")] == [keys[1]]
        assert [line.key for line in evidence_of(council, odd)] == [keys[1]]


def test_the_overview_links_to_the_progress_page_only_once_there_are_actions(
        app: Flask, client: FlaskClient) -> None:
    """A pledge recorded without actions gives the overview its status table, but no link
    to a progress page that would only say no action is published."""
    record_local_pledge(app, "staffordshire", "promise-1", "Recorded promise")
    overview = main(page(client, "/staffordshire/"))
    assert "Recorded promise" in overview
    assert 'href="/staffordshire/progress"' not in overview
    assert f'href="{PROGRESS}"' in main(page(client, f"/{BRACKNELL}/"))
