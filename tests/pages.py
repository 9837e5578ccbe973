"""One URL of every public page type, on the shipped dataset."""

PAGE_TYPES = {
    "comparison": "/",
    "comparison-filtered": "/?round=geneva-talks-2022&analysis=exclude&officials=separate",
    "comparison-invalid": "/?round=atlantis&stance=adores",
    "claims": "/claims/?actor=russia&issue=non-enlargement-former-soviet",
    "issues": "/issues/",
    "issue": "/issues/nato-enlargement/",
    "actors": "/actors/",
    "actor": "/actors/russia/",
    "official": "/actors/sergey-lavrov/",
    "rounds": "/rounds/",
    "round": "/rounds/geneva-talks-2022/",
    "demands": "/demands/",
    "demand": "/demands/russia-no-nato-expansion/",
    "sources": "/sources/",
    "source": "/sources/trenin-week-of-talks/",
    "search": "/search/?q=NATO",
    "about": "/about/",
    "changes": "/changes/",
    "codebook": "/codebook/",
    "api-guide": "/api/v1/docs/",
    # The analysis pages (positions/site/analysis.py); the issue page has its chart, the demand page
    # its chain as a tree.
    "agreement": "/agreement/?as_of=lavrov-blinken-2022&a=russia&b=united-states",
    "agreement-invalid": "/agreement/?as_of=atlantis&a=russia",
    "moved": "/moved/?from=geneva-summit-2021&to=lavrov-blinken-2022",
    "moved-invalid": "/moved/?from=lavrov-blinken-2022&to=geneva-summit-2021",
    "compare-parties": "/compare/?party=russia&party=united-states&party=nato",
    "compare-parties-invalid": "/compare/?party=russia",
}

# Second pages of the paged views. The shipped data fits on one page of the comparison and of an
# issue, so a test that shows these first makes those pages small (small_pages); a source's list
# of passages is paged at the shipped size already.
PAGED = {
    "comparison-page-2": "/?page=2&analysis=exclude",
    "issue-page-2": "/issues/nato-enlargement/?page=2",
    "source-page-2": "/sources/trenin-week-of-talks/?page=2",
}


def small_pages(monkeypatch):
    from positions.site import comparison, queries

    monkeypatch.setattr(comparison, "ROWS_PER_PAGE", 10)
    monkeypatch.setattr(queries, "STANCES_PER_PAGE", 8)
