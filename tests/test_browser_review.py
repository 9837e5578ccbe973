"""The whole curation path in a real Chromium: a curator selects a passage on a source page, cites
it on a new stance, gets a clear report on a deliberately wrong quote and fixes it; an editor sees
it in the review queue with its context and approves it; the public table shows it. Meanwhile a
published claim the curator changed stays public in its published form throughout."""

import re

import pytest

from positions.models import Stance, Status
from tests.conftest import autocomplete, log_in, screenshot
from tests.test_browser_cite import SELECT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SOURCE = "way-out-of-impasse"
# As the article has it, line break included: the selection carries it into the quote.
PASSAGE = (
    "Negotiations between Moscow and Washington on nuclear issues\n"
    "follow their own logic and dynamics."
)
WRONG = PASSAGE.replace("logic", "rules")
SUMMARY = "Russia is open to nuclear talks on their own track, apart from the NATO question."
EDITED = "A curator's reworded reading, not yet reviewed."


@pytest.fixture
def site(staff_site):
    return staff_site


def claims_text(page, site, stance):
    page.goto(f"{site}/claims/?actor={stance.actor.slug}&issue={stance.issue.slug}")
    return page.locator("main").inner_text()


def test_select_cite_fix_review_approve_publish(site, browser):
    visitor = browser.new_context().new_page()
    curator = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    log_in(curator, site, "curator")

    # The curator changes a published claim: it stays public as it was.
    published = Stance.objects.published().filter(actor__slug="united-states").first()
    original = published.summary
    curator.goto(f"{site}/admin/positions/stance/{published.pk}/change/")
    curator.locator("#id_summary").fill(EDITED)
    curator.get_by_role("button", name="Save", exact=True).click()
    curator.locator(".messagelist", has_text="proposed change awaiting").wait_for()
    assert original in claims_text(visitor, site, published)
    assert EDITED not in claims_text(visitor, site, published)

    # Select to cite.
    curator.goto(f"{site}/sources/{SOURCE}/")
    curator.evaluate(SELECT, [PASSAGE, 0, True, 0])
    bar = curator.locator("#cite-bar")
    bar.wait_for(state="visible")
    screenshot(curator, "e2e-1-select-to-cite")
    bar.get_by_role("link", name="on a new stance").click()
    curator.wait_for_url(re.compile(r"/admin/positions/stance/add/"))
    quote = curator.locator("#id_citations-0-quote")
    assert quote.input_value() == PASSAGE
    assert (
        "Is There a Way Out"
        in curator.locator("#select2-id_citations-0-source-container").inner_text()
    )

    autocomplete(curator, "id_actor", "Russia")
    autocomplete(curator, "id_issue", "Arms control in Europe")
    curator.get_by_label("Stance:").select_option("open")
    curator.get_by_label("Summary:").fill(SUMMARY)
    curator.get_by_label("Attribution:").select_option("reported")

    # A deliberately wrong quote gets a report that shows the difference.
    quote.fill(WRONG)
    curator.get_by_role("button", name="Save", exact=True).click()
    report = curator.locator(".errorlist", has_text="quote not found verbatim")
    report.wait_for()
    screenshot(curator, "e2e-2-mismatch-report")
    assert report.locator("del", has_text="rules").count() == 1
    assert report.locator("ins", has_text="logic").count() == 1
    assert not Stance.objects.filter(summary=SUMMARY).exists()

    curator.locator("#id_citations-0-quote").fill(PASSAGE)
    curator.get_by_role("button", name="Save", exact=True).click()
    curator.locator(".messagelist", has_text="not public until an editor").wait_for()
    stance = Stance.objects.get(summary=SUMMARY)
    assert stance.status == Status.DRAFT
    visitor.goto(f"{site}/?issue=arms-control")
    assert SUMMARY not in visitor.content()

    # The editor reviews it in the queue, with the quote in its source context, and approves.
    editor = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    log_in(editor, site, "editor")
    editor.get_by_role("link", name="Review queue").first.click()
    item = editor.locator(f"#stance-{stance.pk}")
    item.wait_for()
    assert item.locator("mark").inner_text().split() == PASSAGE.split()
    context = item.locator("blockquote").inner_text()
    assert len(context) > len(PASSAGE) + 100  # the words around the quote are there too
    proposal = editor.locator(f"#stance-{Stance.objects.get(revision_of=published).pk}")
    assert EDITED in proposal.locator("ins").all_inner_texts()
    screenshot(editor, "e2e-3-review-queue")
    item.get_by_role("button", name="Approve and publish").click()
    editor.locator(".messagelist", has_text="Approved and published").wait_for()

    visitor.goto(f"{site}/?issue=arms-control")
    table = visitor.get_by_role("table", name="Stances of the parties")
    row = table.locator("tr", has=visitor.get_by_role("rowheader", name="Arms control in Europe"))
    cell = row.locator("td").nth(1)  # Russia's column, after where the proposition stands
    assert cell.locator(".badge").inner_text() == "open to discuss"
    cell.locator("summary").click()
    assert SUMMARY in cell.inner_text()
    screenshot(visitor, "e2e-4-public-table")

    # The change nobody approved never reached the public; the published claim is untouched.
    assert original in claims_text(visitor, site, published)
    assert EDITED not in claims_text(visitor, site, published)
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED and published.summary == original
