"""Select to cite, in a real Chromium: a curator selects a passage of a source and follows a link
to the admin's add form with the citation filled in; a visitor selecting the same gets nothing."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from positions.citations import anchor
from positions.models import Source
from tests.conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "way-out-of-impasse"
# The article's lede repeats its first paragraph: this passage, line break included, occurs twice.
# Before the first occurrence stands the headline ("... Talks Impasse?"), before the second the
# caption of a related article ("... Suffers in Silence").
TWICE = (
    "If Moscow believes that the main security threat it faces is NATO military infrastructure\n"
    "moving closer to Russia’s western borders"
)
ONCE = "Let’s not forget that NATO\ninstitutional expansion eastward"

SELECT = """([quote, nth, mouse, before]) => {
  const box = document.querySelector(".source-text");
  let start = -1;
  for (let i = 0; i <= nth; i++) start = box.textContent.indexOf(quote, start + 1);
  if (start < 0) throw new Error("passage not found");
  const end = start + quote.length;
  start -= before;
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let seen = 0, started = false, node;
  while ((node = walker.nextNode())) {
    const next = seen + node.data.length;
    if (!started && start < next) { range.setStart(node, start - seen); started = true; }
    if (end <= next) { range.setEnd(node, end - seen); break; }
    seen = next;
  }
  window.scrollTo(0, window.scrollY + range.getBoundingClientRect().top - 200);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);  // fires selectionchange, as a keyboard selection does
  if (mouse) box.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
  const rects = range.getClientRects();
  return rects[rects.length - 1].toJSON();
}"""


@pytest.fixture
def site(staff_site):
    return staff_site


def curator_page(browser, site, **context):
    page = browser.new_context(**context).new_page()
    log_in(page, site, "curator")
    page.goto(f"{site}/sources/{SLUG}/")
    return page


def select(page, quote, nth=0, mouse=True, before=0):
    """Select the nth occurrence of quote in the article and the `before` characters before it;
    return the last line box of the selection."""
    return page.evaluate(SELECT, [quote, nth, mouse, before])


def cite_links(page):
    """Each cite link's path and its query parameters."""
    bar = page.locator("#cite-bar")
    bar.wait_for(state="visible")
    links = {}
    for link in bar.get_by_role("link").all():
        url = urlsplit(link.get_attribute("href"))
        links[link.inner_text()] = (url.path, parse_qs(url.query, keep_blank_values=True))
    return links


def test_a_curator_selects_a_passage_and_gets_links_that_cite_it(site, browser):
    source = Source.objects.get(slug=SLUG)
    text = source.text
    page = curator_page(browser, site, viewport={"width": 1366, "height": 900})
    assert page.locator(".source-text").text_content() == text
    assert not page.locator("#cite-bar").is_visible()

    # A passage that occurs once, selected as a keyboard does (selectionchange, no mouseup).
    select(page, ONCE, mouse=False)
    links = cite_links(page)
    assert links == {
        "on a new stance": (
            reverse("admin:positions_stance_add"),
            {"cite_source": [SLUG], "cite_quote": [ONCE]},
        ),
        "on a new demand": (
            reverse("admin:positions_demand_add"),
            {"cite_source": [SLUG], "cite_quote": [ONCE]},
        ),
        "on a new counterproposal / response": (
            reverse("admin:positions_response_add"),
            {"cite_source": [SLUG], "cite_quote": [ONCE]},
        ),
        "on an existing stance…": (
            reverse("admin:cite-existing"),
            {"cite_source": [SLUG], "cite_quote": [ONCE]},
        ),
    }

    # A passage that occurs twice: the words just before it say which.
    first, second = (m.start() for m in re.finditer(re.escape(TWICE), text))
    for nth, start, prefix in ((0, first, "Impasse?"), (1, second, "Silence")):
        # The white space selected before the passage is trimmed from the quote.
        assert text[start - 2 : start].isspace()
        select(page, TWICE, nth=nth, before=2)
        page.wait_for_function(
            "p => document.querySelector('#cite-bar a').href.includes(p)",
            arg="cite_prefix=" + prefix.replace("?", "%3F"),
        )
        path, query = cite_links(page)["on a new stance"]
        assert query == {"cite_source": [SLUG], "cite_quote": [TWICE], "cite_prefix": [prefix]}
        found = anchor(text, TWICE, prefix=prefix)
        assert (found.start, found.end) == (start, start + len(TWICE))

    # The bar sits just below the selection, inside the page's width.
    last = select(page, TWICE, nth=1)
    bar = page.locator("#cite-bar")
    bar.wait_for(state="visible")
    box = bar.bounding_box()
    assert 0 <= box["y"] - last["bottom"] <= 40
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1366
    assert "occurs 2 times" in bar.inner_text()
    # The selection is translucent over a highlighted passage too, so the highlight shows through.
    for selector in (".source-text", ".source-text mark"):
        colour = page.locator(selector).first.evaluate(
            "el => getComputedStyle(el, '::selection').backgroundColor"
        )
        assert re.fullmatch(r"rgba\(\d+, \d+, \d+, 0?\.\d+\)", colour), (selector, colour)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "cite-bar-1366.png"))

    # Its links are real links: Tab from a place clicked in the article reaches them; Escape
    # puts the bar away.
    page.locator("h1").first.click()
    bar.wait_for(state="hidden")  # a click elsewhere clears the selection
    select(page, TWICE, nth=1)
    bar.wait_for(state="visible")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "on a new stance"
    page.keyboard.press("Escape")
    bar.wait_for(state="hidden")


def test_on_a_phone_the_bar_is_fixed_to_the_bottom_without_overflow(site, browser):
    page = curator_page(
        browser, site, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    select(page, TWICE, nth=1, mouse=False)
    bar = page.locator("#cite-bar")
    bar.wait_for(state="visible")
    box = bar.bounding_box()
    assert box["x"] == 0 and box["width"] == 390
    assert box["y"] + box["height"] == pytest.approx(844, abs=1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "cite-bar-390.png"))


def test_following_a_cite_link_opens_the_add_form_with_the_citation_filled_in(site, browser):
    source = Source.objects.get(slug=SLUG)
    page = curator_page(browser, site, viewport={"width": 1366, "height": 900})
    select(page, TWICE, nth=1)
    page.locator("#cite-bar").get_by_role("link", name="on a new stance").click()
    page.wait_for_url(re.compile(r"/admin/positions/stance/add/\?cite_source="))
    assert page.locator("#id_citations-0-source").input_value() == str(source.pk)
    assert page.locator("#id_citations-0-quote").input_value() == TWICE
    assert page.locator("#id_citations-0-prefix").input_value() == "Silence"
    assert page.locator("#id_citations-0-suffix").input_value() == ""


def test_a_visitor_selecting_a_passage_gets_no_cite_control(site, browser):
    page = browser.new_context().new_page()
    page.goto(f"{site}/sources/{SLUG}/")
    select(page, TWICE, nth=1)
    page.wait_for_timeout(400)  # longer than the script waits after a selection change
    assert page.locator("#cite-bar").count() == 0
    assert page.locator("a[href*='/admin/']").count() == 0
    assert page.locator("script[src*='cite']").count() == 0
