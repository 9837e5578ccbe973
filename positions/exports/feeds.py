"""Atom feeds of what became public or changed: the whole site, an issue, an actor.

An entry is an event of positions/site/changes.py (a claim published, a published claim changed, a
claim withdrawn), newest first, FEED_LENGTH a page: the feed is the first page, and `?page=2`...
the older ones, each page linking the first, previous, next and last as a paged feed does
(RFC 5005, section 3); a page past the last is a 404. An entry's id is a tag URI naming the claim
(by its slug, or a stance by its id: the names its page has) and the history record, so a reader
shows each event once, and a later change as a new entry.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from positions.models import PARTY_KINDS, Actor, Issue
from positions.site import changes, paging

FEED_LENGTH = 50


class AtomWithContent(Atom1Feed):
    """Atom with each entry's full text and quotes in <content type="html">, and the links to
    the other pages of the feed."""

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        for rel, href in self.feed["pages"].items():
            handler.addQuickElement("link", "", {"rel": rel, "href": href})

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content"], {"type": "html"})


@dataclass
class Subject:
    """What a feed follows, and where it is served."""

    title: str
    subtitle: str
    link: str
    scope: object  # a scope function of positions/site/changes.py
    request: object

    def __post_init__(self):
        number = paging.page_number(self.request)
        events = changes.events(self.scope)
        self.page = paging.page_of(events, FEED_LENGTH, number, "feed")

    @property
    def pages(self):
        """The first, previous, next and last pages' addresses, where there are such pages."""
        page, url = self.page, self.request.build_absolute_uri(self.request.path)
        if page.paginator.num_pages == 1:
            return {}
        numbers = {"first": 1, "last": page.paginator.num_pages}
        if page.has_previous():
            numbers["previous"] = page.previous_page_number()
        if page.has_next():
            numbers["next"] = page.next_page_number()
        return {rel: url if n == 1 else f"{url}?page={n}" for rel, n in numbers.items()}

    @property
    def base(self):
        """The site's address: links inside an entry's content must be absolute."""
        return self.request.build_absolute_uri("/").rstrip("/")

    @property
    def authority(self):
        """The host, without a port, that mints the entries' tag URIs."""
        return urlsplit(self.base).hostname


@dataclass
class Entry:
    event: changes.Event
    base: str
    authority: str

    @property
    def guid(self):
        return self.event.tag(self.authority)


class ClaimsFeed(Feed):
    feed_type = AtomWithContent
    author_name = "Parley"

    def get_object(self, request):
        return Subject(
            title="Parley: claims published and changed",
            subtitle="Stances, demands and responses in the January 2022 security talks, as "
            "they are published, changed or withdrawn.",
            link=reverse("positions:changes"),
            scope=changes.everything,
            request=request,
        )

    def title(self, obj):
        return obj.title

    def subtitle(self, obj):
        return obj.subtitle

    def link(self, obj):
        return obj.link

    def items(self, obj):
        events = changes.load(list(obj.page.object_list))
        return [Entry(event, obj.base, obj.authority) for event in events]

    def feed_extra_kwargs(self, obj):
        return {"pages": obj.pages}

    def item_title(self, item):
        return item.event.title  # an Atom title is text: the generator escapes it

    def item_description(self, item):
        if not item.event.is_public:
            return "Taken off Parley: this claim is no longer on the public site."
        return escape(item.event.text)

    def item_extra_kwargs(self, item):
        context = {"event": item.event, "base": item.base}
        return {"content": render_to_string("positions/feed_entry.html", context)}

    def item_link(self, item):
        return item.event.link

    def item_guid(self, item):
        return item.guid

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.event.at

    def item_updateddate(self, item):
        return item.event.at


class IssueFeed(ClaimsFeed):
    def get_object(self, request, slug):
        issue = get_object_or_404(Issue.objects.public(), slug=slug)
        return Subject(
            title=f"Parley: {issue.title}",
            subtitle=f"Claims on “{issue.title}” and its sub-issues, as they are published, "
            "changed or withdrawn.",
            link=issue.get_absolute_url(),
            scope=changes.on_issue(issue),
            request=request,
        )


class ActorFeed(ClaimsFeed):
    def get_object(self, request, slug):
        actor = get_object_or_404(Actor.objects.public(), slug=slug)
        return Subject(
            title=f"Parley: {actor.name}",
            subtitle=f"Claims by {actor.name}"
            + (" and its officials" if actor.kind in PARTY_KINDS else "")
            + ", as they are published, changed or withdrawn.",
            link=actor.get_absolute_url(),
            scope=changes.by_actor(actor),
            request=request,
        )
