"""Views of the Frame & Margin example.

Like the Flask version, the site has no consent logic: the gate removes the trackers,
and templates only read ``consent`` to *say* what it decided (privacy page) and link to
the preferences page (footer).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .catalogue import ARTICLES, BOOKS

#: Placeholder measurement ids: they look real to the gate but report to nobody.
GA_MEASUREMENT_ID = "G-FM0DEMO123"
META_PIXEL_ID = "100000000000001"


def site_context(request: HttpRequest) -> dict[str, Any]:
    """Values every page's base template needs."""
    return {
        "ga_measurement_id": GA_MEASUREMENT_ID,
        "meta_pixel_id": META_PIXEL_ID,
        "basket_count": len(request.session.get("basket", [])),
    }


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "framesite/home.html", {"articles": ARTICLES, "books": BOOKS})


@require_GET
def article(request: HttpRequest, slug: str) -> HttpResponse:
    found = next((a for a in ARTICLES if a.slug == slug), None)
    if found is None:
        raise Http404("No such article")
    return render(request, "framesite/article.html", {"article": found})


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "framesite/privacy.html")


@require_GET
def shop(request: HttpRequest) -> HttpResponse:
    return render(request, "framesite/shop.html", {"books": BOOKS})


@require_http_methods(["GET", "HEAD", "POST"])
def basket(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        slug = request.POST.get("book", "")
        if slug not in {b.slug for b in BOOKS}:
            return HttpResponse("Unknown book.", status=400, content_type="text/plain")
        # Writing to the session sets Django's `sessionid` cookie, which the site's
        # cookies.yaml declares as strictly necessary, so the gate lets it through.
        request.session["basket"] = [*request.session.get("basket", []), slug]
        return _see_other("basket")
    by_slug = {b.slug: b for b in BOOKS}
    items = [by_slug[s] for s in request.session.get("basket", []) if s in by_slug]
    total = sum(b.price_pence for b in items)
    context = {"items": items, "total": f"£{total / 100:.2f}"}
    return render(request, "framesite/basket.html", context)


@require_POST
def empty_basket(request: HttpRequest) -> HttpResponse:
    request.session.pop("basket", None)
    return _see_other("basket")


def _see_other(name: str) -> HttpResponse:
    # 303, as in the Flask version: the browser follows a POST with a GET.
    return HttpResponseRedirect(reverse(name), status=303)
