"""Chinese first: the interface language is the user's explicit choice, Simplified Chinese otherwise."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class ExplicitLanguageOnly:
    """Ignore the browser's Accept-Language so an English-locale browser still sees Chinese first.

    English is one click away (the switcher sets Django's language cookie, which LocaleMiddleware
    honours); a bureau's staff should not get a different interface depending on their laptop.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
