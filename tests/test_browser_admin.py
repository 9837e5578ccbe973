"""A curator's day, in a real Chromium: add a stance with a wrong quote, see the error, correct it;
an editor publishes it; it appears in the comparison table."""

import re

import pytest

from positions.models import Stance, Status
from tests.conftest import fill_stance, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WRONG = "Moscow hopes to receive written security guarantees from the U.S. and NATO."
RIGHT = "Moscow hopes to receive written security assurances from the U.S. and NATO."
SUMMARY = "Russia demands written assurances at the Lavrov-Blinken meeting."


@pytest.fixture
def site(staff_site):
    return staff_site


def test_curator_adds_a_stance_editor_publishes_it_and_the_table_shows_it(site, browser):
    curator = browser.new_context().new_page()
    log_in(curator, site, "curator")
    curator.goto(site + "/admin/positions/stance/add/")
    fill_stance(
        curator,
        "Russia",
        "Russia gets written assurances",
        "demands",
        SUMMARY,
        "Security Assurances Still on the Table",
        WRONG,
        talk_round="Lavrov-Blinken meeting",
    )
    curator.get_by_role("button", name="Save", exact=True).click()

    error = curator.locator(".errorlist", has_text="quote not found verbatim")
    error.wait_for()
    screenshot(curator, "admin-wrong-quote")
    assert "the closest passage is" in error.inner_text()
    assert not Stance.objects.filter(summary=SUMMARY).exists()

    curator.locator("#id_citations-0-quote").fill(RIGHT)
    curator.get_by_role("button", name="Save", exact=True).click()
    curator.wait_for_url(re.compile(r"/admin/positions/stance/$"))
    stance = Stance.objects.get(summary=SUMMARY)
    assert stance.status == Status.DRAFT

    # Not public yet.
    visitor = browser.new_context().new_page()
    visitor.goto(site + "/?round=lavrov-blinken-2022")
    assert SUMMARY not in visitor.content()

    editor = browser.new_context().new_page()
    log_in(editor, site, "editor")
    editor.goto(site + "/admin/positions/stance/?status__exact=draft")
    editor.locator(f"input[name='_selected_action'][value='{stance.pk}']").check()
    editor.locator("select[name='action']").select_option("publish")
    editor.locator("button[name=index]").first.click()
    editor.locator(".messagelist", has_text="1 marked published").wait_for()

    visitor.goto(site + "/?round=lavrov-blinken-2022")
    table = visitor.get_by_role("table", name="Stances of the parties")
    screenshot(visitor, "published-stance-in-table")
    cell = table.locator("td", has=visitor.locator(".badge", has_text="for: insists")).first
    cell.locator("summary").click()  # the summary opens on demand
    assert SUMMARY in cell.inner_text()
