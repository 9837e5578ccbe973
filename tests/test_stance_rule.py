"""The one stance rule (positions/stance_rule.py), and every view that counts with it counting the
same: the grid's SQL and the Python rule, compare and the agreement view, the state of play."""

from collections import defaultdict
from types import SimpleNamespace

from django.conf import settings

from positions import stance_rule
from positions.models import Attribution, Stance, StanceCode
from positions.site import analysis
from positions.stance_rule import (
    AWAY,
    COMMON,
    FIRST,
    NONE,
    ONE_SIDE,
    OPEN,
    OPPOSED,
    SAME,
    STICKING,
    TALK,
    TOWARD,
    TURNED,
    UNCHANGED,
    UNSTATED,
)

# --------------------------------------------------------------------------- the rule itself


def test_movement_between_two_codes():
    assert stance_rule.movement(None, "rejects") == FIRST
    assert stance_rule.movement("demands", "supports") == TOWARD
    assert stance_rule.movement("open", "rejects") == AWAY
    assert stance_rule.movement("supports", "opposes") == TURNED  # one distance, other side
    assert stance_rule.movement("undeclared", "supports") == TURNED  # the table and chart agree
    assert stance_rule.movement("open", "undeclared") == TURNED
    assert stance_rule.movement("rejects", "rejects") == UNCHANGED
    assert stance_rule.movement("rejects", None) is None


def test_relation_of_two_parties():
    assert stance_rule.relation("demands", "supports") == SAME
    assert stance_rule.relation("opposes", "rejects") == SAME
    assert stance_rule.relation("open", "open") == SAME  # both open to discuss: common ground
    assert stance_rule.relation("supports", "rejects") == OPPOSED
    assert stance_rule.relation("conditional", "supports") == OPEN
    assert stance_rule.relation("open", "rejects") == OPEN
    assert stance_rule.relation("undeclared", "rejects") == NONE
    assert stance_rule.relation(None, "rejects") == NONE
    assert stance_rule.relation("doubts", "opposes") == NONE  # a forecast is no position


def test_relation_of_three_parties_takes_the_sharpest():
    assert stance_rule.relation_of(["supports", "rejects", None]) == OPPOSED
    assert stance_rule.relation_of(["supports", "supports", None]) == NONE
    assert stance_rule.relation_of(["supports", "open", "supports"]) == OPEN
    assert stance_rule.relation_of(["open", "open", "open"]) == SAME
    for a, b in [("supports", "rejects"), ("open", None), ("open", "conditional")]:
        assert stance_rule.relation_of([a, b]) == stance_rule.relation(a, b)


def test_state_of_play():
    assert stance_rule.state(["supports", "demands", None]) == COMMON
    assert stance_rule.state(["supports", "open"]) == TALK
    assert stance_rule.state(["supports", "open", "rejects"]) == STICKING
    assert stance_rule.state(["supports", "undeclared"]) == ONE_SIDE
    assert stance_rule.state(["undeclared"]) == UNSTATED


def said(pk, party, code, talk_round=None, attribution="reported", official=False):
    """A stance as the state of play reads it: an official of ``party`` or the party itself."""
    actor = SimpleNamespace(
        order=50 if official else party, affiliation_id=party if official else None
    )
    return SimpleNamespace(
        pk=pk,
        code=code,
        attribution=attribution,
        actor=actor,
        actor_id=100 + party if official else party,
        talk_round=talk_round,
        talk_round_id=talk_round.pk if talk_round else None,
    )


def test_the_state_of_play_and_the_round_it_began():
    geneva, brussels, vienna = (
        SimpleNamespace(pk=i, order=i, title=t)
        for i, t in enumerate(["Geneva", "Brussels", "Vienna"], 1)
    )
    stances = [
        said(1, 1, "demands"),  # party 1 insists, standing
        said(2, 2, "open", geneva),  # party 2 open at Geneva: room to talk
        said(3, 2, "rejects", brussels, official=True),  # its official refuses at Brussels
        said(4, 2, "supports", vienna),  # party 2 itself for it at Vienna: common ground
        said(5, 3, "doubts", vienna),  # a forecast never counts
        said(6, 3, "rejects", vienna, attribution="analysis"),  # nor an analyst's reading
    ]
    play = stance_rule.state_of_play(stances)
    assert (play.state, play.since) == (COMMON, vienna)
    assert stance_rule.state_of_play(stances[:3]) == stance_rule.Play(STICKING, brussels)
    assert stance_rule.state_of_play(stances[:2]) == stance_rule.Play(TALK, geneva)
    assert stance_rule.state_of_play(stances[:1]) == stance_rule.Play(ONE_SIDE, None)
    assert stance_rule.state_of_play(stances[4:]) is None  # no party's position at all
    # At one round the party's own stance heads its officials': party 2 at Brussels.
    both = [*stances[:3], said(7, 2, "open", brussels)]
    assert stance_rule.state_of_play(both) == stance_rule.Play(TALK, geneva)


