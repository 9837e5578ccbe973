"""The answer at a glance: the round filters say what they do and do it, the grid's chips mean
one direction on every row, and the codebook explains them. On the shipped dataset."""

import re

import pytest
from django.utils.html import escape

from positions import stance_rule
from positions.models import DIRECTION, Citation, Direction, Stance, StanceCode, TalkRound
from positions.site import comparison
from positions.site.filters import StanceFilter

pytestmark = pytest.mark.django_db


def filled_cells(params):
    filterset = StanceFilter(params or None, queryset=Stance.objects.published())
    assert not filterset.is_bound or filterset.is_valid(), filterset.errors
    parties = comparison.comparison_tables(filterset.qs).parties
    return {
        (row.issue.slug, cell.column.slug): cell.headline.code
        for group in parties.groups
        for row in group.rows
        for cell in row.cells
        if cell.headline
    }


def test_as_of_the_last_round_shows_every_cell_the_unfiltered_table_shows(dataset):
    last = TalkRound.objects.order_by("-order").first()
    everything = filled_cells({})
    as_of_last = filled_cells({"as_of": last.slug})
    assert set(everything) <= set(as_of_last)
    assert as_of_last == everything  # nothing comes after the last round
    assert len(as_of_last) >= 40


def test_as_of_an_early_round_keeps_standing_positions_and_drops_later_rounds(dataset):
    drafts = TalkRound.objects.get(slug="russian-draft-treaties")
    cells = filled_cells({"as_of": drafts.slug})
    # Sweden and Finland: Stoltenberg's position is tied to no round, so it holds at every round.
    assert cells[("sweden-finland-membership", "nato")] == StanceCode.SUPPORTS
    # Geneva 2022 came after the drafts: the U.S. answer there is not shown yet.
    assert ("non-enlargement-former-soviet", "united-states") not in cells
    assert cells[("non-enlargement-former-soviet", "russia")] == StanceCode.DEMANDS
    # A round's stance takes precedence over a standing one in its cell.
    later = filled_cells({"as_of": "osce-vienna-2022"})
    assert later[("non-enlargement-former-soviet", "united-states")] == StanceCode.REJECTS


def test_stated_at_round_keeps_only_that_rounds_stances(dataset):
    cells = filled_cells({"round": "geneva-talks-2022"})
    assert cells[("non-enlargement-former-soviet", "united-states")] == StanceCode.REJECTS
    assert ("sweden-finland-membership", "nato") not in cells  # a standing position


def test_each_round_filter_says_in_one_sentence_what_it_does(client, dataset):
    page = client.get("/").content.decode()
    assert "Only what was said at that round itself." in page
    assert escape("a standing position, tied to no round, counts at every round") in page


def test_the_grid_is_chips_with_words_and_counts_and_the_summary_on_demand(client, dataset):
    page = client.get("/?analysis=exclude").content.decode()
    stance = Stance.objects.published().get(
        actor__slug="russia",
        issue__slug="non-enlargement-former-soviet",
        talk_round__slug="russian-draft-treaties",
    )  # the cell's headline: its latest, over the standing position
    row = re.search(
        r"NATO rules out expanding into former Soviet states</a></th>(.*?)</tr>", page, re.S
    ).group(1)
    assert '<span class="badge dir-for emphatic">for: insists</span>' in row
    assert '<span class="badge dir-against emphatic">against: refuses</span>' in row
    assert 'title="claims">2<' in row  # Russia's two claims on it: standing, at its drafts
    # The one-line summary is there, but folded inside the cell's <details>, not printed.
    summary = escape(stance.summary)
    assert summary not in re.sub(r"<details.*?</details>", "", row, flags=re.S)
    assert summary in row  # ...and one click away


def test_one_colour_means_one_direction_and_every_code_has_one():
    assert set(DIRECTION) == set(StanceCode)
    assert DIRECTION[StanceCode.DEMANDS] == DIRECTION[StanceCode.SUPPORTS] == Direction.FOR
    assert DIRECTION[StanceCode.REJECTS] == DIRECTION[StanceCode.OPPOSES] == Direction.AGAINST
    # The words say the direction too: a chip is never colour alone.
    for code in (StanceCode.DEMANDS, StanceCode.SUPPORTS):
        assert code.label.startswith("for")
    for code in (StanceCode.REJECTS, StanceCode.OPPOSES):
        assert code.label.startswith("against")


def test_issues_are_phrased_as_propositions(dataset):
    from positions.models import Issue

    titles = dict(Issue.objects.values_list("slug", "title"))
    assert titles["open-door-policy"] == "NATO keeps its door open to new members"
    assert (
        titles["non-enlargement-former-soviet"]
        == "NATO rules out expanding into former Soviet states"
    )


def test_the_codebook_page_explains_every_code_with_a_published_example(client, dataset):
    page = client.get("/codebook/").content.decode()
    for code in StanceCode:
        assert (
            f'<span class="badge {stance_rule.css_class(code)}">{escape(code.label)}</span>' in page
        )
    example = (
        Citation.objects.published()
        .filter(stance__code=StanceCode.UNDECLARED)
        .order_by("stance__issue__order", "stance__actor__order", "order", "pk")
        .first()
    )
    assert escape(example.quote) in page
    assert "no stated position" in page and "standing position" in page
    assert "Movement between rounds" in page


def test_the_legend_on_the_home_page_links_to_the_codebook(client, dataset):
    page = client.get("/").content.decode()
    legend = re.search(r'<ul class="legend".*?</ul>', page, re.S).group()
    assert 'href="/codebook/"' in legend
    for code in StanceCode:
        assert escape(code.label) in legend


def test_a_filtered_view_has_its_own_title(client, dataset):
    page = client.get("/?issue=nato-enlargement&round=geneva-talks-2022").content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "NATO takes in new members" in title and "at U.S.-Russia talks in Geneva" in title
    plain = re.search(r"<title>(.*?)</title>", client.get("/").content.decode(), re.S).group(1)
    assert plain != title


def test_a_move_from_for_to_against_is_a_change_of_direction_not_unchanged():
    assert stance_rule.movement(StanceCode.SUPPORTS, StanceCode.OPPOSES) == "turned"
    assert stance_rule.movement(StanceCode.DEMANDS, StanceCode.REJECTS) == "turned"
    assert stance_rule.movement(StanceCode.SUPPORTS, StanceCode.SUPPORTS) == "unchanged"
    assert stance_rule.movement(StanceCode.DEMANDS, StanceCode.OPEN) == "toward"
    assert stance_rule.movement(StanceCode.OPEN, StanceCode.REJECTS) == "away"
