"""The analysis pages (positions/site/analysis.py): the stance chart on the issue pages, the agreement
matrix, what moved between two rounds, parties side by side, a demand's chain as a tree. On the
shipped dataset, what each shows and must not show; on a built world, how many queries each
makes."""

import html as html_lib
import re
import xml.etree.ElementTree as ET

import pytest

from positions import stance_rule
from positions.models import Actor, Attribution, Issue, Stance, StanceCode, Status, TalkRound
from positions.site import comparison
from positions.site.filters import StanceFilter
from tests.factories import make_world

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
LAST_ROUND = "lavrov-blinken-2022"


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def fragment(page, start, end):
    """The markup from the first `start` to the first `end` after it, parsed as XML (the
    analysis partials write well-formed markup)."""
    begin = page.index(start)
    return ET.fromstring(page[begin : page.index(end, begin) + len(end)])


def text(element):
    return " ".join(" ".join(element.itertext()).split())


# --------------------------------------------------------------------------- the rules


# --------------------------------------------------------------------------- the chart


def chart(page, slug):
    """The SVG of one (sub-)issue's chart."""
    at = page.index(f'aria-labelledby="chart-{slug}-title chart-{slug}-desc"')
    start = page.rindex("<svg", 0, at)
    return ET.fromstring(page[start : page.index("</svg>", start) + len("</svg>")])


def test_the_chart_shows_the_united_states_chip_at_geneva_in_its_lane(client, dataset):
    page = html(client, "/issues/non-enlargement-former-soviet/")
    svg = chart(page, "non-enlargement-former-soviet")
    assert svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "NATO rules out expanding into former Soviet states" in title.text
    assert desc.text.startswith(
        "Russia: for: insists as a standing position; "
        "for: insists at Russia's draft treaty and agreement (unchanged)."
    )
    assert "United States: against: refuses at U.S.-Russia talks in Geneva." in desc.text
    # Where the Geneva column is, and where the United States' lane is.
    heads = {
        text(t): float(t.find(f"{SVG}tspan").get("x"))
        for t in svg.iter(f"{SVG}text")
        if t.get("class") == "round-label"
    }
    geneva_x = heads["U.S.-Russia talks in Geneva"]
    lanes = {
        text(t): float(t.get("y"))
        for t in svg.iter(f"{SVG}text")
        if t.get("class") == "party-label"
    }
    assert list(lanes)[:3] == ["Russia", "United States", "NATO"]
    russia_y, us_y, nato_y = lanes["Russia"], lanes["United States"], lanes["NATO"]
    chips = [g for g in svg.iter(f"{SVG}g") if "chip" in g.get("class", "").split()]

    def in_lane(top, bottom):
        return [g for g in chips if top - 20 <= float(g.find(f"{SVG}text").get("y")) < bottom - 20]

    at_geneva = [
        g for g in in_lane(us_y, nato_y) if abs(float(g.find(f"{SVG}text").get("x")) - geneva_x) < 1
    ]
    assert len(at_geneva) == 1
    chip = at_geneva[0]
    assert text(chip.find(f"{SVG}text")) == "against: refuses"  # words, not colour alone
    assert "dir-against" in chip.get("class") and "emphatic" in chip.get("class")
    assert text(chip.find(f"{SVG}title")) == (
        "United States: against: refuses at U.S.-Russia talks in Geneva"
    )
    # Russia insists, as a standing position and at its draft treaty: its own lane says so.
    assert [text(g.find(f"{SVG}text")) for g in in_lane(russia_y, us_y)] == ["for: insists"] * 2
    # The table says the same for screen readers.
    assert 'caption id="movement-non-enlargement-former-soviet-caption"' in page


def test_the_chart_marks_the_move_between_two_stances(client, dataset):
    # Russia on talks: insisting as a standing position, then "for" at its draft treaty.
    svg = chart(html(client, "/issues/talks-process/"), "talks-process")
    marks = [text(t) for t in svg.iter(f"{SVG}text") if "change" in t.get("class", "")]
    assert "↘ toward agreement" in marks
    assert "Russia: for: insists as a standing position; for at Russia's draft treaty" in text(
        svg.find(f"{SVG}desc")
    )


