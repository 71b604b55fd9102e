"""Browser tests: cookiegate in a real Chromium (see conftest.py)."""
