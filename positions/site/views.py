"""Thin views: a request becomes a filter, the filter a query from queries.py, the result a page."""

from django import forms
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from positions.codebook import page as codebook_page
from positions.models import CITATIONS, ROUND_ORDER, Actor, Issue, Source, Stance, TalkRound
from positions.site import analysis, paging, queries, reader
from positions.site import changes as changes_read
from positions.site import search as search_by_words
from positions.site.comparison import comparison_tables
from positions.site.filters import (
    AgreementFilter,
    ComparisonFilter,
    MovedFilter,
    PartiesFilter,
    canonical_query,
    stance_filter,
)
from positions.site.http_cache import kept, kept_page
from positions.site.lookups import Lookups


def codebook(request):
    return render(request, "positions/codebook.html", codebook_page())


def home(request):
    return render(request, "positions/home.html", queries.overview())


def comparison(request):
    """The comparison table. Its HTML is kept per filter, page and dataset version
    (http_cache.kept): the key is made from the cleaned filter values, so parameter order and
    unknown parameters do not matter, and an invalid filter's page (or a page past the last, a
    404) is never stored. Any change to the data retires every kept table at once (the version)."""
    number = paging.page_number(request)
    filterset, stances = stance_filter(request, ComparisonFilter, Lookups())
    if filterset.is_bound and not filterset.is_valid():
        return render_comparison(request, filterset, stances)
    canonical = canonical_query(request, filterset)
    return kept(
        request,
        f"table\n{canonical}\n{number}",
        lambda: render_comparison(request, filterset, stances, canonical, number),
    )


def render_comparison(request, filterset, stances, canonical=None, number=1):
    separate = filterset.officials_separate()
    try:
        tables = comparison_tables(
            stances,
            officials_separate=separate,
            page=number,
            until=filterset.until(),
            lookups=filterset.lookups,
        )
    except InvalidPage as error:
        raise Http404(f"This comparison has no page {number}.") from error
    query = request.GET.urlencode() if canonical is None else canonical
    pages = paging.links(tables.page, paging.page_url(request, query))
    shared = paging.with_page(query, number)
    return render(
        request,
        "positions/comparison.html",
        {
            "filter": filterset,
            "parties": tables.parties,
            "analysis": tables.analysis,
            "pages": pages,
            "officials_separate": separate,
            "description": filterset.describe(),
            "active_filters": filterset.active(),
            "query": query,
            "share_url": f"{request.path}?{shared}" if shared else request.path,
            "cell_query": cell_query(QueryDict(query)),
            "claims_url": reverse("positions:claims"),
        },
    )


CELL_KEEPS = ["round", "as_of", "stance", "source", "analysis"]


def cell_query(params):
    """The filters a cell's link keeps: the cell itself fixes the actor and the issue."""
    kept = params.copy()
    for key in list(kept):
        if key not in CELL_KEEPS:
            del kept[key]
    return kept.urlencode()


CLAIMS_PER_PAGE = 100


def claims(request):
    filterset, stances = stance_filter(request)
    stances = (
        stances.select_related("actor__affiliation", "issue__parent", "talk_round")
        .prefetch_related(CITATIONS)
        .order_by("issue__order", "actor__order", ROUND_ORDER, "pk")
    )
    page = paging.page_of(stances, CLAIMS_PER_PAGE, paging.page_number(request), "list of claims")
    query = paging.without_page(request)
    return render(
        request,
        "positions/claims.html",
        {
            "filter": filterset,
            "description": filterset.describe(),
            "page": page,
            "pages": paging.links(page, paging.page_url(request, query)),
            "stances": list(page),
            "query": query,
        },
    )


def claim_or_preview(request, claims, **lookup):
    """(the published claim ``lookup`` names, None), or for staff a claim not yet published, with
    what it is (the page then says it is a preview, not public); else a 404."""
    claim = claims().filter(**lookup).first()
    if claim is not None:
        return claim, None
    if request.user.is_staff:
        draft = claims(preview=True).filter(**lookup).order_by("-pk").first()
        if draft is not None:
            return draft, draft.get_status_display()
    raise Http404("No published claim is found here.")