def test_no_chart_where_no_party_has_a_stance(client):
    world = make_world(1)
    empty = Issue.objects.create(slug="empty", title="Nobody speaks", parent=world["parent"])
    page = html(client, empty.get_absolute_url())
    assert "<svg" not in page and "No party’s stance is recorded on this issue." in page


# --------------------------------------------------------------------------- agreement


def expected_pair(as_of, a, b):
    """Russia and the United States as the comparison table shows them as of a round, counted
    here without positions/site/analysis.py."""
    stances = StanceFilter({"as_of": as_of}, queryset=Stance.objects.published()).qs
    parties = comparison.comparison_tables(stances).parties
    found = {key: [] for key in stance_rule.RELATIONS}
    for group in parties.groups:
        for row in group.rows:
            cells = {cell.column.slug: cell.headline for cell in row.cells}
            first, second = cells.get(a), cells.get(b)
            if first is None and second is None:
                continue
            codes = [s.code if s else None for s in (first, second)]
            found[stance_rule.relation(*codes)].append(row.issue.title)
    return found


def matrix_cell(page, a_name, b_name):
    """The counts in the matrix cell of a_name's row and b_name's column, and their links."""
    cell = fragment(page, f'<ul class="tally" aria-label="{a_name} and {b_name}"', "</ul>")
    counts = {}
    for item in cell:
        link = item.find("a")
        counts[item.get("class")] = (
            int(text(item).split()[0]),
            html_lib.unescape(link.get("href")) if link is not None else None,
        )
    return counts


def test_agreement_counts_match_the_comparison_table(client, dataset):
    expected = expected_pair(LAST_ROUND, "russia", "united-states")
    assert "NATO rules out expanding into former Soviet states" in expected["opposed"]
    page = html(client, f"/agreement/?as_of={LAST_ROUND}")
    cell = matrix_cell(page, "Russia", "United States")
    assert {key: n for key, (n, _) in cell.items()} == {k: len(v) for k, v in expected.items()}
    # The matrix is symmetric.
    other_way = matrix_cell(page, "United States", "Russia")
    assert {k: n for k, (n, _) in other_way.items()} == {k: n for k, (n, _) in cell.items()}
    assert (
        page.count("the same party") == 5
    )  # the diagonal: Russia, the United States, NATO, Ukraine, Georgia


def test_a_matrix_cell_leads_to_the_issues_behind_it(client, dataset):
    expected = expected_pair(LAST_ROUND, "russia", "united-states")
    page = html(client, f"/agreement/?as_of={LAST_ROUND}")
    n, href = matrix_cell(page, "Russia", "United States")["opposed"]
    assert href.startswith("?") and href.endswith("#opposed")
    assert "as_of=" + LAST_ROUND in href and "a=russia" in href and "b=united-states" in href
    behind = html(client, "/agreement/" + href.split("#")[0])
    section = behind[
        behind.index('<section id="opposed"') : behind.index('<section id="no_position"')
    ]
    listed = re.findall(r'<th scope="row"><a href="/issues/[^"]+/">([^<]+)</a>', section)
    assert [html_lib.unescape(t) for t in listed] == expected["opposed"] and len(listed) == n
    # Both parties' chips on each row: Russia insists, the United States refuses.
    row = section[section.index("NATO rules out expanding") :].split("</tr>")[0]
    assert (
        'dir-for emphatic">for: insists' in row and 'dir-against emphatic">against: refuses' in row
    )
    # The same-side issues are in their own section, not here.
    assert not set(expected["same"]) & {html_lib.unescape(t) for t in listed}


def test_agreement_for_one_issue_and_its_sub_issues(client, dataset):
    page = html(client, "/agreement/?issue=nato-enlargement&a=russia&b=united-states")
    behind = page[page.index('id="issues"') :]
    assert "Ukraine and Georgia join NATO" in behind  # a sub-issue
    assert "Arms control in Europe is negotiated" not in behind  # another cluster


