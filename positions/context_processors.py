"""What every public page may show without asking the database: the stance scale, for the
legend that explains the chips (templates/positions/_legend.html)."""

from positions.models import StanceCode


def codebook(request):
    return {"stance_scale": StanceCode.choices}
