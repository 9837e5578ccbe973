"""A page about one round or actor shows the first of its claims, says how many there are and
links to the rest; the comparison is paged by propositions: a page's cost follows what it shows,
not what is stored."""

import re
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from positions import stance_rule
from positions.models import Demand, Issue, Stance
from positions.site import comparison, queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_shown(monkeypatch, dataset):
    """The curated dataset, with pages that show the first three stances of a list."""
    monkeypatch.setattr(queries, "SHOWN", 3)
    monkeypatch.setattr(queries, "SHOWN_ACTOR_STANCES", 3)


def test_a_round_page_shows_the_first_stances_and_links_to_all(client, three_shown):
    total = Stance.objects.published().filter(talk_round__slug="geneva-talks-2022").count()
    assert total > 3
    page = client.get("/rounds/geneva-talks-2022/").content.decode()
    stances = page.split("<h2>Stances stated here</h2>", 1)[1]
    assert stances.count('<article class="claim" id="stance-') == 3
    assert f"All {total} stances stated at this round, with their quotes" in stances
    assert 'href="/claims/?round=geneva-talks-2022"' in stances


def test_an_actor_page_shows_the_first_stances_and_links_to_all(client, three_shown):
    total = (
        Stance.objects.published().filter(actor__slug="russia").count()
        + Stance.objects.published().filter(actor__affiliation__slug="russia").count()
    )
    page = client.get("/actors/russia/").content.decode()
    table = page.split('id="stances-caption"', 1)[1].split("</table>", 1)[0]
    assert table.count('<th scope="row">') == 3
    assert f"All {total} stances, with their quotes" in page


def test_a_short_list_has_no_more_link(client, dataset):
    page = client.get("/rounds/geneva-talks-2022/").content.decode()
    assert "stances stated at this round, with their quotes" not in page


# --------------------------------------------------------------------------- the comparison, paged


@pytest.fixture
def paged(monkeypatch, dataset):
    cache.clear()
    monkeypatch.setattr(comparison, "ROWS_PER_PAGE", 10)


ROW = re.compile(r'<tr class="(?:sub|cluster)"><th scope="row"><a href="/issues/([^/]+)/">')


def grid_rows_of(html):
    """The propositions of the parties' table (before the analysts' section), in order."""
    return ROW.findall(html.split('id="analysis-heading"', 1)[0])


