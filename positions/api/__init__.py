"""The read-only API under /api/v1/: the published data as JSON, with the site's filters.

urls -> views -> filters and queries -> serializers. Everything starts from ``published()``: a
draft, a claim under review, a withdrawn claim, a proposed change and their citations never
appear. Schema at /api/v1/openapi.json, Swagger UI at /api/v1/docs/.
"""
