"""The Atom feeds and the changes page: what became public, what changed, what was withdrawn;
never a draft, a claim under review or a proposed change; and a fixed number of queries."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from positions.curation import review
from positions.models import Attribution, Citation, Issue, Stance, StanceCode, Status
from positions.site import changes
from tests.factories import cite, make_source, make_world

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_FEED = "/feeds/claims.atom"
TEXT = (
    "Alpha says the first thing. Bravo says the second thing. Charlie whispers a draft secret. "
    "Delta says a corrected thing. Echo says another thing. Foxtrot calls it “a plan” today."
)


@pytest.fixture
def world():
    world = make_world(1)
    world["text"] = make_source(slug="feed-source", title="The feed article", text=TEXT)
    return world


def draft(world, summary, quote, actor=None):
    """A new stance, on an issue of its own, cited: a draft as a curator leaves it."""
    n = Issue.objects.count()
    issue = Issue.objects.create(
        slug=f"topic-{n}", title=f"Topic {n}", parent=world["parent"], order=50 + n
    )
    stance = Stance.objects.create(
        actor=actor or world["parties"][0],
        issue=issue,
        code=StanceCode.DEMANDS,
        summary=summary,
        attribution=Attribution.REPORTED,
    )
    cite(world["text"], quote, stance=stance)
    stance.refresh_from_db()  # the citation recorded the evidence on the stored row
    return stance


def published(world, editor_user, summary, quote, actor=None):
    return review.approve(draft(world, summary, quote, actor), editor_user)


def propose_change(claim, curator_user, **values):
    changed = Stance.objects.get(pk=claim.pk)
    for name, value in values.items():
        setattr(changed, name, value)
    return review.propose(claim, curator_user, changed)


def entries(client, url=SITE_FEED):
    """The feed parsed as Atom: one dict an entry."""
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}updated") is not None
    found = []
    for entry in feed.iter(f"{ATOM}entry"):
        found.append(
            {
                "id": entry.findtext(f"{ATOM}id"),
                "title": entry.findtext(f"{ATOM}title"),
                "link": entry.find(f"{ATOM}link[@rel='alternate']").get("href"),
                "updated": entry.findtext(f"{ATOM}updated"),
                "summary": entry.findtext(f"{ATOM}summary"),
                "content": entry.findtext(f"{ATOM}content"),
            }
        )
    return found


def url(claim):
    return "http://testserver" + claim.get_absolute_url()


def everything_said(client, world):
    """Every feed and the changes page, as one text."""
    feeds = [
        SITE_FEED,
        "/issues/cluster/feed.atom",
        f"/actors/{world['parties'][0].slug}/feed.atom",
    ]
    return "".join(client.get(u).content.decode() for u in [*feeds, "/changes/"])


# --------------------------------------------------------------------------- the feeds


def test_the_site_feed_is_atom_and_lists_the_published_claims_with_links_and_quotes(
    client, world, editor_user
):
    stance = published(
        world, editor_user, "Alpha insists on the first thing", "Alpha says the first thing."
    )
    found = entries(client)
    assert len({e["id"] for e in found}) == len(found), "each entry has its own id"
    assert all(e["id"].startswith("tag:testserver,") and e["updated"] for e in found)
    mine = [e for e in found if e["link"] == url(stance)]
    assert len(mine) == 1
    assert mine[0]["title"] == str(stance) == "Party 0: for: insists — Topic 2"
    assert "Alpha insists on the first thing" in mine[0]["summary"]
    assert "“Alpha says the first thing.”" in mine[0]["content"]
    assert "The feed article" in mine[0]["content"]
    assert found[0] == mine[0], "newest first"
    links = {e["link"] for e in found}
    for claim in Stance.objects.published():
        assert url(claim) in links
    assert {url(d) for d in world["parties"][0].demands.all()} <= links


def test_an_approved_change_to_a_published_claim_adds_an_entry(
    client, world, editor_user, curator_user
):
    stance = published(world, editor_user, "Bravo is first read", "Bravo says the second thing.")
    revision = propose_change(stance, curator_user, summary="Bravo is read again", code="rejects")
    before = [e for e in entries(client) if e["link"] == url(stance)]
    assert len(before) == 1, "a proposed change is not public"
    assert "Bravo is read again" not in client.get(SITE_FEED).content.decode()

    review.approve(revision, editor_user)
    after = [e for e in entries(client) if e["link"] == url(stance)]
    assert len(after) == 2
    assert after[0]["title"] == "Changed: Party 0: against: refuses — Topic 2"
    assert "Bravo is read again" in after[0]["summary"]
    assert after[1] == before[0], "the publication stays, as it was published"
    assert after[0]["id"] != after[1]["id"]


def test_a_save_that_changes_nothing_public_adds_no_entry(client, world, editor_user):
    stance = published(world, editor_user, "Echo is read", "Echo says another thing.")
    before = entries(client)
    stance.reviewed_at = timezone.now()
    stance.save()  # a recorded save: a new history record, the same public version
    assert stance.history.count() > 2
    assert entries(client) == before


def test_drafts_claims_under_review_and_proposed_changes_never_appear(
    client, world, editor_user, curator_user
):
    secret = draft(world, "Charlie draft reading 0", "Charlie whispers a draft secret.")
    for i in range(1, 8):  # a draft edited many times
        secret.summary = f"Charlie draft reading {i}"
        secret.save()
    returned = review.send_back(
        draft(world, "Returned reading", "Delta says a corrected thing."), editor_user, "no"
    )
    reviewed = review.mark_reviewed(
        draft(world, "Reviewed reading", "Echo says another thing."), editor_user
    )
    public = draft(world, "Alpha early draft", "Alpha says the first thing.")
    for i in range(5):  # edited as a draft, sent back, then published as it finally reads
        public.summary = f"Alpha early draft {i}"
        public.save()
    review.send_back(public, editor_user, "say it better")
    public.summary = "Alpha public reading"
    public.status = Status.DRAFT
    public.save()
    review.approve(public, editor_user)
    propose_change(public, curator_user, summary="Alpha proposed reading")
    assert secret.history.count() > 8 and returned.history.exists() and reviewed.history.exists()

    said = everything_said(client, world)
    assert "Alpha public reading" in said
    for hidden in ["Charlie draft reading", "Charlie whispers", "Returned reading",
                   "Reviewed reading", "Alpha proposed reading", "Alpha early draft"]:  # fmt: skip
        assert hidden not in said
    assert len([e for e in entries(client) if e["link"] == url(public)]) == 1
    for claim in (secret, returned, reviewed):
        assert claim.get_absolute_url() not in said
        assert str(claim) not in said


def test_a_withdrawal_is_an_entry_without_quotes_and_the_withdrawn_reading_leaves(
    client, world, editor_user
):
    stance = published(world, editor_user, "Delta reading", "Delta says a corrected thing.")
    public_name = str(stance)
    stance.code = StanceCode.OPEN  # an edit saved with the withdrawal, never public
    review.withdraw(stance, editor_user, "misread: an internal reason")
    found = entries(client)
    assert url(stance) not in {e["link"] for e in found}, "the claim page is gone"
    withdrawn = [e for e in found if e["title"].startswith("Withdrawn: ")]
    assert len(withdrawn) == 1
    assert withdrawn[0]["title"] == f"Withdrawn: {public_name}", "as the public saw it"
    assert str(stance) != public_name
    assert withdrawn[0]["link"] == url(stance.actor)
    text = client.get(SITE_FEED).content.decode()
    assert "Delta says a corrected thing" not in text, "no quotes of a withdrawn claim"
    assert "internal reason" not in text
    page = client.get("/changes/").content.decode()
    item = page.split('<li class="withdrawn">')[1].split("</li>")[0]
    assert public_name in item and "Withdrawn" in item
    assert stance.get_absolute_url() not in page


def test_the_issue_feed_holds_its_claims_and_its_sub_issues_and_no_other(client):
    world = make_world(3)
    issue_0 = {e["link"] for e in entries(client, "/issues/issue-0/feed.atom")}
    party_0, party_1 = world["parties"][0], world["parties"][1]
    assert url(party_0.demands.get()) in issue_0
    assert url(Stance.objects.get(actor=party_0)) in issue_0
    assert url(Stance.objects.get(actor__slug="analyst-0")) in issue_0
    assert "http://testserver/responses/answer-0/" in issue_0
    assert not any(link.endswith(("-1/", "-2/")) for link in issue_0)
    assert url(Stance.objects.get(actor=party_1)) not in issue_0
    cluster = {e["link"] for e in entries(client, "/issues/cluster/feed.atom")}
    assert issue_0 < cluster
    assert url(Stance.objects.get(actor=party_1)) in cluster
    assert client.get("/issues/atlantis/feed.atom").status_code == 404


def test_the_actor_feed_holds_the_party_and_its_officials_and_no_other(client):
    world = make_world(3)
    party_0 = {e["link"] for e in entries(client, "/actors/party-0/feed.atom")}
    assert url(Stance.objects.get(actor__slug="official-0")) in party_0
    assert "http://testserver/responses/answer-0/" in party_0  # given by its official
    assert url(Stance.objects.get(actor=world["parties"][0])) in party_0
    assert url(Stance.objects.get(actor__slug="analyst-0")) not in party_0
    assert url(Stance.objects.get(actor=world["parties"][1])) not in party_0
    official = {e["link"] for e in entries(client, "/actors/official-0/feed.atom")}
    assert official == {
        url(Stance.objects.get(actor__slug="official-0")),
        "http://testserver/responses/answer-0/",
    }
    assert client.get("/actors/nobody/feed.atom").status_code == 404


def test_pages_link_their_feed_in_the_head_and_in_the_text(client, world):
    for page, feed in [
        ("/issues/issue-0/", "/issues/issue-0/feed.atom"),
        ("/actors/party-0/", "/actors/party-0/feed.atom"),
        ("/changes/", SITE_FEED),
    ]:
        html = client.get(page).content.decode()
        head, body = html.split("</head>", 1)
        assert '<link rel="alternate" type="application/atom+xml"' in head
        assert f'href="{feed}"' in head
        assert f'<a href="{feed}" type="application/atom+xml">Follow (Atom)</a>' in body
    assert '<a href="/changes/">' in client.get("/about/").content.decode()


# --------------------------------------------------------------------------- the changes page


def test_the_changes_page_shows_a_published_claim_under_its_date(client, world, editor_user):
    stance = published(world, editor_user, "Alpha dated reading", "Alpha says the first thing.")
    day = datetime.datetime(2022, 1, 10, 15, 30, tzinfo=datetime.UTC)
    stance.history.filter(status=Status.PUBLISHED).update(history_date=day)
    page = client.get("/changes/").content.decode()
    days = page.split('<section class="changes-day"')[1:]
    assert '<time datetime="2022-01-10">10 January 2022</time>' in days[-1], "oldest last"
    assert f'<a href="{stance.get_absolute_url()}">{stance}</a>' in days[-1]
    assert "Published" in days[-1]
    assert str(stance) not in "".join(days[:-1])
    assert "topic-" not in page, "no internal slugs in the words"


def test_the_changes_page_is_paginated_with_page_links(client):
    make_world(10)
    page = client.get("/changes/").content.decode()
    total = changes.events().count()
    assert total > changes.events()[:50].count()  # more than one page
    assert f"{total} changes, page 1 of 4" in page
    assert '<a rel="next" href="?page=2">Older</a>' in page
    assert '<a href="?page=4" aria-label="Page 4">4</a>' in page
    last = client.get("/changes/?page=4").content.decode()
    assert '<a rel="prev" href="?page=3">Newer</a>' in last
    assert client.get("/changes/?page=99").status_code == 404  # no such page (paging.py)


def test_the_feed_is_paged_every_event_once_and_each_page_links_the_others(client):
    make_world(10)
    total = changes.events().count()
    assert total > 100  # three pages or more
    ids, url, seen_pages = [], SITE_FEED, []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        feed = ET.fromstring(response.content)
        links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
        assert links["first"] == "http://testserver" + SITE_FEED
        assert links["last"].endswith(f"?page={-(-total // 50)}")
        assert ("previous" in links) == bool(seen_pages)
        ids += [entry.findtext(f"{ATOM}id") for entry in feed.iter(f"{ATOM}entry")]
        seen_pages.append(url)
        url = links.get("next", "").removeprefix("http://testserver") or None
    assert len(ids) == len(set(ids)) == total  # each event once, none left out
    assert client.get(f"{SITE_FEED}?page=99").status_code == 404
    assert client.get(f"{SITE_FEED}?page=two").status_code == 404


def test_a_feed_of_one_page_links_no_other(client, world):
    feed = ET.fromstring(client.get(SITE_FEED).content)
    assert {link.get("rel") for link in feed.findall(f"{ATOM}link")} == {"alternate", "self"}


def test_an_entry_names_a_demand_by_its_slug_as_its_page_does(client):
    make_world(1)
    ids = [e["id"] for e in entries(client)]
    assert any(":demand/demand-0/" in i for i in ids)
    assert not [i for i in ids if ":demand/" in i and i.split("/")[1].isdigit()]


# --------------------------------------------------------------------------- the evidence text


def test_quotes_are_read_back_from_the_evidence_a_claim_records(world):
    """The feed reads a version's quotes from its evidence text: held to the format here."""
    stance = draft(world, "Quoted", "Alpha says the first thing.")
    quote = "calls it “a plan”"
    start = TEXT.index(quote)
    Citation.objects.create(
        source=world["text"],
        quote=quote,
        prefix="Foxtrot ",
        suffix=" today",
        start=start,
        end=start + len(quote),
        order=1,
        stance=stance,
    )
    evidence = Stance.objects.get(pk=stance.pk).evidence
    assert "after “Foxtrot”" in evidence and "before “today”" in evidence
    assert changes.quotes_in(f"issues: topic-1\n{evidence}") == [
        ("feed-source", "Alpha says the first thing."),
        ("feed-source", "calls it “a plan”"),
    ]
