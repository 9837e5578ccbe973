"""The report a curator reads when a quote cannot be anchored, in the admin: a word diff against
the closest passage, whole; a plain sentence when only curly versus straight quotes differ; each
occurrence of an ambiguous quote in its context, with a button that picks it out."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from positions.citations import anchor, normalise, typographic_note
from positions.models import Source, Stance
from tests.factories import make_source
from tests.test_admin import stance_form

pytestmark = pytest.mark.django_db

SLUG = "way-out-of-impasse"
SUMMARY = "Russia is open to separate strategic arms talks."  # as stance_form fills it in
# The source: "Few can have been surprised by the outcome of the recent talks between Russia and
# the West, in which the latter, represented by the United States and its European allies,
# rejected Russia’s demands". Typed with one word changed and one left out.
WRONG = (
    "Few can have been surprised by the outcome of the recent negotiations between Russia and "
    "the West, in which the latter, represented by the United States and its allies, rejected "
    "Russia’s demands"
)
PASSAGE = (
    "Few can have been surprised by the outcome of the recent talks between Russia and the West, "
    "in which the latter, represented by the United States and its European allies, rejected "
    "Russia’s demands"
)
# The source prints "Let’s" and "Brussels’s" with curly apostrophes.
STRAIGHT = (
    "Let's not forget that NATO institutional expansion eastward is not among Brussels's short- "
    "or even medium-term goals."
)
# The article's lede repeats its first paragraph: after the headline ("... Talks Impasse?") and
# again after the caption of a related article ("... Suffers in Silence").
TWICE = (
    "If Moscow believes that the main security threat it faces is NATO military infrastructure "
    "moving closer to Russia’s western borders"
)


def report(curator, quote, source=None, **fields):
    """The report under the quote field, after a curator saves a stance citing ``quote``."""
    source = source or Source.objects.get(slug=SLUG)
    response = curator.post(
        reverse("admin:positions_stance_add"), stance_form(source, quote, **fields)
    )
    assert response.status_code == 200  # refused: the form comes back
    page = response.content.decode()
    assert "/static/positions/quote-report.js" in page
    match = re.search(r'<div class="quote-report">.*?</div>', page, re.S)
    assert match, "no report on the page"
    assert not Stance.objects.filter(summary=SUMMARY).exists()
    return match.group(0)


def test_a_wrong_quote_is_compared_word_by_word_with_the_whole_closest_passage(curator, dataset):
    html = report(curator, WRONG)
    assert "quote not found verbatim in the source" in html
    assert "the closest passage is" in html
    assert len(PASSAGE) > 90 and "…" not in html  # whole, never cut
    diff = re.search(r'<p class="quote-diff">(.*?)</p>', html, re.S).group(1)
    assert re.findall(r"<del>(.*?)</del>", diff) == ["negotiations"]
    assert re.findall(r"<ins>(.*?)</ins>", diff) == ["talks", "European"]
    # The diff reads as the quote with its changes; without the struck words, as the source.
    assert re.sub(r"<del>.*?</del> |</?ins>", "", diff) == escape(PASSAGE)
    assert re.sub(r" <ins>.*?</ins>|</?del>", "", diff) == escape(WRONG)
    assert "Struck out: in your quote, not in the source" in html
    assert "Underlined: in the source" in html
    assert f'<blockquote class="quote-source">{escape(PASSAGE)}</blockquote>' in html
    assert escape(typographic_note(("quotes",))) not in html


def test_straight_quotes_for_curly_ones_are_named_as_the_only_difference(curator, dataset):
    html = report(curator, STRAIGHT)
    assert escape("The words match; only curly versus straight quotes differ") in html
    assert escape("use the source's characters") in html
    curly = STRAIGHT.replace("'", "’")
    assert f'<blockquote class="quote-source">{escape(curly)}</blockquote>' in html
    diff = re.search(r'<p class="quote-diff">(.*?)</p>', html, re.S).group(1)
    assert re.findall(r"<del>(.*?)</del>", diff) == [escape("Let's"), escape("Brussels's")]
    assert re.findall(r"<ins>(.*?)</ins>", diff) == ["Let’s", "Brussels’s"]


def test_an_ambiguous_quote_shows_each_occurrence_in_context_and_no_offsets(curator, dataset):
    html = report(curator, TWICE)
    assert "occurs 2 times in the source" in html and "add a prefix or suffix" in html
    items = re.findall(r"<li>(.*?)</li>", html, re.S)
    assert len(items) == 2
    for item, before, prefix in zip(
        items,
        ("Russia-NATO Talks Impasse?", "Business Elite Suffers in Silence"),
        ("Impasse?", "Silence"),
        strict=True,
    ):
        context = re.search(r"<p id=[^>]*>(.*?)</p>", item, re.S).group(1)
        assert re.match(
            rf"… .*{re.escape(escape(before))} <strong>{escape(TWICE)}</strong>, it would make",
            context,
        )
        assert "Use this one</button>" in item
        assert f'data-prefix="{escape(prefix)}" data-suffix=""' in item
        assert escape(f"Picked out by the prefix “{prefix}”.") in item
    text = Source.objects.get(slug=SLUG).text
    starts = [anchor(text, TWICE, prefix=p).start for p in ("Impasse?", "Silence")]
    assert "offset" not in html
    assert not any(str(n) in html for n in starts)


def test_a_quote_ruled_out_by_its_prefix_offers_its_occurrences(curator, dataset):
    html = report(curator, TWICE, **{"citations-0-prefix": "Washington said"})
    assert "with the prefix or suffix given. The quote itself is in the source" in html
    assert html.count("Use this one</button>") == 2


def test_everything_from_the_text_is_escaped(curator, dataset):
    source = make_source(text='Before. The <b>bold</b> & "plain" words of the source. After.')
    html = report(curator, 'The <i>bold</i> & "plain" words <script>x</script>', source)
    assert "<b>" not in html and "<i>" not in html and "<script>" not in html
    diff = re.search(r'<p class="quote-diff">(.*?)</p>', html, re.S).group(1)
    assert diff == (
        "The <del>&lt;i&gt;bold&lt;/i&gt;</del> <ins>&lt;b&gt;bold&lt;/b&gt;</ins> "
        "&amp; &quot;plain&quot; words <del>&lt;script&gt;x&lt;/script&gt;</del> "
        "<ins>of</ins>"
    )


def test_nothing_alike_says_so(curator, dataset):
    html = report(curator, "Completely unrelated words about cooking pasta with tomatoes")
    assert "quote not found verbatim in the source" in html and "no passage of it is close" in html
    assert "<del>" not in html


def test_the_passage_the_report_shows_saves(curator, dataset):
    """After the report, the passage it shows saves."""
    source = Source.objects.get(slug=SLUG)
    response = curator.post(reverse("admin:positions_stance_add"), stance_form(source, PASSAGE))
    assert response.status_code == 302
    citation = Stance.objects.get(summary=SUMMARY).citations.get()
    assert normalise(source.text[citation.start : citation.end]) == PASSAGE
