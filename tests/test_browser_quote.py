"""The report on an ambiguous quote, in a real Chromium: a curator cites a passage that occurs
twice, saves, clicks "Use this one" beside the occurrence they mean, saves again, and the
citation is anchored there."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from positions.citations import anchor
from positions.models import Source, Stance
from tests.conftest import ensure_roles, screenshot
from tests.test_browser_admin import autocomplete, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUMMARY = "Moscow sees NATO infrastructure near its borders as the main threat."
# The article's lede repeats its first paragraph: once after the headline ("... Talks
# Impasse?"), once after the caption of a related article ("... Suffers in Silence").
TWICE = (
    "If Moscow believes that the main security threat it faces is NATO military infrastructure\n"
    "moving closer to Russia’s western borders"
)


@pytest.fixture
def site(live_server):
    call_command("load_dataset", verbosity=0)
    ensure_roles()
    user = User.objects.create_user("curator", password="curator-password-1", is_staff=True)
    user.groups.add(Group.objects.get(name="Curator"))
    return live_server.url


def test_use_this_one_picks_out_the_occurrence_the_curator_means(site, browser):
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    log_in(page, site, "curator")
    page.goto(site + "/admin/positions/stance/add/")
    autocomplete(page, "id_actor", "Russia")
    autocomplete(page, "id_issue", "NATO's forces and infrastructure near Russia")
    page.get_by_label("Stance:").select_option("opposes")
    page.get_by_label("Summary:").fill(SUMMARY)
    page.get_by_label("Attribution:").select_option("reported")
    autocomplete(page, "id_citations-0-source", "Is There a Way Out")
    page.locator("#id_citations-0-quote").fill(TWICE)
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
