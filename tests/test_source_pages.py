"""A source page lists its cited passages a page at a time (?page=N, PASSAGES_PER_PAGE a page),
each with the claims that cite it, while the article above highlights every passage whatever the
page: a passage's number in the article leads to its claims on the page that lists them. What a
page costs follows what it lists, not how much of the source is cited."""

import datetime
import re

import pytest
from django.db.models.signals import post_init

from positions.models import (
    Actor,
    ActorKind,
    Attribution,
    Citation,
    DatePrecision,
    Demand,
    Issue,
    Response,
    Stance,
    StanceCode,
    Status,
    TalkRound,
)
from positions.site.queries import PASSAGES_PER_PAGE
from tests.factories import cite, make_source, source_text
from tests.test_query_counts import VALIDATOR
from tests.test_source_reader import Page, article

pytestmark = pytest.mark.django_db

URL = "/sources/source/"


def new_round(slug, order):
    return TalkRound.objects.create(
        slug=slug,
        title=f"Round {order}",
        format="bilateral",
        city="Geneva",
        order=order,
        start_date=datetime.date(2022, 1, 1),
        date_precision=DatePrecision.DAY,
    )


def cited_source(n):
    """A source of n passages (factories.source_text), passage i cited once, in turn by a stance
    stated at a round, a demand, a response, a round and a standing stance: every kind of record
    the page lists. Returns the source and, for each passage, its claim (or round)."""
    source = make_source(text=source_text(n))
    party = Actor.objects.create(slug="party", name="Party", kind=ActorKind.STATE, order=0)
    talk_round = new_round("talks", 0)
    published = {"actor": party, "status": Status.PUBLISHED}
    claims = []
    for i in range(n):
        kind = i % 5
        if kind in (0, 4):
            claim = Stance.objects.create(
                **published,
                issue=Issue.objects.create(slug=f"issue-{i}", title=f"Issue {i}", order=i),
                talk_round=talk_round if kind == 0 else None,
                code=StanceCode.DEMANDS,
                summary=f"Stance {i}",
                attribution=Attribution.REPORTED,
            )
            target = {"stance": claim}
        elif kind == 1:
            claim = Demand.objects.create(
                **published, slug=f"demand-{i}", talk_round=talk_round, text=f"Demand {i}"
            )
            target = {"demand": claim}
        elif kind == 2:
            claim = Response.objects.create(
                **published,
                slug=f"response-{i}",
                talk_round=talk_round,
                kind="rejection",
                text=f"Response {i}",
            )
            target = {"response": claim}
        else:
            claim = new_round(f"round-{i}", i)
            target = {"talk_round": claim}
        cite(source, f"Passage {i}: party {i} says its piece on issue {i}.", **target)
        claims.append(claim)
    return source, claims


def claim_link(claim):
    return f'href="{claim.get_absolute_url()}"'


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def spans(source):
    """The cited spans of the source, in order: passage i of cited_source is the i-th."""
    return sorted(set(Citation.objects.filter(source=source).values_list("start", "end")))


def listed(html):
    """The list below the article: its page links and the list itself."""
    return html.split('<h2 id="cited-passages">', 1)[1]


def controls(html):
    """Where each passage's number in the article leads: its note id -> the link's href."""
    return {
        note: href.replace("&amp;", "&")
        for href, note in re.findall(
            r'<a class="passage-ref" href="([^"#]*#(n\d+-\d+))"', article(html)
        )
    }


def note_of(html, name):
    """The list of claims a passage's number opens (its note), as the page holds it."""
    return html.split(f'<div class="passage-note" id="{name}">', 1)[1].split("</div>", 1)[0]


@pytest.fixture
def cited():
    return cited_source(120)  # 3 pages: passages 1–50, 51–100, 101–120


def test_the_second_page_lists_passages_51_to_100_and_not_the_first_ones_claims(client, cited):
    assert PASSAGES_PER_PAGE == 50
    source, claims = cited
    html = get(client, f"{URL}?page=2")
    below = listed(html)
    assert "Passages 51–100 of 120" in below
    # Passages 51 to 100 (cited_source's 50 to 99), in a numbered list that goes on from the
    # first page, each with its claim; and each with its note, which lists that claim too.
    assert '<ol class="passages" start="51">' in below
    items = re.findall(r'<li id="p(\d+)-(\d+)">', below)
    assert [(int(s), int(e)) for s, e in items] == spans(source)[50:100]
    notes = re.findall(r'<div class="passage-note" id="n(\d+)-(\d+)">', html)
    assert [(int(s), int(e)) for s, e in notes] == spans(source)[50:100]
    for i in range(50, 100):
        start, end = spans(source)[i]
        assert below.count(claim_link(claims[i])) == 1
        assert claim_link(claims[i]) in note_of(html, f"n{start}-{end}")
    assert '<a href="/demands/demand-51/">Party: Demand 51</a>' in below
    # The other pages' passages and their claims are neither listed nor in a note.
    for i in [*range(50), *range(100, 120)]:
        assert claim_link(claims[i]) not in html, i
        assert f"“Passage {i}: party {i} says" not in html, i


