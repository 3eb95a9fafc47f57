"""Accounts of the admin: sign-in throttling and lockout (django-axes), the second factor (TOTP,
django-otp) required of administrators, and the Content-Security-Policy of the site and the admin.

Below every other app of the project: it knows Django, Wagtail and those libraries only.
"""
