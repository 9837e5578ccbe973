"""What every public page may show without asking the database: the stance scale, for the
legend that explains the chips (templates/positions/_legend.html)."""

from positions.stance_rule import StanceCode, css_class

SCALE = [(css_class(code), label) for code, label in StanceCode.choices]


def codebook(request):
    return {"stance_scale": SCALE}
