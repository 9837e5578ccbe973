"""Model invariants: database constraints, and the clean() messages that mirror them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from positions.citations import sha256_text
from positions.models import (
    Actor,
    ActorKind,
    Attribution,
    Citation,
    CitedTextChanged,
    DatePrecision,
    Issue,
    Source,
    SourceKind,
    Stance,
    StanceCode,
    TalkRound,
)
from positions.partial_dates import format_partial_date, parse_partial_date

pytestmark = pytest.mark.django_db

TEXT = "Russia demands guarantees. NATO refuses. Russia demands guarantees again."


def make_source(**kwargs):
    from positions.citations import sha256_text

    values = dict(slug="s", title="T", kind=SourceKind.OPINION, file_name="s.txt", text=TEXT)
    values.update(kwargs)
    values.setdefault("sha256", sha256_text(values["text"]))
    return Source.objects.create(**values)


def make_actor(slug="russia", kind=ActorKind.STATE, **kwargs):
    return Actor.objects.create(slug=slug, name=slug.title(), kind=kind, **kwargs)


def make_round(slug="geneva", order=1, **kwargs):
    return TalkRound.objects.create(
        slug=slug, title=slug, format="bilateral", order=order, **kwargs
    )


def make_stance(actor, issue, talk_round=None, **kwargs):
    values = dict(code=StanceCode.DEMANDS, summary="s", attribution=Attribution.REPORTED)
    values.update(kwargs)
    return Stance.objects.create(actor=actor, issue=issue, talk_round=talk_round, **values)


def test_partial_dates_parse_and_render_only_as_precisely_as_given():
    assert parse_partial_date("2022-01-21") == (datetime.date(2022, 1, 21), DatePrecision.DAY)
    assert parse_partial_date("2022-01") == (datetime.date(2022, 1, 1), DatePrecision.MONTH)
    assert parse_partial_date("2021") == (datetime.date(2021, 1, 1), DatePrecision.YEAR)
    assert format_partial_date(datetime.date(2022, 1, 1), DatePrecision.MONTH) == "January 2022"
    assert format_partial_date(datetime.date(2021, 1, 1), DatePrecision.YEAR) == "2021"
    assert format_partial_date(None, DatePrecision.UNKNOWN) == "date unknown"
    for bad in ("2022-02-30", "21/01/2022", "January", "2022-1", ""):
        with pytest.raises(ValueError):
            parse_partial_date(bad)


def test_one_stance_per_actor_issue_and_round():
    russia, issue, geneva = make_actor(), Issue.objects.create(slug="i", title="I"), make_round()
    make_stance(russia, issue, geneva)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_stance(russia, issue, geneva)
    duplicate = Stance(
        actor=russia,
        issue=issue,
        talk_round=geneva,
        code="demands",
        summary="s",
        attribution="reported",
    )
    with pytest.raises(ValidationError, match="already has a stance on this issue at this round"):
        duplicate.full_clean()


def test_one_stance_per_actor_and_issue_outside_any_round():
    russia, issue = make_actor(), Issue.objects.create(slug="i", title="I")
    make_stance(russia, issue)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_stance(russia, issue)
    # A stance at a round is a different claim.
    make_stance(russia, issue, make_round())


def test_round_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_round(
            start_date=datetime.date(2022, 1, 10),
            end_date=datetime.date(2022, 1, 9),
            date_precision=DatePrecision.DAY,
        )
    bad = TalkRound(
        slug="x",
        title="x",
        format="bilateral",
        order=2,
        start_date=datetime.date(2022, 1, 10),
        end_date=datetime.date(2022, 1, 9),
        date_precision=DatePrecision.DAY,
    )
    with pytest.raises(ValidationError) as info:
        bad.full_clean()
    assert info.value.message_dict["end_date"] == ["A round cannot end before it starts."]


def test_a_date_needs_its_precision_and_an_unknown_date_has_none():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_round(start_date=datetime.date(2022, 1, 10))  # precision left at "unknown"
    bad = TalkRound(slug="x", title="x", format="bilateral", order=2, date_precision="month")
    with pytest.raises(ValidationError, match="exactly when its precision is known"):
        bad.full_clean()


def test_an_official_rolls_up_to_its_party():
    russia = make_actor()
    lavrov = make_actor("lavrov", ActorKind.OFFICIAL, affiliation=russia)
    assert lavrov.party == russia and russia.party == russia


def test_affiliation_must_be_a_party_not_an_official():
    russia = make_actor()
    lavrov = make_actor("lavrov", ActorKind.OFFICIAL, affiliation=russia)
    aide = Actor(slug="aide", name="Aide", kind=ActorKind.OFFICIAL, affiliation=lavrov)
    with pytest.raises(ValidationError, match="Affiliate with a party"):
        aide.full_clean()


def test_issues_nest_one_level():
    top = Issue.objects.create(slug="top", title="Top")
    sub = Issue.objects.create(slug="sub", title="Sub", parent=top)
    with pytest.raises(ValidationError, match="one level deep"):
        Issue(slug="subsub", title="x", parent=sub).full_clean()


def test_analysis_belongs_to_analysts_only():
    party, analyst = make_actor(), make_actor("trenin", ActorKind.ANALYST)
    issue = Issue.objects.create(slug="i", title="I")
    with pytest.raises(ValidationError, match="belong to an analyst"):
        Stance(
            actor=party, issue=issue, code="supports", summary="s", attribution=Attribution.ANALYSIS
        ).full_clean()
    with pytest.raises(ValidationError, match="their analysis or their proposal"):
        Stance(
            actor=analyst,
            issue=issue,
            code="supports",
            summary="s",
            attribution=Attribution.REPORTED,
        ).full_clean()
    Stance(
        actor=analyst, issue=issue, code="supports", summary="s", attribution=Attribution.PROPOSAL
    ).full_clean()


def test_citation_offsets_are_computed_and_checked():
    source = make_source()
    stance = make_stance(make_actor(), Issue.objects.create(slug="i", title="I"))
    citation = Citation(source=source, stance=stance, quote="NATO  refuses.")
    citation.full_clean(exclude=["start", "end"])
    assert (citation.start, citation.end) == (27, 40)
    assert TEXT[citation.start : citation.end] == "NATO refuses."
    citation.save()
    assert citation.is_verified()


def test_citation_clean_refuses_a_quote_not_in_the_source():
    source = make_source()
    citation = Citation(source=source, quote="NATO agrees.")
    with pytest.raises(ValidationError) as info:
        citation.full_clean(exclude=["start", "end"])
    assert "quote not found verbatim" in info.value.message_dict["quote"][0]
    assert "closest passage" in info.value.message_dict["quote"][0]


def test_citation_clean_asks_for_a_prefix_when_ambiguous():
    source = make_source()
    stance = make_stance(make_actor(), Issue.objects.create(slug="i", title="I"))
    citation = Citation(source=source, stance=stance, quote="Russia demands guarantees")
    with pytest.raises(ValidationError, match="add a prefix or suffix"):
        citation.full_clean(exclude=["start", "end"])
    citation.suffix = "again"
    citation.full_clean(exclude=["start", "end"])
    assert citation.start == TEXT.rindex("Russia demands")


def test_citation_backs_exactly_one_claim():
    source = make_source()
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.create(source=source, quote="NATO refuses.", start=27, end=40)
    stance = make_stance(make_actor(), Issue.objects.create(slug="i", title="I"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.create(source=source, quote="x", start=5, end=5, stance=stance)


def test_an_uncited_sources_text_may_change_and_its_hash_follows():
    source = make_source()
    source.text = TEXT + " Edited."
    source.full_clean()
    source.save()
    source.refresh_from_db()
    assert source.text.endswith("Edited.") and source.sha256 == sha256_text(TEXT + " Edited.")


def test_a_cited_sources_text_never_changes_whatever_the_route():
    source = make_source()
    stance = make_stance(make_actor(), Issue.objects.create(slug="i", title="I"))
    Citation.objects.create(source=source, quote="NATO refuses.", start=27, end=40, stance=stance)
    source.text = TEXT.replace("refuses", "agrees")
    with pytest.raises(ValidationError, match="its text is fixed"):
        source.full_clean()
    with pytest.raises(CitedTextChanged):
        source.save()
    source.refresh_from_db()
    assert source.text == TEXT and source.sha256 == sha256_text(TEXT)
    source.title = "Retitled"  # everything else about a cited source may change
    source.save()


def test_published_is_the_one_visibility_rule():
    russia, issue = make_actor(), Issue.objects.create(slug="i", title="I")
    draft = make_stance(russia, issue, status="draft")
    published = make_stance(russia, issue, make_round(), status="published")
    assert list(Stance.objects.published()) == [published]
    assert draft not in Stance.objects.published()
