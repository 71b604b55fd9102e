"""URLs of the Frame & Margin example; the same paths as the Flask version."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("journal/<slug:slug>", views.article, name="article"),
    path("privacy", views.privacy, name="privacy"),
    path("shop", views.shop, name="shop"),
    path("basket", views.basket, name="basket"),
    path("basket/empty", views.empty_basket, name="empty_basket"),
]
