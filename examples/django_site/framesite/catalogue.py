"""The books and journal articles of Frame & Margin (the same as the Flask example's)."""

from __future__ import annotations

from dataclasses import dataclass


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
