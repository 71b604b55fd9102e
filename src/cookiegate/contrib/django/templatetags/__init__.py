"""Template tag libraries of the ``cookiegate.contrib.django`` app (``{% load cookiegate %}``)."""

from __future__ import annotations
