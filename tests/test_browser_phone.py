"""The pages a reader opens on a phone (390x844), in a real Chromium: nothing that holds the page's
content scrolls sideways (no box to swipe inside), the first result of a list is on the first
screen, and no text is drawn smaller than 12 px, chart labels included. axe-core stays at 0
(here and in test_browser_pages.py, which also checks the laptop); the Nu checker, which reads the
same HTML at any width, in test_html.py."""

import pytest
from django.core.management import call_command

from tests.conftest import screenshot
from tests.test_browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# Each page, and for a list the selector of its first result (None: not a list).
PAGES = {
    "home": ("/", "table.matrix tbody tr:not(:has(th[scope=rowgroup]))"),
    "claims": ("/claims/?actor=russia", "article.claim"),
    "compare": ("/compare/?party=russia&party=united-states&party=nato", "table.side-by-side tr"),
    "agreement": ("/agreement/?a=russia&b=nato", "table.agreement tbody tr"),
    "moved": ("/moved/", "article.moved"),
    "search": ("/search/?q=missile", ".search-results article"),
    "issue": ("/issues/nato-enlargement/", None),
    "actor": ("/actors/russia/", None),
    "round": ("/rounds/geneva-talks-2022/", None),
    "source": ("/sources/trenin-week-of-talks/", None),
}

MEASURE = """() => {
    const main = document.querySelector('main');
    const shown = el => el.getClientRects().length > 0 && !el.closest('.visually-hidden');
    // A box the reader would have to swipe inside: it scrolls, and its content is wider.
    const swiped = [...main.querySelectorAll('*')].filter(el => {
        const x = getComputedStyle(el).overflowX;
        return (x === 'auto' || x === 'scroll') && el.scrollWidth > el.clientWidth + 1;
    }).map(el => el.tagName.toLowerCase() + '.' + el.className);
    // Text as drawn: its font size times the scale of an SVG it is drawn in.
    const small = [];
    for (const el of main.querySelectorAll('*')) {
        const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
        if (!own || !shown(el)) continue;
        let size = parseFloat(getComputedStyle(el).fontSize);
        const svg = el.closest('svg');
        if (svg && svg.getScreenCTM()) size *= svg.getScreenCTM().a;
        if (size < 11.95) small.push(`${el.tagName.toLowerCase()}.${el.className.baseVal ?? el.className} ${size.toFixed(1)}px: ${el.textContent.trim().slice(0, 30)}`);
    }
    return {swiped, small: small.slice(0, 5), wide: document.documentElement.scrollWidth};
}"""

FIRST_SHOWN = """selector => {
    const el = [...document.querySelectorAll(selector)].find(e => e.getClientRects().length);
    return el ? Math.round(el.getBoundingClientRect().top) : null;
}"""


@pytest.fixture
def phone(live_server, browser):
    call_command("load_dataset", verbosity=0)
    context = browser.new_context(viewport=PHONE, bypass_csp=True)  # axe is an inline script
    yield live_server.url, context.new_page()
    context.close()


def test_every_page_reads_on_a_phone_without_a_sideways_swipe_or_small_type(phone):
    url, page = phone
    problems = []
    for name, (path, first) in PAGES.items():
        assert page.goto(url + path).status == 200, path
        found = page.evaluate(MEASURE)
        if found["wide"] > PHONE["width"]:
            problems.append(f"{name}: the page is {found['wide']}px wide")
        problems += [f"{name}: {box} scrolls sideways" for box in found["swiped"]]
        problems += [f"{name}: text under 12px: {text}" for text in found["small"]]
        if first is not None:
            top = page.evaluate(FIRST_SHOWN, first)
            if top is None or top >= PHONE["height"]:
                problems.append(f"{name}: the first result is at y={top}, below the first screen")
        problems += [f"{name}: axe {v['id']}: {v['nodes'][:2]}" for v in axe_violations(page)]
        if name in ("home", "issue", "compare", "search", "source"):
            screenshot(page, f"phone-{name}")
    assert problems == [], "\n".join(problems)


def test_a_chip_opened_on_a_phone_shows_its_whole_summary(phone):
    url, page = phone
    page.goto(url + "/")
    cell = page.locator("table.matrix details.cell").first
    cell.locator("summary").click()
    summary = cell.locator(".summary")
    box, width = summary.bounding_box(), PHONE["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert summary.evaluate("el => el.scrollWidth <= el.clientWidth")
    # The card names the party of every chip in words.
    card = page.locator("table.matrix tbody tr:not(:has(th[scope=rowgroup]))").first
    names = card.locator("td:not(.empty) .cell-who").all_inner_texts()
    assert names and all(name.strip() for name in names)
    assert "Where it stands" in names[0]
