"""Atom feeds of what became public or changed: the whole site, an issue, an actor.

An entry is an event of positions/site/changes.py (a claim published, a published claim changed, a
claim withdrawn), newest first, the latest FEED_LENGTH. Its id is a tag URI naming the claim and
the history record, so a reader shows each event once, and a later change as a new entry.
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
from positions.site import changes

FEED_LENGTH = 50


class AtomWithContent(Atom1Feed):
    """Atom with each entry's full text and quotes in <content type="html">."""

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
        return [
            Entry(event, obj.base, obj.authority)
            for event in changes.latest(obj.scope, limit=FEED_LENGTH)
        ]

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
        issue = get_object_or_404(Issue, slug=slug)
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
        actor = get_object_or_404(Actor, slug=slug)
        return Subject(
            title=f"Parley: {actor.name}",
            subtitle=f"Claims by {actor.name}"
            + (" and its officials" if actor.kind in PARTY_KINDS else "")
            + ", as they are published, changed or withdrawn.",
            link=actor.get_absolute_url(),
            scope=changes.by_actor(actor),
            request=request,
        )
