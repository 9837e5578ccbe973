"""Every admin route, as a curator and as an editor, with ordinary, duplicate, colliding and
nonsense input: a refusal is a page or a message, never a server error (500)."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from positions.models import Demand, Stance
from tests.admin_forms import form_data
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

POSITIONS = [model for model in admin.site._registry if model._meta.app_label == "positions"]


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


class Crawler:
    def __init__(self, client):
        self.client = client
        self.errors = []
        self.visited = 0

    def check(self, method, path, data=None):
        response = getattr(self.client, method)(path, data or {})
        self.visited += 1
        if response.status_code >= 500:
            self.errors.append(
                f"{method.upper()} {path} {sorted(data or {})}: {response.status_code}"
            )
        return response


def crawl_model(crawler, model):
    model_admin = admin.site._registry[model]
    changelist = url(model, "changelist")
    for query in ("", "?q=nato", "?o=1.-2", "?p=9999", "?bogus=1", "?status__exact=nonsense"):
        crawler.check("get", changelist + query)
    add = url(model, "add")
    crawler.check("get", add)
    crawler.check("post", add, {})
    objects = list(model._base_manager.order_by("pk")[:3])
    for obj in objects[:1]:
        change = url(model, "change", obj.pk)
        page = crawler.check("get", change)
        if page.status_code == 200 and page.context and "adminform" in page.context:
            data = form_data(page)
            crawler.check("post", change, data)  # as it is
            crawler.check("post", change, {**data, "_saveasnew": "Save as new"})  # a duplicate
            crawler.check("post", add, data)  # the same again, as a new record
            crawler.check("post", change, {**data, "edit_token": "0:0"})  # stale
            crawler.check("post", change, {**data, "edit_token": "nonsense"})
        history = crawler.check("get", url(model, "history", obj.pk))
        record = obj.history.first() if hasattr(obj, "history") else None
        if history.status_code == 200 and record is not None:
            revert = reverse(
                f"admin:positions_{model._meta.model_name}_simple_history",
                args=[obj.pk, record.history_id],
            )
            page = crawler.check("get", revert)
            if page.status_code == 200 and page.context and "adminform" in page.context:
                crawler.check("post", revert, form_data(page))
            for bad in ("abc", "999999"):
                crawler.check("get", revert.replace(f"/{record.history_id}/", f"/{bad}/"))
        crawler.check("get", url(model, "delete", obj.pk))
    for bad in ("abc", "999999", "1%2F2"):
        crawler.check("get", url(model, "change", bad))
        crawler.check("post", url(model, "change", bad), {})
        crawler.check("get", url(model, "history", bad))
    selected = [obj.pk for obj in objects]
    for action in [*model_admin.get_actions(_Request(crawler)), "nonsense"]:
        for reason in ("", "Because."):
            crawler.check(
                "post",
                changelist,
                {"action": action, "_selected_action": selected, "reason": reason},
            )
    crawler.check(
        "post",
        changelist,
        {"action": "delete_selected", "_selected_action": selected, "post": "yes"},
    )
    if objects:
        crawler.check("post", url(model, "delete", objects[-1].pk), {"post": "yes"})


class _Request:
    """The request get_actions() asks about: the crawler's signed-in user."""

    def __init__(self, crawler):
        self.user = crawler.client.user
        self.method = "GET"
        self.GET = {}


@pytest.mark.parametrize("role", ["Curator", "Editor"])
def test_no_admin_route_answers_500_to_any_input(role, dataset):
    user = make_user(role.lower(), role)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    client.user = user
    crawler = Crawler(client)
    crawler.check("get", reverse("admin:index"))
    crawler.check("get", reverse("admin:review"))
    for model in POSITIONS:
        crawl_model(crawler, model)
    # Review decisions on claims that collide, are gone, or are not awaiting review.
    for model in (Stance, Demand):
        claim = model.objects.order_by("pk").first()
        for decision in ("approve", "send-back", "nonsense"):
            path = reverse("admin:review-decide", args=[model._meta.model_name, claim.pk, decision])
            crawler.check("post", path, {"version": "x", "reason": "Why."})
            crawler.check("post", path.replace(str(claim.pk), "999999"), {"version": "1"})
    assert crawler.visited > 200
    assert not crawler.errors, "\n".join(crawler.errors)
