"""What a person does, in a real Chromium: filter the table, follow a cell to its quote. Every
page type at two sizes, free of accessibility violations (axe-core): test_browser_pages.py."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command

from positions.models import Citation
from tests.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def site(live_server):
    call_command("load_dataset", verbosity=0)
    return live_server.url


def test_choosing_a_round_changes_the_table(site, page):
    page.goto(site + "/")
    table = page.get_by_role("table", name="Stances of the parties")
    all_rounds = table.inner_text()
    assert "Sweden and Finland are free to join NATO" in all_rounds  # a standing position

    page.locator("details.filter-panel > summary").click()  # the filters fold away by default
    page.get_by_label("Stated at round").select_option(label="Russia's draft treaty and agreement")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"round=russian-draft-treaties"))
    at_drafts = page.get_by_role("table", name="Stances of the parties").inner_text()
    screenshot(page, "comparison-at-drafts")
    assert "NATO withdraws the infrastructure it deployed since 1997" in at_drafts
    assert "Sweden and Finland are free to join NATO" not in at_drafts
    assert "at Russia's draft treaty and agreement" in page.title()
    # The choice survives in the shareable URL and in the (folded) form.
    assert page.get_by_label("Stated at round").input_value() == "russian-draft-treaties"


def test_following_a_cell_to_its_quote_highlighted_in_the_source(site, page):
    page.goto(site + "/?issue=non-enlargement-former-soviet&analysis=exclude")
    table = page.get_by_role("table", name="Stances of the parties")
    chip = table.locator('details.cell:has(a.evidence[href*="actor=russia"]) > summary').first
    chip.click()  # the cell opens on its summary and the way to its claims
    table.locator('a.evidence[href*="actor=russia"]').first.click()
    page.wait_for_url(re.compile(r"/claims/\?actor=russia"))
    quote_link = page.locator("blockquote.quote footer a.in-context").first
    href = quote_link.get_attribute("href")
    start, end = map(int, re.search(r"#c(\d+)-(\d+)$", href).groups())
    quote_link.click()
    page.wait_for_url(re.compile(r"/sources/.+#c\d+-\d+$"))
    screenshot(page, "source-passage")
    target = page.locator(f"[id='c{start}-{end}']")
    assert target.count() == 1
    # The passage may be several <mark>s (it crosses markup or other passages), each naming it.
    highlighted = page.locator(f"mark[data-passages~='c{start}-{end}']")
    citation = Citation.objects.filter(start=start, end=end).select_related("source").first()
    assert citation.source.text[start:end].startswith(highlighted.first.inner_text())
    # The passage in focus is framed whole (reader.js), not only coloured.
    frames = highlighted.evaluate_all("els => els.map(el => getComputedStyle(el).boxShadow)")
    assert frames and all(f.count("rgb(11, 92, 173)") >= 2 for f in frames), frames


def axe_violations(page):
    """axe-core's violations on the page; every page type is checked in test_browser_pages.py."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.map(n => n.target.join(' '))}));
    }"""
    )
