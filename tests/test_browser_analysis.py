"""The analysis pages in a real Chromium: the stance chart and the agreement matrix render under
the site's Content-Security-Policy (no inline style or script is refused) and a matrix cell
leads to the issues behind it. axe-core checks every analysis page type, at both sizes and in both
colour schemes, in test_browser_pages.py (tests/pages.py)."""

import re

import pytest
from django.core.management import call_command

from tests.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHART_PAGE = "/issues/non-enlargement-former-soviet/"
MATRIX_PAGE = "/agreement/?as_of=lavrov-blinken-2022"


@pytest.fixture
def site(live_server):
    call_command("load_dataset", verbosity=0)
    return live_server.url


def strict_page(browser, width, height):
    """A page under the site's own CSP, collecting what the browser refuses."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    refused = []
    page.on(
        "console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None
    )
    return context, page, refused


def test_the_chart_renders_under_the_csp(site, browser):
    context, page, refused = strict_page(browser, 1366, 900)
    page.goto(site + CHART_PAGE)
    chart = page.get_by_role("img", name="Stances on “NATO rules out expanding")
    assert chart.count() == 1
    box = chart.bounding_box()
    assert box["width"] > 300 and box["height"] > 150
    # The chips are drawn with their colours from the stylesheet: a class, not an attribute.
    fill = page.evaluate(
        """() => getComputedStyle(document.querySelector(
            'svg.lanes g.chip.dir-for rect')).fill"""
    )
    assert fill == "rgb(220, 235, 251)"
    assert chart.locator("text", has_text="against: refuses").count() == 2
    assert not page.locator(".lanes-narrow").first.is_visible()  # the phone's drawing
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    screenshot(page, "analysis-chart-1366")
    assert refused == []
    context.close()


def test_on_a_phone_the_chart_runs_down_the_screen_one_party_at_a_time(site, browser):
    context, page, refused = strict_page(browser, 390, 844)
    page.goto(site + CHART_PAGE)
    assert not page.get_by_role("img", name="Stances on “NATO rules out expanding").is_visible()
    narrow = page.locator(".lanes-narrow").first
    assert narrow.is_visible()
    cards = narrow.locator(".lane-card")
    parties = cards.locator("h4").all_inner_texts()
    assert "Russia" in parties and len(parties) == cards.count() >= 2
    assert narrow.locator(".badge", has_text="against: refuses").count() == 2  # as the lanes
    box = narrow.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    size = narrow.locator(".badge").first.evaluate(
        "el => parseFloat(getComputedStyle(el).fontSize)"
    )
    assert size >= 12
    screenshot(page, "analysis-chart-390")
    assert refused == []
    context.close()


def test_the_matrix_renders_and_a_cell_leads_to_its_issues(site, browser):
    context, page, refused = strict_page(browser, 1366, 900)
    page.goto(site + MATRIX_PAGE)
    matrix = page.get_by_role("table", name="Issues on which each pair of parties")
    parties = ["Russia", "United States", "NATO", "Ukraine", "Georgia"]
    assert matrix.get_by_role("rowheader").all_inner_texts() == parties
    cell = matrix.get_by_role("list", name="Russia and United States")
    link = cell.get_by_role("link", name=re.compile("opposed"))
    count = int(link.inner_text().split()[0])
    link.click()
    page.wait_for_url(re.compile(r"a=russia&b=united-states.*#opposed$"))
    assert "as_of=lavrov-blinken-2022" in page.url  # the round is kept
    section = page.locator("section#opposed")
    table = section.get_by_role("table")
    rows = table.locator("tbody tr")
    assert rows.count() == count
    assert "NATO rules out expanding into former Soviet states" in table.inner_text()
    # The reader lands on the list: its heading is on screen.
    heading = section.get_by_role("heading", name=re.compile("Opposed"))
    assert heading.is_visible()
    top = heading.bounding_box()["y"]
    assert 0 <= top < 900
    # Both parties' chips, in words.
    first_row = rows.first.inner_text()
    assert "for: insists" in first_row and "against: refuses" in first_row
    screenshot(page, "analysis-agreement-opposed")
    assert refused == []
    context.close()
