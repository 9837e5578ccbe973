"""Every public page type, in a real Chromium, on a laptop (1366x900) and a phone (390x844): the
page never scrolls sideways and axe-core finds no accessibility violation, in the light and the
dark colour scheme. Plus what a reader does on the way: skip the filters, see where the focus
is, copy the link to the current view."""

import re

import pytest
from django.core.management import call_command

from positions.models import Response, Stance
from tests.conftest import screenshot
from tests.pages import PAGE_TYPES, PAGED, small_pages
from tests.test_browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"laptop": (1366, 900), "phone": (390, 844)}

# Pages checked in the dark colour scheme too: the comparison with its filters and with their
# error messages, the claims with their quotes, a table, a demand with its notes, a source's text.
DARK = ["comparison-filtered", "comparison-invalid", "claims", "actor", "demand", "source", "about"]


@pytest.fixture
def site(live_server, monkeypatch):
    call_command("load_dataset", verbosity=0)
    small_pages(monkeypatch)  # the comparison and the issue pages show their page links
    return live_server.url


def page_urls():
    urls = {**PAGE_TYPES, **PAGED}
    urls["stance"] = Stance.objects.published().first().get_absolute_url()
    urls["response"] = (
        Response.objects.published().exclude(note="").order_by("slug").first().get_absolute_url()
    )
    return urls


def context(browser, size, **options):
    width, height = SIZES[size]
    # axe-core is injected as an inline script, which the site's Content-Security-Policy forbids.
    return browser.new_context(
        viewport={"width": width, "height": height}, bypass_csp=True, **options
    )


def overflow(page):
    """How far the document is wider than the screen (0: no sideways scrolling), and the widest
    elements that stick out, to name in a failure."""
    return page.evaluate(
        """() => {
        const width = document.documentElement.clientWidth;
        const over = document.documentElement.scrollWidth - width;
        const culprits = [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > width + 1)
            .filter(el => !el.closest('.table-scroll, .matrix-wrap'))
            .slice(0, 3)
            .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
        return {over, culprits};
    }"""
    )


@pytest.mark.parametrize("size", SIZES)
def test_no_page_scrolls_sideways_or_has_accessibility_violations(site, browser, size):
    ctx = context(browser, size)
    page = ctx.new_page()
    problems = []
    for name, url in page_urls().items():
        response = page.goto(site + url)
        assert response.status == 200, f"{name} ({url}) at {size} {SIZES[size]}: {response.status}"
        wide = overflow(page)
        if wide["over"] > 0:
            problems.append(
                f"{name} at {size} {SIZES[size]}: the page scrolls sideways by {wide['over']}px "
                f"({', '.join(wide['culprits'])})"
            )
        for violation in axe_violations(page):
            problems.append(
                f"{name} at {size} {SIZES[size]}: axe {violation['id']} ({violation['impact']}) "
                f"{violation['help']}: {violation['nodes'][:3]}"
            )
        if name in ("about", "claims", "actor"):
            screenshot(page, f"page-{name}-{size}")
    ctx.close()
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("size", SIZES)
def test_dark_mode_follows_the_system_and_stays_accessible(site, browser, size):
    ctx = context(browser, size, color_scheme="dark")
    page = ctx.new_page()
    urls = page_urls()
    problems = []
    for name in DARK:
        page.goto(site + urls[name])
        for violation in axe_violations(page):
            problems.append(
                f"{name} at {size} {SIZES[size]}, dark: axe {violation['id']} "
                f"{violation['help']}: {violation['nodes'][:3]}"
            )
    # The page really is dark: light text on a dark background.
    page.goto(site + urls["about"])
    colours = page.evaluate(
        "() => [getComputedStyle(document.documentElement).backgroundColor,"
        " getComputedStyle(document.body).color]"
    )
    screenshot(page, f"page-about-{size}-dark")
    ctx.close()
    background, text = (sum(map(int, re.findall(r"\d+", c)[:3])) for c in colours)
    assert background < 100 and text > 600, colours
    assert problems == [], "\n".join(problems)


def test_the_skip_link_lands_past_the_filters(site, page):
    page.goto(site + PAGE_TYPES["claims"])
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert skip.get_attribute("href") == "#results"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "results"
    # The next Tab goes to the first claim, not back into the filter form.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('form.filters')") is None
    assert page.evaluate("!!document.activeElement.closest('article.claim')")


def test_keyboard_focus_is_outlined_not_only_coloured(site, page):
    page.goto(site + "/about/")
    for _ in range(3):  # the skip link, the brand, the first link of the menu
        page.keyboard.press("Tab")
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert outline[0] == "solid" and outline[1] >= 2, outline
    page.get_by_label("Search").focus()
    page.keyboard.press("Tab")  # to the Go button
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"


def test_copy_link_copies_the_current_view(site, browser):
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page = ctx.new_page()
    page.goto(site + PAGE_TYPES["claims"])
    button = page.get_by_role("button", name="Copy link to this view")
    button.click()
    page.get_by_role("status").filter(has_text="Link copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == site + PAGE_TYPES["claims"]
    ctx.close()


def test_without_script_copy_link_is_a_link_to_the_same_view(site, browser):
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto(site + PAGE_TYPES["claims"])
    link = page.get_by_role("link", name="Copy link to this view")
    assert link.get_attribute("href") == PAGE_TYPES["claims"]
    ctx.close()
