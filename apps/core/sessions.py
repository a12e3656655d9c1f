"""Sessions that expire after SESSION_COOKIE_AGE without use, renewed by use.

Django's SESSION_SAVE_EVERY_REQUEST would write the session on every request; renewing at
most every RENEW_EVERY seconds costs one write in that interval and keeps a working day's
session alive while a forgotten browser is signed out SESSION_COOKIE_AGE after its last
request.
"""

from __future__ import annotations

import time

RENEW_EVERY = 600
KEY = "_renewed_at"


def mark_renewed(sender, request, user, **kwargs) -> None:
    """On login (a `user_logged_in` receiver): the new session counts as just renewed."""
    request.session[KEY] = int(time.time())


class SessionRenewalMiddleware:
    """Re-save a signed-in user's session (pushing its expiry SESSION_COOKIE_AGE ahead)
    when it was last renewed more than RENEW_EVERY seconds ago."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a session already loaded (a signed-in request has read it) is looked at.
        if session is not None and getattr(session, "_session_cache", None) is not None:
            now = int(time.time())
            if "_auth_user_id" in session and now - session.get(KEY, 0) > RENEW_EVERY:
                session[KEY] = now
        return response