def test_invalid_agreement_choices_are_form_errors(client, dataset):
    page = html(client, "/agreement/?as_of=atlantis")
    assert 'class="error"' in page and '<ul class="tally"' not in page
    assert "Pick two parties" in html(client, "/agreement/?a=russia")
    assert "Pick two different parties." in html(client, "/agreement/?a=russia&b=russia")


# --------------------------------------------------------------------------- what moved


def moved_section(page, slug):
    start = page.index(f'aria-labelledby="moved-{slug}"')
    end = page.find('<section class="moved-issue"', start)
    return page[start : end if end != -1 else None]


def test_what_moved_lists_a_change_and_not_what_stayed(client, dataset):
    page = html(client, f"/moved/?from=geneva-summit-2021&to={LAST_ROUND}")
    # Russia on talks: insisting as of the summit (a standing position), "for" as of the last
    # round (its draft treaty's stance, which takes precedence): toward agreement.
    talks = moved_section(page, "talks-process")
    assert "Russia: <span" in talks and "↘ toward agreement" in talks
    assert "for: insists → for" in talks
    # Its quotes, each with a link to the passage in context.
    assert "Moscow set out its position in two draft agreements" in talks
    assert re.search(r'class="in-context" href="/sources/[^"#]+#c\d+-\d+"', talks)
    # The United States said "for" at the summit and has not moved since.
    assert "United States: <span" not in talks
    # Russia insisted on rolling back NATO's infrastructure throughout: not a change. The United
    # States first refused it at Geneva: a change (first stated).
    rollback = moved_section(page, "rollback-to-1997")
    assert "Russia: <span" not in rollback
    assert "United States: <span" in rollback and "+ first stated" in rollback


def test_what_moved_keeps_to_one_issue(client, dataset):
    page = html(client, f"/moved/?from=geneva-summit-2021&to={LAST_ROUND}&issue=talks-process")
    assert 'aria-labelledby="moved-talks-process"' in page
    assert 'aria-labelledby="moved-rollback-to-1997"' not in page


@pytest.mark.parametrize(
    "query, message",
    [
        ("from=atlantis&to=lavrov-blinken-2022", "Select a valid choice"),
        ("from=geneva-summit-2021", "This field is required."),
        ("to=lavrov-blinken-2022", "This field is required."),
        ("from=lavrov-blinken-2022&to=geneva-summit-2021", "comes before the"),
        ("from=geneva-talks-2022&to=geneva-talks-2022", "comes before the"),
        ("from=&to=", "This field is required."),
    ],
)
def test_invalid_or_missing_rounds_are_form_errors(client, dataset, query, message):
    page = html(client, f"/moved/?{query}")
    assert message in page and 'class="error"' in page
    assert 'class="moved-issue"' not in page


def test_what_moved_without_two_rounds_of_positions_asks_for_them(client):
    page = html(client, "/moved/")  # no data: no latest rounds to open on
    assert "Pick the round to start from" in page and 'class="error"' not in page


# --------------------------------------------------------------------------- compare parties


def test_compare_parties_puts_the_differences_first(client, dataset):
    page = html(client, "/compare/?party=russia&party=united-states")
    differ, one_open = page.index('<section id="opposed"'), page.index('<section id="open"')
    agree, partial = page.index('<section id="same"'), page.index('<section id="no_position"')
    assert differ < one_open < agree < partial
    differing = page[differ:one_open]
    agreeing = page[agree:partial]
    # Russia insists NATO rules out expanding; the United States refuses.
    assert "NATO rules out expanding into former Soviet states" in differing
    # Both for strategic arms talks going on.
    assert "U.S.-Russian strategic arms talks go on" in agreeing
    assert "U.S.-Russian strategic arms talks go on" not in differing
    # Only Russia speaks on legally binding guarantees.
    assert "The security guarantees are legally binding" in page[partial:]
    assert "NATO</a></th>" not in page  # a party not picked


