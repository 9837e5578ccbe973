"""The codebook as the site shows it (/codebook/): what each stance code, attribution and
confidence means, with an example from the published data. docs/codebook.md says the same for
curators."""

from positions.models import Attribution, Citation, Confidence, StanceCode
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
}

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
                "meaning": meaning,
                "example": example,
            }
        )
    return rows


def page():
    return {
        "stances": stance_scale(),
        "attributions": [(a.label, ATTRIBUTIONS[a]) for a in Attribution],
        "confidences": [(c.label, CONFIDENCES[c]) for c in Confidence],
    }