def test_forecasts_and_analysis_are_not_positions():
    assert stance_rule.is_position(StanceCode.OPPOSES, Attribution.ON_RECORD)
    assert not stance_rule.is_position(StanceCode.DOUBTS, Attribution.ON_RECORD)
    assert not stance_rule.is_position(StanceCode.EXPECTS, Attribution.REPORTED)
    assert not stance_rule.is_position(StanceCode.SUPPORTS, Attribution.ANALYSIS)


def test_the_css_class_is_the_direction_never_the_code():
    assert stance_rule.css_class("demands") == "dir-for emphatic"
    assert stance_rule.css_class("supports") == "dir-for"
    assert stance_rule.css_class("doubts") == "dir-forecast"
    css = (settings.BASE_DIR / "static" / "positions" / "parley.css").read_text(encoding="utf-8")
    for code in StanceCode:
        assert f".stance-{code.value}" not in css
    for direction in stance_rule.Direction:
        assert f".badge.dir-{direction.value}" in css


# --------------------------------------------------------------------------- the real data


def test_compare_and_agreement_count_the_same_for_every_pair(dataset):
    stances = Stance.objects.published()
    matrix = analysis.agreement(stances)
    parties = matrix["parties"]
    assert len(parties) >= 3
    checked = 0
    for row in matrix["matrix"]:
        for pair in row["cells"]:
            if pair is None:
                continue
            compared = analysis.compare_parties(stances, [pair.a, pair.b])
            counts = {group["key"]: len(group["rows"]) for group in compared["groups"]}
            assert counts == {key: pair.count(key) for key in stance_rule.RELATIONS}, (
                pair.a,
                pair.b,
            )
            checked += 1
    assert checked == len(parties) * (len(parties) - 1)


def test_russia_and_the_united_states_do_not_agree_on_ukraines_membership(client, dataset):
    page = client.get("/compare/?party=russia&party=united-states").content.decode()
    same = page[page.index('<section id="same"') : page.index('<section id="no_position"')]
    assert "U.S.-Russian strategic arms talks go on" in same  # both for: the section works
    assert "Ukraine and Georgia join NATO" not in same
    # Biden's forecast is in the table of assessments and forecasts, under his own name.
    grid = client.get("/?issue=ukraine-georgia-membership").content.decode()
    analysts = grid[grid.index('class="matrix analysis"') :]
    assert "Joe Biden" in analysts and "forecast: expects it not to happen" in analysts


def test_table_json_has_a_state_for_every_proposition_two_parties_speak_to(client, dataset):
    data = client.get("/table.json").json()
    states = {p["issue"]: p for p in data["propositions"]}
    parties_on = defaultdict(set)
    for cell in data["cells"]:
        if not cell["analysis"]:
            parties_on[cell["issue"]].add(cell["actor"])
    two = {issue for issue, parties in parties_on.items() if len(parties) >= 2}
    assert two and two <= set(states)
    assert all(states[i]["state"] in stance_rule.STATES for i in two)
    # Russia insists NATO rules out expanding; the United States and NATO refuse.
    assert states["non-enlargement-former-soviet"]["state"] == STICKING
    for cell in data["cells"]:
        if not cell["analysis"]:  # a party's cell carries its proposition's state
            assert cell["state"] == states[cell["issue"]]["state"]
        else:
            assert cell["state"] is None


def test_a_corrected_reading_says_so_where_a_reader_meets_it(client, dataset):
    biden = Stance.objects.published().get(
        actor__slug="joe-biden", issue__slug="ukraine-georgia-membership"
    )
    assert biden.code == StanceCode.DOUBTS  # a forecast, since the second reading
    for url in (biden.get_absolute_url(), "/claims/?actor=joe-biden"):
        page = client.get(url).content.decode()
        assert "forecast: expects it not to happen" in page
        assert "Curator’s note: Second reading: was coded opposes" in page