def test_every_passage_is_highlighted_with_its_anchor_on_any_page(client, cited):
    source, _ = cited
    for page in ("", "?page=2", "?page=3"):
        html = get(client, URL + page)
        assert "120 cited passages are highlighted" in html
        read = Page(article(html))
        assert read.text == source.text
        led = [target.rpartition("#")[2] for kind, target in read.order if kind == "control"]
        for start, end in spans(source):
            name = f"c{start}-{end}"
            assert read.marked.get(name) == source.text[start:end], (page, name)
            assert read.order.count(("anchor", name)) == 1, (page, name)
            assert led.count(f"n{start}-{end}") == 1, (page, name)


def test_a_passage_number_leads_to_its_claims_on_the_page_that_lists_them(client, cited):
    source, claims = cited
    note = [f"n{start}-{end}" for start, end in spans(source)]
    links = controls(get(client, f"{URL}?page=2"))
    assert len(links) == 120
    assert links[note[0]] == f"{URL}#{note[0]}"  # the first page is the page without ?page
    assert links[note[49]] == f"{URL}#{note[49]}"
    assert links[note[50]] == f"#{note[50]}"  # listed on this page: its note here
    assert links[note[99]] == f"#{note[99]}"
    assert links[note[100]] == f"?page=3#{note[100]}"
    assert links[note[119]] == f"?page=3#{note[119]}"
    # From the first page too; and followed, each opens its note, which lists its claim.
    links = controls(get(client, URL))
    assert links[note[0]] == f"#{note[0]}"
    for i in (0, 49, 50, 99, 100, 119):
        address, name = links[note[i]].split("#")
        there = get(client, URL + address)
        assert claim_link(claims[i]) in note_of(there, name), i


def test_page_links_keep_the_rest_of_the_query_string(client, cited):
    source, _ = cited
    note = [f"n{start}-{end}" for start, end in spans(source)]
    html = get(client, f"{URL}?ref=feed&page=2")
    links = controls(html)
    assert links[note[0]] == f"?ref=feed#{note[0]}"
    assert links[note[100]] == f"?ref=feed&page=3#{note[100]}"
    nav = listed(html).split('<nav class="pages numbered"', 1)[1].split("</nav>", 1)[0]
    assert '<a rel="prev" href="?ref=feed">Previous</a>' in nav
    assert '<a rel="next" href="?ref=feed&amp;page=3">Next</a>' in nav
    assert '<span aria-current="page">2</span>' in nav
    assert '<a href="?ref=feed&amp;page=3" aria-label="Page 3">3</a>' in nav


@pytest.mark.parametrize("page", ["0", "x", "999", "-1", "2.5", "3"])
def test_a_page_that_does_not_exist_is_not_found(client, page):
    cited_source(PASSAGES_PER_PAGE + 1)  # two pages
    assert client.get(f"{URL}?page=2").status_code == 200
    assert client.get(f"{URL}?page={page}").status_code == 404


def test_a_source_with_one_page_of_passages_has_no_page_links(client):
    cited_source(PASSAGES_PER_PAGE)
    html = get(client, URL)
    assert '<nav class="pages' not in html and "?page=" not in html
    assert '<ol class="passages">' in html
    assert get(client, f"{URL}?page=1") == html


@pytest.mark.parametrize("n", [60, 200])
def test_the_cost_of_a_page_follows_what_it_lists(client, django_assert_num_queries, n):
    """Four queries whatever the size (the source; every cited span with its counts; the page's
    citations with their claims; every claim's passages here, narrow, to step through them), and
    only the listed passages' citations become objects."""
    cited_source(n)
    loaded = []

    def count(sender, instance, **kwargs):
        loaded.append(instance)

    post_init.connect(count, sender=Citation)
    try:
        for page, shown in (("", PASSAGES_PER_PAGE), ("?page=2", min(PASSAGES_PER_PAGE, n - 50))):
            loaded.clear()
            with django_assert_num_queries(4 + VALIDATOR):
                get(client, URL + page)
            assert len(loaded) == shown  # cited_source cites each passage once
    finally:
        post_init.disconnect(count, sender=Citation)


def test_a_claim_citing_several_passages_steps_from_one_to_the_next(client, dataset):
    stance = next(
        s
        for s in Stance.objects.published().prefetch_related("citations")
        if len({(c.source_id, c.start) for c in s.citations.all()}) >= 3
        and len({c.source_id for c in s.citations.all()}) == 1
    )
    spans = sorted({(c.start, c.end) for c in stance.citations.all()})
    source = stance.citations.first().source
    page, number = "", 1  # every page of its list of passages
    while (response := client.get(f"{source.get_absolute_url()}?page={number}")).status_code == 200:
        page, number = page + response.content.decode(), number + 1
    first, *_, last = spans
    assert (
        f'<span class="steps">Passage 1 of {len(spans)} it cites here: '
        f'<a href="#c{spans[1][0]}-{spans[1][1]}" rel="next">next passage</a></span>'
    ) in page
    assert (
        f'<span class="steps">Passage {len(spans)} of {len(spans)} it cites here: '
        f'<a href="#c{spans[-2][0]}-{spans[-2][1]}" rel="prev">previous passage</a></span>'
    ) in page
    assert f'id="c{last[0]}-{last[1]}"' in page and f'id="c{first[0]}-{first[1]}"' in page