def stance_detail(request, pk):
    stance, preview = claim_or_preview(request, queries.published_stances, pk=pk)
    return render(request, "positions/stance.html", {"stance": stance, "preview": preview})


def issue_list(request):
    issues = Issue.objects.public().select_related("parent").order_by("order")
    return render(request, "positions/issue_list.html", {"issues": issues})


@kept_page
def issue_detail(request, slug):
    issue = get_object_or_404(Issue.objects.public().select_related("parent"), slug=slug)
    number = paging.page_number(request)
    try:
        page = queries.issue_page(issue, number)
    except InvalidPage as error:
        raise Http404(f"{issue.title} has no page {number}.") from error
    return render(request, "positions/issue.html", analysis.add_charts(page))


def actor_list(request):
    actors = Actor.objects.public().select_related("affiliation").order_by("order", "name")
    return render(request, "positions/actor_list.html", {"actors": actors})


def actor_detail(request, slug):
    actor = get_object_or_404(Actor.objects.public().select_related("affiliation"), slug=slug)
    return render(request, "positions/actor.html", queries.actor_page(actor))


def round_list(request):
    return render(
        request,
        "positions/round_list.html",
        {"rounds": TalkRound.objects.public().order_by("order")},
    )


def round_detail(request, slug):
    talk_round = get_object_or_404(TalkRound.objects.public(), slug=slug)
    return render(request, "positions/round.html", queries.round_page(talk_round))


def demand_list(request):
    demands = queries.answered_demands().order_by(ROUND_ORDER, "slug")
    return render(request, "positions/demand_list.html", {"demands": demands})


def demand_detail(request, slug):
    demand, preview = claim_or_preview(request, queries.published_demands, slug=slug)
    context = queries.demand_page(demand)
    context["tree"] = analysis.chain_tree(context["levels"])
    context["preview"] = preview
    return render(request, "positions/demand.html", context)


def response_detail(request, slug):
    response, preview = claim_or_preview(request, queries.published_responses, slug=slug)
    context = {**queries.response_page(response), "preview": preview}
    return render(request, "positions/response.html", context)


def source_list(request):
    return render(request, "positions/source_list.html", {"sources": queries.sources_with_counts()})


CITE_TARGETS = ["stance", "demand", "response"]


def cite_targets(user):
    """The new claims a curator may start from a passage selected in a source (see
    static/positions/cite.js): one for each add form the user may open. The public gets none."""
    if not user.is_staff:
        return {}
    return {model: True for model in CITE_TARGETS if user.has_perm(f"positions.add_{model}")}


def source_detail(request, slug):
    """The article with every cited passage highlighted, and a page of the list of passages with
    their claims (?page=N, queries.PASSAGES_PER_PAGE a page): a page that does not exist is a 404.
    Page links keep the rest of the query string."""
    source = get_object_or_404(Source.objects.public(), slug=slug)
    number = paging.page_number(request)
    url = paging.page_url(request, paging.without_page(request))
    try:
        passages, shown = queries.source_passages(source, number, url)
    except InvalidPage as error:
        raise Http404(f"This source has no page {number} of cited passages.") from error
    article, listed = reader.source_page(source.text, passages, queries.claim_spans(source))
    context = {
        "source": source,
        "article": article,
        "passages": listed,
        "count": len(passages),
        "page": shown,
        "pages": paging.links(shown, url),
        "cite": cite_targets(request.user),
    }
    return render(request, "positions/source.html", context)


