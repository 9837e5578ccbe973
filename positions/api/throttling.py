"""The API's throttle: API_THROTTLE_RATE requests per client, the client named by the one rule
of project/clients.py (as the admin's login lockout names it)."""

from rest_framework.throttling import AnonRateThrottle

from project.clients import client_address


class ClientRateThrottle(AnonRateThrottle):
    def get_ident(self, request):
        return client_address(request)