def test_a_party_without_a_position_is_not_offered(client, dataset):
    page = html(client, "/compare/")
    assert 'value="russia"' in page and 'value="ukraine"' in page
    assert 'value="osce"' not in page  # it hosts a round but states no position
    refused = html(client, "/compare/?party=russia&party=osce")
    assert "Select a valid choice" in refused and '<section id="opposed"' not in refused


@pytest.mark.parametrize(
    "query, message",
    [
        ("party=russia", "Pick two or three parties (you picked 1)."),
        (
            "party=russia&party=united-states&party=nato&party=ukraine",
            "Pick two or three parties (you picked 4).",
        ),
        ("party=russia&party=atlantis", "Select a valid choice"),
        ("party=sergey-lavrov&party=russia", "Select a valid choice"),  # an official
    ],
)
def test_invalid_party_picks_are_form_errors(client, dataset, query, message):
    page = html(client, f"/compare/?{query}")
    assert message in page and '<section id="opposed"' not in page


# --------------------------------------------------------------------------- drafts


def test_drafts_are_never_counted(client, dataset):
    russia = Actor.objects.get(slug="russia")
    last = TalkRound.objects.get(slug=LAST_ROUND)
    # A draft that, if counted, would put Russia for the Open Skies Treaty, opposite the
    # United States' refusal, and would be a change for Russia on talks.
    for slug in ("open-skies", "talks-process"):
        Stance.objects.create(
            actor=russia,
            issue=Issue.objects.get(slug=slug),
            talk_round=last,
            code=StanceCode.REJECTS if slug == "talks-process" else StanceCode.DEMANDS,
            summary="A DRAFT READING",
            attribution=Attribution.REPORTED,
            status=Status.DRAFT,
        )
    expected = expected_pair(LAST_ROUND, "russia", "united-states")
    page = html(client, f"/agreement/?as_of={LAST_ROUND}&a=russia&b=united-states")
    counts = matrix_cell(page, "Russia", "United States")
    assert {k: n for k, (n, _) in counts.items()} == {k: len(v) for k, v in expected.items()}
    assert "The Open Skies Treaty holds or is revived" in expected["no_position"]
    for url in (
        f"/agreement/?as_of={LAST_ROUND}&a=russia&b=united-states",
        f"/moved/?from=geneva-summit-2021&to={LAST_ROUND}",
        "/compare/?party=russia&party=united-states",
        "/issues/open-skies/",
        "/issues/talks-process/",
    ):
        assert "A DRAFT READING" not in html(client, url), url
    talks = moved_section(
        html(client, f"/moved/?from=geneva-summit-2021&to={LAST_ROUND}"), "talks-process"
    )
    assert "against: refuses" not in talks


# --------------------------------------------------------------------------- demand chains


def test_a_demands_chain_is_drawn_as_a_tree_in_round_order(client, dataset):
    page = html(client, "/demands/russia-no-nato-expansion/")
    tree = fragment(page, '<section class="chain-tree"', "</section>")
    root = tree.find("ol").find("li")
    assert "No further NATO expansion" in text(root.find("div"))
    answers = root.find("ol").findall("li")

    def link(li):
        return next(
            a.get("href") for a in li.find("div").iter("a") if "/responses/" in a.get("href")
        )

    assert link(answers[-1]) == "/responses/us-rejects-key-proposals/"
    # Answers tied to no round come first, then by round: the Geneva rejection last.
    assert "U.S.-Russia talks in Geneva" in text(answers[-1].find("div"))
    assert all("No particular round" in text(li.find("div")) for li in answers[:-1])
    # Russia's reply to the U.S. rejection hangs below it, not beside it.
    replies = [link(li) for li in answers[-1].find("ol").findall("li")]
    assert "/responses/russia-key-proposals-first/" in replies
    assert "/responses/russia-key-proposals-first/" not in [link(li) for li in answers]
