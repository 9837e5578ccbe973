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
}
