"""Suggested claims (positions/curation/suggest.py, manage.py suggest_claims): every suggestion
quotes its source verbatim at its offsets and names records that exist; a new article gets
suggestions from what the curated ones teach; a held-out article's curated passages are found
more often than by reading it from the top."""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.html import escape

from positions.curation import suggest
from positions.models import Actor, Issue, Source, StanceCode, TalkRound
from tests.factories import make_source

pytestmark = pytest.mark.django_db

NEW_ARTICLE = (
    "Talks in Geneva ended without a breakthrough.\n\n"
    "Sergey Lavrov said on Friday that Russia demands legally binding guarantees that NATO will "
    "not expand further east.\n\n"
    "Antony Blinken replied that the United States rejects any veto on NATO membership for "
    "Ukraine.\n\n"
    "Both sides said they were ready to discuss arms control and military exercises.\n"
)


def suggestions(slug, *options):
    out = io.StringIO()
    call_command("suggest_claims", slug, "--json", *options, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.mark.parametrize("slug", ["trenin-week-of-talks", "way-out-of-impasse"])
def test_each_suggestion_quotes_its_source_verbatim_and_names_what_exists(dataset, slug):
    text = Source.objects.get(slug=slug).text
    found = suggestions(slug, "--held-out")
    assert len(found) > 20
    actors = set(Actor.objects.values_list("slug", flat=True))
    issues = set(Issue.objects.values_list("slug", flat=True))
    rounds = set(TalkRound.objects.values_list("slug", flat=True))
    codes = {c.value for c in StanceCode}
    for item in found:
        assert set(item) == {
            *("start", "end", "quote", "actor", "propositions"),
            *("kind", "code", "round", "score"),
        }
        assert text[item["start"] : item["end"]] == item["quote"]
        assert item["actor"] is None or item["actor"] in actors
        assert set(item["propositions"]) <= issues and len(item["propositions"]) <= 3
        assert item["round"] is None or item["round"] in rounds
        assert item["kind"] in ("stance", "demand", "response")
        assert item["kind"] != "stance" or item["code"] in codes
    scores = [item["score"] for item in found]
    assert scores == sorted(scores, reverse=True)  # best first


def test_a_new_article_gets_suggestions_from_what_the_curated_ones_teach(dataset):
    source = make_source(slug="new-article", title="A new article", text=NEW_ARTICLE)
    found = {item["quote"][:20]: item for item in suggestions(source.slug)}
    lavrov = found["Sergey Lavrov said o"]
    assert lavrov["actor"] == "sergey-lavrov" and lavrov["code"] == "demands"
    blinken = found["Antony Blinken repli"]
    assert blinken["actor"] == "antony-blinken" and blinken["code"] == "rejects"
    assert "ready" in found["Both sides said they"]["quote"]
    assert found["Both sides said they"]["code"] == "open"
    assert all("\n" not in item["quote"] for item in found.values())  # one paragraph each


def test_a_held_out_article_is_found_better_than_by_reading_it_from_the_top(dataset):
    results = suggest.evaluate(top=(20,))
    found = sum(r["top20"] for r in results.values())
    in_order = sum(r["order20"] for r in results.values())
    assert found > in_order  # the ranking earns its place
    for row in results.values():
        assert row["actor"] <= row["matched"] and row["issue1"] <= row["issue3"] <= row["matched"]


def test_an_unknown_source_is_a_clear_error(dataset):
    with pytest.raises(CommandError, match="No source has the slug “atlantis”"):
        call_command("suggest_claims", "atlantis")


# --------------------------------------------------------------------------- in the admin


def test_a_curator_accepts_a_suggestion_into_a_filled_in_draft_form(client, curator_user, dataset):
    from django.urls import reverse

    source = make_source(slug="new-article", title="A new article", text=NEW_ARTICLE)
    client.force_login(curator_user)
    page = client.get(reverse("admin:suggestions", args=[source.slug])).content.decode()
    assert "Sergey Lavrov said on Friday" in page and "Accept as a stance" in page
    accept = re.search(r'href="(/admin/positions/stance/add/\?[^"]*Lavrov[^"]*)"', page)
    form = client.get(accept.group(1).replace("&amp;", "&")).content.decode()
    lavrov = Actor.objects.get(slug="sergey-lavrov")
    assert re.search(rf'<option value="{lavrov.pk}" selected>', form)
    assert re.search(r'<option value="demands" selected>', form)
    assert "Sergey Lavrov said on Friday" in form  # the passage, as the citation's quote


def test_a_dismissed_suggestion_stays_dismissed(client, curator_user, dataset):
    from django.urls import reverse

    source = make_source(slug="new-article", title="A new article", text=NEW_ARTICLE)
    client.force_login(curator_user)
    url = reverse("admin:suggestions", args=[source.slug])
    start = NEW_ARTICLE.index("Antony Blinken")
    end = NEW_ARTICLE.index("Ukraine.") + len("Ukraine.")
    assert f'id="suggestion-{start}-{end}"' in client.get(url).content.decode()
    client.post(url, {"start": start, "end": end})
    assert f'id="suggestion-{start}-{end}"' not in client.get(url).content.decode()
    client.logout()
    other = curator_user.__class__.objects.create_user("other", is_staff=True)
    other.groups.set(curator_user.groups.all())
    client.force_login(other)  # for everyone
    assert f'id="suggestion-{start}-{end}"' not in client.get(url).content.decode()
    assert client.post(url, {"start": "x"}).status_code == 302  # a message, never a 500
    assert client.post(url, {"start": 0, "end": 10**6}).status_code == 302


def test_suggestions_are_for_curators_only(client, dataset):
    from django.urls import reverse

    url = reverse("admin:suggestions", args=["trenin-week-of-talks"])
    assert client.get(url).status_code == 302  # to the login


def test_a_passage_is_added_to_an_existing_stance_through_its_form(client, curator_user, dataset):
    from django.urls import reverse

    from positions.models import Citation, Stance

    source = Source.objects.get(slug="trenin-week-of-talks")
    stance = Stance.objects.published().filter(actor__slug="russia").first()
    quote = next(c.quote for c in Citation.objects.filter(source=source, stance__isnull=False))
    client.force_login(curator_user)
    page = client.get(
        reverse("admin:cite-existing"), {"cite_source": source.slug, "cite_quote": quote}
    ).content.decode()
    assert "Add it to this stance" in page and "Cite it on a new stance" in page
    searched = client.get(
        reverse("admin:cite-existing"),
        {"cite_source": source.slug, "cite_quote": quote, "q": stance.summary.split()[0]},
    ).content.decode()
    change = reverse("admin:positions_stance_change", args=[stance.pk])
    assert f'href="{change}?cite_source={source.slug}&amp;cite_quote=' in searched
    form = client.get(change, {"cite_source": source.slug, "cite_quote": quote}).content.decode()
    assert f"\n{escape(quote)}</textarea>" in form  # the empty citation row, filled in
    assert client.get(reverse("admin:cite-existing"), {"q": "x" * 500}).status_code == 200
