"""Request guards that apply to every view."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render


def _has_nul(query_dict) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query_dict.lists())


class RefuseNulCharactersMiddleware:
    """A NUL character in the path (404), the query string or a form field (400) stops the request here.

    PostgreSQL refuses NUL in text, so a view that looks up `?q=%00` or `/sondages/r/%00/`, or saves
    a draft holding one, would fail with a 500; nobody types one, and no address of ours holds one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            return render(request, "400.html", status=400)
        return self.get_response(request)
