"""The codebook as the site shows it (/codebook/): what each stance code, attribution and
confidence means, with an example from the published data. docs/codebook.md says the same for
curators."""

from dataclasses import dataclass

from positions import stance_rule
from positions.models import Attribution, Citation, Confidence, Source, StanceCode
from positions.stance_rule import css_class

STANCES = {
    StanceCode.DEMANDS: "Insists on the proposition: a requirement, a precondition or an "
    "ultimatum.",
    StanceCode.SUPPORTS: "Favours the proposition, proposes it or says it should happen, without "
    "making it a condition.",
    StanceCode.OPEN: "Is willing to discuss or negotiate it, without committing to an outcome.",
    StanceCode.CONDITIONAL: "Would accept it only if something else happens first.",
    StanceCode.OPPOSES: "Is against it, or calls it impossible, unwise or unnecessary, without a "
    "categorical refusal.",
    StanceCode.REJECTS: "Refuses it outright, or refuses even to consider it.",
    StanceCode.UNDECLARED: "Deliberately leaves the position open: neither confirms nor denies. "
    "This is itself a claim, backed by a quote.",
    StanceCode.EXPECTS: "Forecasts that it will happen (soon, or in some years), whatever the "
    "speaker wants. Not a position: never counted for a party.",
    StanceCode.DOUBTS: "Forecasts that it will not happen, or not for a long time, whatever the "
    "speaker wants. Not a position: never counted for a party.",
}


@dataclass(frozen=True)
class Rule:
    slug: str
    title: str
    rule: str
    example: str  # verbatim from a source
    source: str  # the source's slug
    reading: str  # how the example is coded under the rule


# The decision rules a careful coder follows, with an example from the articles each. The site
# shows them at /codebook/#rules; docs/codebook.md states each in the same words (a test holds
# them together), and the loader checks the ones a machine can (positions/readings.py).
RULES = [
    Rule(
        "forecast",
        "A forecast is not a position",
        "What a speaker expects to happen is coded expects or doubts, outside the for/against "
        "scale, and never counts for a party: it cannot make two parties agree or differ.",
        "Biden has already said that Ukrainian membership of NATO is unlikely to be approved in "
        "the next decade",
        "trenin-week-of-talks",
        "Joe Biden doubts “Ukraine and Georgia join NATO”: a forecast, shown as his own in the "
        "table of assessments and forecasts, not as the United States’ position.",
    ),
    Rule(
        "officials",
        "Officials count for their party only with positions they state for it",
        "A position an official or a government body states for its state counts in the "
        "state’s column, unless the state itself has a stance at that round, which comes first; "
        "the official’s forecasts and assessments stay the official’s own.",
        "As Deputy Foreign Minister Sergei Ryabkov put it, “Russia has nowhere else to retreat.”",
        "security-assurances-on-the-table",
        "Sergei Ryabkov opposes “NATO takes in new members”, in Russia’s column.",
    ),
    Rule(
        "one-round",
        "One statement is one claim, at the round the text places it",
        "A passage stands for one actor’s stance on a proposition at one round. When the text "
        "places a statement at the week of talks as a whole, or names several rounds in one "
        "breath, it is coded once (as a standing position, or at the first round it names) and "
        "the note says so. The loader refuses a passage cited by one actor on one proposition "
        "at different rounds.",
        'Russia insisted that the talks focus on its "binding" demands',
        "trenin-week-of-talks",
        "Russia insists on its demands once, not once each for Geneva, Brussels and Vienna.",
    ),
    Rule(
        "one-side",
        "A proposition names one action by one side",
        "A proposition that joins two parties’ actions is split, one per side, so that each "
        "party’s stance is read against its own action. The loader refuses a proposition whose "
        "title joins two parties’ actions when both have stances on it.",
        "Congress is discussing new sanctions, the Kremlin is compiling a raft of countersanctions",
        "trenin-week-of-talks",
        "“The West imposes new sanctions on Russia” and “Russia imposes countersanctions on the West” are two "
        "propositions: Russia’s countersanctions no longer show as support for Western sanctions.",
    ),
    Rule(
        "analysts",
        "An analyst’s assessment is not a party’s position",
        "What an article’s author, or an expert the author cites, thinks of a situation is "
        "coded under that analyst, as analysis or a proposal, and sits in its own table.",
        "experts are talking about twenty to twenty-five years.",
        "trenin-week-of-talks",
        "The U.S. experts expect Ukraine to join only in twenty to twenty-five years: their "
        "forecast, not the United States’ position, and about Ukraine only.",
    ),
]

ATTRIBUTIONS = {
    Attribution.ON_RECORD: "The actor's own words, or words a source attributes to a named "
    "speaker.",
    Attribution.REPORTED: "The source reports the actor's position or action without quoting a "
    "statement.",
    Attribution.ANALYSIS: "The article's author, or an expert the author cites, assesses a "
    "situation or another actor's position. Always an analyst's, never a party's.",
    Attribution.PROPOSAL: "The article's author proposes a course of action. Always an analyst's.",
}

CONFIDENCES = {
    Confidence.HIGH: "The passage states the position plainly.",
    Confidence.MEDIUM: "The passage implies it, or places it at the round only by context.",
    Confidence.LOW: "An inference the curator could defend but another might not share.",
}


def stance_scale():
    """Each stance code with its meaning and one published example: a query per code, so seven
    whatever the size of the data."""
    rows = []
    for code, meaning in STANCES.items():
        example = (
            Citation.objects.published()
            .filter(stance__code=code)
            .select_related("stance__actor", "stance__issue", "source")
            .defer("source__text")
            .order_by("stance__issue__order", "stance__actor__order", "order", "pk")
            .first()
        )
        rows.append(
            {
                "code": code,
                "css": css_class(code),
                "label": code.label,
                "direction": stance_rule.direction(code),
                "meaning": meaning,
                "example": example,
            }
        )
    return rows


def rules_with_sources():
    """Each rule with the title of its example's source: one query."""
    titles = dict(Source.objects.values_list("slug", "title"))
    return [{"rule": rule, "source_title": titles.get(rule.source)} for rule in RULES]


def page():
    return {
        "stances": stance_scale(),
        "rules": rules_with_sources(),
        "relations": [
            (label, stance_rule.RELATION_HELP[key]) for key, label in stance_rule.RELATIONS.items()
        ],
        "states": [
            (symbol, label, stance_rule.STATE_HELP[key])
            for key, (symbol, label) in stance_rule.STATES.items()
        ],
        "attributions": [(a.label, ATTRIBUTIONS[a]) for a in Attribution],
        "confidences": [(c.label, CONFIDENCES[c]) for c in Confidence],
    }
