"""Two curators edit one claim in a real Chromium: the second save gets the conflict page, with
both versions, and nothing is lost."""

import pytest

from positions.models import Stance, Status
from tests.conftest import ARTIFACTS, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST = "Russia wants the talks to go on, on its terms (first curator)."
SECOND = "Russia is ready to continue talking (second curator)."


@pytest.fixture
def site(staff_site):
    return staff_site


def test_the_second_of_two_curators_gets_a_conflict_page_and_nothing_is_lost(site, browser):
    stance = Stance.objects.published().filter(actor__slug="russia").first()
    Stance.objects.filter(pk=stance.pk).update(status=Status.DRAFT)  # a draft both may edit
    original = stance.summary
    url = f"{site}/admin/positions/stance/{stance.pk}/change/"
    pages = []
    for name in ("curator", "curator2"):
        page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
        log_in(page, site, name)
        page.goto(url)
        pages.append(page)
    first, second = pages

    first.locator("#id_summary").fill(FIRST)
    first.get_by_role("button", name="Save", exact=True).click()
    first.locator(".messagelist", has_text="Saved as a draft").wait_for()

    second.locator("#id_summary").fill(SECOND)
    second.get_by_role("button", name="Save", exact=True).click()
    box = second.locator(".edit-conflict")
    box.wait_for()
    screenshot(second, "conflict-1366")
    assert "saved meanwhile by curator" in box.inner_text()
    row = box.locator("tr", has_text="summary")
    assert original in row.inner_text() and FIRST in row.inner_text()
    assert SECOND in row.inner_text()
    assert second.locator("#id_summary").input_value() == SECOND  # what they typed is kept
    stance.refresh_from_db()
    assert stance.summary == FIRST  # the first save stands

    second.set_viewport_size({"width": 390, "height": 844})
    box.scroll_into_view_if_needed()
    second.screenshot(path=str(ARTIFACTS / "conflict-390.png"))  # the screen the curator sees
    second.set_viewport_size({"width": 1366, "height": 900})

    # Saving again from the conflict page is a deliberate choice.
    second.get_by_role("button", name="Save", exact=True).click()
    second.locator(".messagelist", has_text="Saved as a draft").wait_for()
    stance.refresh_from_db()
    assert stance.summary == SECOND
    assert stance.history.filter(summary=FIRST).exists()  # the first version stays in history
