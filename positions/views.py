from django.shortcuts import render

from positions import queries


def home(request):
    return render(request, "positions/home.html", queries.overview())
