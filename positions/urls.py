from django.urls import path

from positions.exports import downloads, feeds
from positions.site import views

app_name = "positions"

urlpatterns = [
    path("", views.comparison, name="comparison"),
    path("about/", views.home, name="home"),
    path("table.csv", downloads.table_download, {"fmt": "csv"}, name="table-csv"),
    path("table.json", downloads.table_download, {"fmt": "json"}, name="table-json"),
    path("claims/", views.claims, name="claims"),
    path("claims.csv", downloads.claims_download, {"fmt": "csv"}, name="claims-csv"),
    path("claims.json", downloads.claims_download, {"fmt": "json"}, name="claims-json"),
    path("stances/<int:pk>/", views.stance_detail, name="stance"),
    path("issues/", views.issue_list, name="issues"),
    path("issues/<slug:slug>/", views.issue_detail, name="issue"),
    path("actors/", views.actor_list, name="actors"),
    path("actors/<slug:slug>/", views.actor_detail, name="actor"),
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/<slug:slug>/", views.round_detail, name="round"),
    path("demands/", views.demand_list, name="demands"),
    *(
        path(
            f"{kind}.{fmt}",
            downloads.claims_of_kind_download,
            {"kind": kind, "fmt": fmt},
            name=f"{kind}-{fmt}",
        )
        for kind in ("demands", "responses")
        for fmt in ("csv", "json")
    ),
    path("data/parley-data.zip", downloads.data_package, name="data-package"),
    path("demands/<slug:slug>/", views.demand_detail, name="demand"),
    path("responses/<slug:slug>/", views.response_detail, name="response"),
    path("sources/", views.source_list, name="sources"),
    path("sources/<slug:slug>/", views.source_detail, name="source"),
    path("search/", views.search, name="search"),
    path("codebook/", views.codebook, name="codebook"),
    path("agreement/", views.agreement, name="agreement"),
    path("moved/", views.moved, name="moved"),
    path("compare/", views.compare_parties, name="compare-parties"),
    path("changes/", views.changes, name="changes"),
    path("feeds/claims.atom", feeds.ClaimsFeed(), name="feed"),
    path("issues/<slug:slug>/feed.atom", feeds.IssueFeed(), name="issue-feed"),
    path("actors/<slug:slug>/feed.atom", feeds.ActorFeed(), name="actor-feed"),
]
