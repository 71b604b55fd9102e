"""Frame & Margin: a small fictional publisher of books about animation, as a Flask 3 site.

The site is written the way many real sites are: the Google tag (GA4), the Meta pixel and
Google Fonts sit in the base template, an article embeds a YouTube video, and the shop keeps
a basket in Flask's signed ``session`` cookie. It has no consent logic of its own.
:func:`create_app` returns the site *unwrapped*; running this file wraps it in
:class:`cookiegate.CookieGate`, which removes the trackers until a visitor agrees.

Run it from a source checkout::

    PYTHONPATH=src python examples/flask_site/app.py

or, once cookiegate is installed with the ``demo`` extra, ``cookiegate demo``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, abort, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

HERE = Path(__file__).resolve().parent

#: Placeholder measurement ids: they look real to the gate but report to nobody.
GA_MEASUREMENT_ID = "G-FM0DEMO123"
META_PIXEL_ID = "100000000000001"


@dataclass(frozen=True)
class Book:
    """A title in the shop."""

    slug: str
    title: str
    author: str
    price_pence: int
    blurb: str

    @property
    def price(self) -> str:
        """The price formatted for display, in pounds."""
        return f"£{self.price_pence // 100}.{self.price_pence % 100:02d}"


@dataclass(frozen=True)
class Article:
    """A journal piece; ``video_id`` embeds a YouTube video when set."""

    slug: str
    title: str
    standfirst: str
    paragraphs: tuple[str, ...]
    video_id: str | None = None


BOOKS: tuple[Book, ...] = (
    Book(
        "twelve-drawings-a-second",
        "Twelve Drawings a Second",
        "Ada Whitlock",
        1899,
        "A practical history of timing in hand-drawn animation, from flip books to "
        "the studio exposure sheet.",
    ),
    Book(
        "the-open-movie",
        "The Open Movie",
        "Tomás Reyes",
        2250,
        "How a handful of volunteer-made short films changed what free software "
        "could do for cinema.",
    ),
    Book(
        "paper-light",
        "Paper Light",
        "Mina Okafor",
        1600,
        "Cut-out and silhouette animation, with thirty plates reproduced in colour.",
    ),
)

ARTICLES: tuple[Article, ...] = (
    Article(
        "big-buck-bunny-at-fifteen",
        "Big Buck Bunny at fifteen",
        "The Blender Foundation's second open movie still teaches more about comic "
        "timing than most textbooks.",
        (
            "When the Peach project released Big Buck Bunny, every file that went into "
            "it was published alongside the film: models, rigs, textures and scenes. "
            "Students could open a shot and see exactly how a gag had been staged.",
            "Watch the first minute with the sound off. The bunny's wake-up stretch is "
            "held for a beat longer than feels comfortable, and that pause is what makes "
            "the butterfly's arrival land.",
            "Tomás Reyes returns to the film in chapter four of The Open Movie, with "
            "interviews from the original crew.",
        ),
        video_id="aqz-KE-bpKQ",
    ),
    Article(
        "exposure-sheets",
        "In praise of the exposure sheet",
        "A humble printed grid is still the clearest way to plan a scene.",
        (
            "Before software timelines, animators wrote every frame of a scene onto a "
            "tall paper form: one row per frame, one column per layer, with the "
            "dialogue broken down syllable by syllable.",
            "Ada Whitlock argues that planning on paper forces decisions a timeline lets "
            "you postpone forever.",
        ),
    ),
)


def create_app(*, secret_key: str | None = None) -> Flask:
    """Build the site, without cookiegate.

    ``secret_key`` signs Flask's own ``session`` cookie (the basket). It defaults to the
    ``FLASK_SECRET_KEY`` environment variable, else a random key for this process.
    """
    app = Flask(__name__, root_path=str(HERE))
    app.config["SECRET_KEY"] = (
        secret_key or os.environ.get("FLASK_SECRET_KEY") or secrets.token_urlsafe(32)
    )
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.context_processor(_template_globals)
    _register_pages(app)
    _register_shop(app)
    return app


def _template_globals() -> Mapping[str, Any]:
    return {
        "ga_measurement_id": GA_MEASUREMENT_ID,
        "meta_pixel_id": META_PIXEL_ID,
        "basket_count": len(session.get("basket", [])),
        # cookiegate publishes the visitor's decision here; None when the site runs unwrapped.
        "consent": request.environ.get("cookiegate.consent"),
    }


def _register_pages(app: Flask) -> None:
    @app.get("/")
    def home() -> str:
        return render_template("home.html", articles=ARTICLES, books=BOOKS)

    @app.get("/journal/<slug>")
    def article(slug: str) -> str:
        found = next((a for a in ARTICLES if a.slug == slug), None)
        if found is None:
            abort(404)
        return render_template("article.html", article=found)

    @app.get("/privacy")
    def privacy() -> str:
        return render_template("privacy.html")


def _register_shop(app: Flask) -> None:
    @app.get("/shop")
    def shop() -> str:
        return render_template("shop.html", books=BOOKS)

    @app.get("/basket")
    def basket() -> str:
        by_slug = {b.slug: b for b in BOOKS}
        items = [by_slug[s] for s in session.get("basket", []) if s in by_slug]
        total = sum(b.price_pence for b in items)
        return render_template("basket.html", items=items, total=f"£{total / 100:.2f}")

    @app.post("/basket")
    def add_to_basket() -> Response:
        slug = request.form.get("book", "")
        if slug not in {b.slug for b in BOOKS}:
            abort(400)
        # Writing to the session sets Flask's first-party `session` cookie, which the
        # site's cookies.yaml declares as strictly necessary.
        session["basket"] = [*session.get("basket", []), slug]
        return redirect(url_for("basket"), code=303)

    @app.post("/basket/empty")
    def empty_basket() -> Response:
        session.pop("basket", None)
        return redirect(url_for("basket"), code=303)


if __name__ == "__main__":
    from werkzeug.serving import run_simple

    from cookiegate import CookieGate

    key = os.environ.get("COOKIEGATE_SECRET_KEY")
    if not key:
        key = secrets.token_urlsafe(32)
        print("COOKIEGATE_SECRET_KEY is not set: using a throwaway key for this run.")
    site = create_app()
    site.wsgi_app = CookieGate(  # type: ignore[method-assign]
        site.wsgi_app, HERE / "cookies.yaml", secret_key=key
    )
    print("Frame & Margin is running at http://127.0.0.1:5000/")
    run_simple("127.0.0.1", 5000, site, threaded=True)
