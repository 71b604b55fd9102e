"""Tests of cookiegate inside real frameworks (Flask, Django), skipped without them."""
