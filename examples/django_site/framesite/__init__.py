"""Frame & Margin, the cookiegate example site, as a Django 5.2 project."""
