"""The glance, in a real Chromium: a journalist answers "where do Russia and the U.S. stand on NATO
enlargement, and did it move between Geneva and Brussels?" from the home page, and follows a chip
to its quote in the source. The grid fits about two screens; one colour means one direction."""

import re

import pytest
from django.core.management import call_command

from tests.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROPOSITION = "NATO rules out expanding into former Soviet states"


@pytest.fixture
def site(live_server):
    call_command("load_dataset", verbosity=0)
    return live_server.url


def chips(page, proposition):
    """{column name: chip text} on the proposition's row of the parties' grid."""
    table = page.get_by_role("table", name="Stances of the parties")
    names = [n.strip() for n in table.locator("thead th").all_inner_texts()][1:]
    row = table.locator("tr", has=page.get_by_role("rowheader", name=proposition))
    cells = row.locator("td")
    found = {}
    for name, i in zip(names, range(cells.count()), strict=True):
        badge = cells.nth(i).locator(".badge, .state")
        found[name] = badge.first.inner_text() if badge.count() else None
    return found


def choose(page, **options):
    """Open the filters, pick each field's option by its visible text, apply."""
    if page.locator("details.filter-panel").get_attribute("open") is None:
        page.locator("details.filter-panel > summary").click()
    for name, option in options.items():
        page.locator(f"select[name={name}]").select_option(label=option)
    page.get_by_role("button", name="Apply").click()
    page.wait_for_load_state()


def test_a_journalist_reads_who_stands_where_and_whether_it_moved(site, page):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(site + "/")
    choose(page, issue="NATO takes in new members", as_of="U.S.-Russia talks in Geneva")
    assert "NATO takes in new members" in page.title()
    at_geneva = chips(page, PROPOSITION)
    assert at_geneva["Russia"] == "for: insists"
    assert at_geneva["United States"] == "against: refuses"
    assert at_geneva["Where it stands"].startswith("≠ sticking point")
    screenshot(page, "glance-geneva")

    page.goto(site + "/?issue=nato-enlargement")
    choose(page, as_of="NATO-Russia Council in Brussels")
    at_brussels = chips(page, PROPOSITION)
    assert at_brussels["Russia"] == "for: insists"  # no move
    assert at_brussels["NATO"] == "against: refuses"

    # Follow Russia's chip to its quote, highlighted and outlined in its source.
    table = page.get_by_role("table", name="Stances of the parties")
    row = table.locator("tr", has=page.get_by_role("rowheader", name=PROPOSITION))
    russia = row.locator("td").nth(1)  # after "Where it stands"
    assert not russia.locator(".summary").is_visible()  # the summary waits to be asked for
    russia.locator("summary").click()
    assert russia.locator(".summary").is_visible()
    russia.locator("a.evidence").click()
    page.wait_for_url(re.compile(r"/claims/\?actor=russia"))
    quote = page.locator("blockquote.quote footer a.in-context").first
    quote.click()
    page.wait_for_url(re.compile(r"/sources/.+#c\d+-\d+$"))
    start, end = re.search(r"#c(\d+)-(\d+)$", page.url).groups()
    marks = page.locator(f"mark[data-passages~='c{start}-{end}']")
    assert marks.count() >= 1 and marks.first.is_visible()
    frames = marks.evaluate_all("els => els.map(el => getComputedStyle(el).boxShadow)")
    assert all("rgb(11, 92, 173)" in f for f in frames), frames  # framed, not only coloured
    screenshot(page, "glance-quote")


def test_the_grid_fits_two_screens_and_a_colour_means_one_direction(site, page):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(site + "/")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 4500, f"the home page is {height}px tall"
    table = page.get_by_role("table", name="Stances of the parties")
    assert table.bounding_box()["height"] < 2 * 900 + 200
    # The header row stays in view while the grid scrolls.
    page.mouse.wheel(0, 1200)
    page.wait_for_timeout(200)
    header = table.locator("thead th").first.bounding_box()
    assert 0 <= header["y"] < 60, header
    colours = page.evaluate(
        """() => {
          const seen = {};
          for (const b of document.querySelectorAll('.legend .badge')) {
            seen[b.textContent.trim()] = getComputedStyle(b).backgroundColor;
          }
          return seen;
        }"""
    )
    assert colours["for: insists"] == colours["for"]
    assert colours["against: refuses"] == colours["against"]
    assert (
        len({colours[k] for k in ("for", "against", "open to discuss", "for, on conditions")}) == 4
    )


@pytest.mark.parametrize("width, height", [(1366, 900), (390, 844)])
def test_the_grid_never_makes_the_page_scroll_sideways(site, page, width, height):
    page.set_viewport_size({"width": width, "height": height})
    for url in ("/", "/?officials=separate", "/codebook/"):
        page.goto(site + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (url, width)
    page.goto(site + "/")
    screenshot(page, f"glance-home-{width}")
