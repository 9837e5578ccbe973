"""The report on an ambiguous quote, in a real Chromium: a curator cites a passage that occurs
twice, saves, clicks "Use this one" beside the occurrence they mean, saves again, and the
citation is anchored there."""

import re

import pytest

from positions.citations import anchor
from positions.models import Source, Stance
from tests.conftest import fill_stance, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUMMARY = "Moscow sees NATO infrastructure near its borders as the main threat."
# The article's lede repeats its first paragraph: once after the headline ("... Talks
# Impasse?"), once after the caption of a related article ("... Suffers in Silence").
TWICE = (
    "If Moscow believes that the main security threat it faces is NATO military infrastructure\n"
    "moving closer to Russia’s western borders"
)


@pytest.fixture
def site(staff_site):
    return staff_site


def test_use_this_one_picks_out_the_occurrence_the_curator_means(site, browser):
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    log_in(page, site, "curator")
    page.goto(site + "/admin/positions/stance/add/")
    fill_stance(
        page,
        "Russia",
        "NATO's forces and infrastructure near Russia",
        "opposes",
        SUMMARY,
        "Is There a Way Out",
        TWICE,
    )
    page.get_by_role("button", name="Save", exact=True).click()

    report = page.locator(".quote-report")
    report.wait_for()
    assert "occurs 2 times in the source" in report.inner_text()
    occurrences = report.locator("li")
    assert occurrences.count() == 2
    second = occurrences.filter(has_text="Suffers in Silence")
    button = second.get_by_role("button", name="Use this one")
    assert button.is_visible()  # the script shows the buttons
    report.scroll_into_view_if_needed()
    screenshot(page, "admin-ambiguous-quote")

    button.click()
    assert page.locator("#id_citations-0-prefix").input_value() == "Silence"
    assert page.locator("#id_citations-0-suffix").input_value() == ""
    assert "save to cite this one" in second.inner_text()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/positions/stance/$"))

    citation = Stance.objects.get(summary=SUMMARY).citations.get()
    text = Source.objects.get(slug="way-out-of-impasse").text
    second_start = anchor(text, TWICE, prefix="Silence").start
    assert anchor(text, TWICE, prefix="Impasse?").start < second_start
    assert (citation.prefix, citation.start) == ("Silence", second_start)