def test_the_comparison_is_paged_by_propositions_and_the_pages_add_up(client, paged):
    everything = comparison.comparison_tables(Stance.objects.published())
    all_rows = [row.issue.slug for group in everything.parties.groups for row in group.rows]
    n_issues = len(
        {
            row.issue.slug
            for t in (everything.parties, everything.analysis)
            for g in t.groups
            for row in g.rows
        }
    )
    assert n_issues > 20  # the curated data gives at least three pages of ten
    seen = []
    for number in range(1, (n_issues + 9) // 10 + 1):
        html = client.get(f"/?page={number}").content.decode()
        rows = grid_rows_of(html)
        assert len(set(rows) - set(seen)) == len(rows)  # no proposition on two pages
        seen += rows
        first, last = 10 * (number - 1) + 1, min(10 * number, n_issues)
        assert f"Propositions {first}–{last} of {n_issues}" in html
    assert seen == all_rows  # every row, once, in the unpaged order


def test_page_links_keep_the_filters_and_the_downloads_are_whole(client, paged):
    html = client.get("/?analysis=exclude&page=2&junk=x").content.decode()
    assert '<a rel="prev" href="?analysis=exclude">' in html
    assert 'href="?analysis=exclude&amp;page=3"' in html
    assert "junk" not in html
    assert 'href="/?analysis=exclude&amp;page=2"' in html  # the link to share this page
    downloads = html.split("Download this table:", 1)[1].split("</p>", 1)[0]
    assert "/table.csv?analysis=exclude" in downloads
    assert "page=" not in downloads
    table = client.get("/table.json?analysis=exclude&page=2").json()["cells"]
    everything = comparison.comparison_tables(
        Stance.objects.published().filter(stance_rule.position_q())
    )
    assert len(table) == sum(
        1 for g in everything.parties.groups for r in g.rows for c in r.cells if c.headline
    )


@pytest.mark.parametrize("page", ["0", "x", "-1", "1.5", "99", "２"])
def test_a_page_that_is_not_there_is_a_404_and_is_not_cached(client, paged, page):
    with mock.patch.object(cache, "set") as stored:
        assert client.get(f"/?page={page}").status_code == 404
    stored.assert_not_called()


def test_every_page_costs_the_same_queries(client, paged):
    counts = []
    for url in ("/", "/?page=2", "/?page=3", "/?page=2&analysis=exclude&stance=supports"):
        cache.clear()
        with CaptureQueriesContext(connection) as queries_run:
            assert client.get(url).status_code == 200
        counts.append(len(queries_run))
    assert len(set(counts)) == 1, counts


def test_page_one_is_the_address_without_a_page(client, paged):
    keys = []
    real_set = cache.set
    with mock.patch.object(
        cache, "set", side_effect=lambda k, *a, **kw: keys.append(k) or real_set(k, *a, **kw)
    ):
        client.get("/?issue=nato-enlargement")
        client.get("/?page=1&issue=nato-enlargement")
        client.get("/?page=2")
        second = client.get("/?junk=1&page=2").content.decode()
        first = client.get("/").content.decode()
    assert len(keys) == 3  # /?issue=..., /?page=2 and /
    assert grid_rows_of(first)[0] not in grid_rows_of(second)


def test_the_quick_select_writes_what_djangos_select_writes(dataset):
    from django import forms
    from django.http import QueryDict

    from positions.site.filters import StanceFilter

    form = StanceFilter(QueryDict("issue=nato-enlargement&actor_kind=state&analysis=")).form
    form.is_valid()
    for name in ("round", "as_of", "issue", "actor", "actor_kind", "source", "analysis"):
        quick = str(form[name])
        form[name].field.widget.__class__ = forms.Select
        assert re.sub(r">\s+<", "><", str(form[name])) == quick, name
    assert '<option value="nato-enlargement" selected>' in str(form["issue"])


# --------------------------------------------------------------------------- an issue's sections, paged

SECTION = re.compile(r'<section aria-labelledby="movement-([^"]+)">')


def test_an_issues_sections_are_paged_by_stances_and_the_pages_add_up(client, monkeypatch, dataset):
    one_page = client.get("/issues/nato-enlargement/").content.decode()
    every_section = SECTION.findall(one_page)
    assert len(every_section) > 3 and "Pages of this issue" not in one_page
    monkeypatch.setattr(queries, "STANCES_PER_PAGE", 8)
    seen, number = [], 1
    while True:
        response = client.get(f"/issues/nato-enlargement/?page={number}")
        if response.status_code == 404:
            break
        html = response.content.decode()
        sections = SECTION.findall(html)
        assert sections and not set(sections) & set(seen)
        seen += sections
        assert '<strong aria-current="page">Page ' + str(number) in html
        assert ("<h2>Demands on this issue</h2>" in html) == (number == 1)
        number += 1
    assert number > 2  # more than one page
    assert seen == every_section  # each section once, in order
    assert client.get("/issues/nato-enlargement/?page=x").status_code == 404


def test_an_issue_shows_the_first_demands_and_says_how_many_more(client, monkeypatch, dataset):
    monkeypatch.setattr(queries, "SHOWN", 1)
    issue = Issue.objects.get(slug="nato-enlargement")
    total = (
        Demand.objects.published()
        .filter(Q(issues=issue) | Q(issues__parent=issue))
        .distinct()
        .count()
    )
    assert total > 1
    html = client.get("/issues/nato-enlargement/").content.decode()
    demands = html.split("<h2>Demands on this issue</h2>", 1)[1].split("<h2>", 1)[0]
    assert demands.count('<article class="claim" id="demand-') == 1
    assert f"{total} demands are recorded on this issue; {total - 1} more" in demands


def test_an_issue_sections_analysis_shows_the_first_and_links_to_all(client, monkeypatch, dataset):
    monkeypatch.setattr(queries, "SHOWN", 1)
    own = (
        Stance.objects.published()
        .filter(issue__slug="ukraine-georgia-membership")
        .exclude(stance_rule.position_q())
    )  # analysts' readings and forecasts
    assert own.count() > 1
    html = client.get("/issues/ukraine-georgia-membership/").content.decode()
    analysis = html.split("<summary>Assessments and forecasts on this issue", 1)[1].split(
        "</details>", 1
    )[0]
    assert analysis.startswith(f" ({own.count()})</summary>")
    assert analysis.count('<article class="claim" id="stance-') == 1
    assert f"{own.count() - 1} more are not shown here" in analysis
    assert 'href="/claims/?issue=ukraine-georgia-membership&amp;analysis=only"' in analysis