class SearchForm(forms.Form):
    q = forms.CharField(label="Search", max_length=200, required=False, strip=True)
    kind = forms.ChoiceField(
        choices=[("", "every kind"), *((name, name) for name in search_by_words.KIND_OF_LIST)],
        required=False,
        widget=forms.HiddenInput,
    )

    def clean_q(self):
        q = self.cleaned_data["q"]
        found = search_by_words.words(q)
        if q and not found:
            raise forms.ValidationError("Type a word to search for: letters or digits.")
        if len(found) > search_by_words.MAX_WORDS:
            raise forms.ValidationError(
                f"Search for at most {search_by_words.MAX_WORDS} words at a time."
            )
        return q


def search(request):
    """Every kind's first results with the total of each; ``?kind=stances`` (demands, ...) all of
    one kind, a page at a time (a page past the last is a 404)."""
    form = SearchForm(request.GET or None)
    results, pages, number = None, None, paging.page_number(request)
    if form.is_valid() and form.cleaned_data["q"]:
        listed = form.cleaned_data["kind"]
        kind = search_by_words.KIND_OF_LIST[listed] if listed else None
        results = search_by_words.search(form.cleaned_data["q"], kind, number)
        if kind is not None:
            if number > 1 and not results.found:
                raise Http404(f"This search has no page {number}.")
            total = results.totals.get(kind, 0)
            shown = Paginator(range(total), search_by_words.PER_PAGE).get_page(number)
            pages = paging.links(shown, paging.page_url(request, paging.without_page(request)))
    elif number > 1:
        raise Http404("Only a search has pages.")
    context = {
        "form": form,
        "results": results,
        "pages": pages,
        "search_q": form["q"].value() or "",
        "shown": search_by_words.SHOWN,
    }
    return render(request, "positions/search.html", context)


# --------------------------------------------------------------------------- downloads

CHANGES_PER_PAGE = 50


def changes(request):
    """What was published, changed or withdrawn, by day, newest first (positions/site/changes.py)."""
    number = paging.page_number(request)
    page = paging.page_of(changes_read.events(), CHANGES_PER_PAGE, number, "list of changes")
    return render(
        request,
        "positions/changes.html",
        {
            "page": page,
            "pages": paging.links(page, paging.page_url(request, "")),
            "days": changes_read.by_day(changes_read.load(page.object_list, with_quotes=False)),
        },
    )


# --------------------------------------------------------------------------- analysis


def analysis_filter(filter_class, request, queryset):
    """The bound filter and its picks: the cleaned data when valid, None when not bound or not
    valid (the page then shows the form, with its errors if any, and no result)."""
    filterset = filter_class(request.GET or None, queryset=queryset)
    valid = filterset.is_bound and filterset.is_valid()
    return filterset, filterset.form.cleaned_data if valid else None


def agreement(request):
    """How many issues each pair of parties stands on the same side of, opposed, or other."""
    filterset, picks = analysis_filter(AgreementFilter, request, Stance.objects.published())
    if filterset.is_bound and picks is None:
        result = analysis.agreement(Stance.objects.none())
    else:
        picks = picks or {}
        result = analysis.agreement(filterset.qs, picks.get("a"), picks.get("b"))
    context = {**result, "filter": filterset, "description": filterset.describe()}
    return render(request, "positions/agreement.html", context)


def moved(request):
    """Every party's stance that changed between two rounds, by issue, with its quotes. With no
    rounds picked, the two latest rounds at which a party took a published position."""
    data = request.GET or queries.latest_two_rounds()
    filterset = MovedFilter(data or None, queryset=queries.published_stances())
    picks = filterset.form.cleaned_data if filterset.is_bound and filterset.is_valid() else None
    result = analysis.moved(filterset.qs, picks["from"], picks["to"]) if picks else None
    context = {"filter": filterset, "picks": picks, "result": result}
    return render(request, "positions/moved.html", context)


def compare_parties(request):
    """Two or three parties side by side, the issues where they differ first."""
    filterset, picks = analysis_filter(PartiesFilter, request, Stance.objects.published())
    result = analysis.compare_parties(filterset.qs, list(picks["party"])) if picks else None
    context = {"filter": filterset, "result": result, "description": filterset.describe()}
    return render(request, "positions/compare_parties.html", context)
