"""A new article curated at annotation speed, in a real Chromium: a curator pastes it in as a new
source, accepts two of Parley's suggested claims into drafts and adds a passage of it to an
existing stance; an editor reviews the three in the queue, each whole, and publishes them; the
public pages then show them, and the source's SHA-256 is the file's."""

import re

import pytest

from positions.citations import sha256_text
from positions.models import Source, Stance, Status, TalkRound
from tests.conftest import autocomplete, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# As a text file would hold it: "\n" line ends, a final newline.
ARTICLE = (
    "Talks in Geneva ended without a breakthrough on Monday.\n"
    "\n"
    "Sergey Lavrov said that Russia demands legally binding guarantees that NATO will not "
    "expand further east.\n"
    "\n"
    "Antony Blinken replied that the United States rejects any veto on NATO membership for "
    "Ukraine.\n"
    "\n"
    "Moscow again insisted that NATO must not take in Ukraine or Georgia as new members.\n"
)
LAVROV = "Sergey Lavrov said that Russia demands"
BLINKEN = "Antony Blinken replied"
SLUG = "talks-in-geneva-end-without-a-breakthrough"  # made from the title as it is typed
AGAIN = "Moscow again insisted that NATO must not take in Ukraine or Georgia as new members."


@pytest.fixture
def site(staff_site):
    return staff_site


def accept(curator, site, slug, opening, summary):
    """Accept the suggestion that opens with ``opening``, fill what it could not, save."""
    curator.goto(f"{site}/admin/suggestions/{slug}/")
    item = curator.locator("article.review-item", has_text=opening)
    item.get_by_role("link", name=re.compile("Accept as a stance")).click()
    curator.wait_for_url(re.compile(r"/admin/positions/stance/add/"))
    assert curator.locator("#id_citations-0-quote").input_value().startswith(opening)
    # At the Geneva talks: these two already have standing positions on what it suggests.
    autocomplete(curator, "id_talk_round", TalkRound.objects.get(slug="geneva-talks-2022").title)
    curator.get_by_label("Summary:").fill(summary)
    curator.get_by_label("Attribution:").select_option("reported")
    curator.get_by_role("button", name="Save", exact=True).click()
    curator.locator(".messagelist, .errornote").first.wait_for()
    errors = curator.locator(".errorlist, .errornote").all_inner_texts()
    assert not errors, errors
    curator.locator(".messagelist", has_text="Saved as a draft").wait_for()
    return Stance.objects.get(summary=summary)


def test_paste_accept_suggestions_cite_onto_a_claim_review_and_publish(site, browser):
    curator = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    log_in(curator, site, "curator")

    # A new source, pasted: the browser sends its lines with "\r\n".
    curator.goto(f"{site}/admin/positions/source/add/")
    curator.get_by_label("Title:").fill("Talks in Geneva end without a breakthrough")
    curator.get_by_label("Kind:").select_option(index=1)
    curator.get_by_label("Date precision:").select_option("unknown")
    curator.locator("#id_text").fill(ARTICLE)
    curator.get_by_role("button", name="Save and continue editing").click()
    curator.locator(".messagelist, .errornote").first.wait_for()
    errors = curator.locator(".errorlist, .errornote").all_inner_texts()
    assert not errors, errors
    source = Source.objects.get(slug=SLUG)
    assert source.text == ARTICLE and source.sha256 == sha256_text(ARTICLE)

    # Its suggestions, from its form.
    curator.get_by_role("link", name="The passages that read like claims").click()
    curator.wait_for_url(re.compile(rf"/admin/suggestions/{SLUG}/"))
    screenshot(curator, "suggest-1-suggestions")
    lavrov = curator.locator("article.review-item", has_text=LAVROV)
    assert "Sergey Lavrov" in lavrov.locator("dl").inner_text()

    first = accept(curator, site, source.slug, LAVROV, "Lavrov: Russia demands guarantees.")
    second = accept(curator, site, source.slug, BLINKEN, "Blinken: no Russian veto.")
    assert first.actor.slug == "sergey-lavrov" and first.code == "demands"
    assert second.actor.slug == "antony-blinken" and second.code == "rejects"
    assert {first.status, second.status} == {Status.DRAFT}

    # A passage added to an existing, published stance: proposed as a change to it.
    existing = (
        Stance.objects.published()
        .filter(actor__slug="russia", issue__slug="ukraine-georgia-membership")
        .first()
    )
    curator.goto(f"{site}/admin/cite/?cite_source={source.slug}&cite_quote={AGAIN}")
    row = curator.locator("tr", has_text=existing.summary[:40])
    row.get_by_role("link", name="Add it to this stance").click()
    curator.wait_for_url(re.compile(rf"/admin/positions/stance/{existing.pk}/change/"))
    curator.get_by_role("button", name="Save", exact=True).click()
    curator.locator(".messagelist", has_text="proposed change awaiting").wait_for()
    proposal = Stance.objects.get(revision_of=existing)

    # The editor sees each whole in the queue and publishes them.
    editor = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    log_in(editor, site, "editor")
    editor.goto(f"{site}/admin/review/")
    for claim in (first, second):
        item = editor.locator(f"#stance-{claim.pk}")
        facts = item.locator("dl.review-facts").inner_text()
        assert claim.summary in facts and claim.actor.name in facts and claim.issue.title in facts
    screenshot(editor, "suggest-2-review-queue")
    for claim, button in ((first, "Approve and publish"), (second, "Approve and publish")):
        editor.locator(f"#stance-{claim.pk}").get_by_role("button", name=button).click()
        editor.locator(".messagelist", has_text="Approved").wait_for()
    editor.locator(f"#stance-{proposal.pk}").get_by_role("button", name="Approve change").click()
    editor.locator(".messagelist", has_text="Approved").wait_for()

    # The public pages show them, quoting the new source.
    visitor = browser.new_context().new_page()
    for claim in (first, second):
        visitor.goto(f"{site}/stances/{claim.pk}/")
        assert claim.summary in visitor.locator("main").inner_text()
        assert "Talks in Geneva end without a breakthrough" in visitor.locator("main").inner_text()
    visitor.goto(f"{site}/stances/{existing.pk}/")
    assert AGAIN in visitor.locator("main").inner_text()
    visitor.goto(f"{site}/sources/{source.slug}/")
    assert visitor.locator(".source-text mark").count() >= 3
    source.refresh_from_db()
    assert source.sha256 == sha256_text(ARTICLE)
