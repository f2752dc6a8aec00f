"""What a person typed survives a lost connection or an ended session.

The browser keeps a form's fields while they are typed (static/forms.js, in localStorage under the form's draft key:
user, form and record) and puts them back when the page loads again. The server's part is here:

- draft_key(kind, *ids): the key a template writes on a form (data-draft), the same on every page showing that form;
- draft_saved(key) / drafts_done(): a save the server confirmed, told to the next page drawn (a redirect after a
  POST), which tells the browser the draft may go (data-draft-clear);
- sign_in_again(): a request whose session has ended (expired, cleared, signed out elsewhere) is answered with the
  sign-in page, and signing in leads back to the page the form was on (never to the address of the POST), where
  the draft is restored and can be sent.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, flash, make_response, redirect, request, session, url_for
from flask_login import current_user, login_url

from blueprints.shared import safe_next
from extensions import login_manager

DONE = "drafts_done"
SESSION_ENDED = ("Phiên đăng nhập đã hết hạn nên nội dung chưa được gửi. Những gì bạn đang nhập vẫn được giữ trên "
                 "máy này: hãy đăng nhập lại, rồi bấm gửi.")
SIGN_IN_FIRST = "Vui lòng đăng nhập để tiếp tục."


def draft_key(kind: str, *ids) -> str:
    """user:kind:ids — one draft per person, form and record (a shared computer never shows another's draft)."""
    user_id = current_user.id if current_user.is_authenticated else 0
    return ":".join([str(user_id), kind, *(str(i) for i in ids)])


def draft_saved(key: str) -> None:
    """The server kept what this form sent: the next page drawn tells the browser to forget its draft."""
    session[DONE] = [*session.get(DONE, []), key][-10:]


def drafts_done() -> list[str]:
    """The drafts whose save was confirmed since the last page (read once)."""
    return session.pop(DONE, []) if DONE in session else []


def _page_of_form() -> str:
    """The page a form was sent from (its address with #anchor), for signing in to lead back to."""
    current = request.headers.get("HX-Current-URL") or request.referrer or ""
    parts = urlsplit(current)
    if not parts.path or (parts.netloc and parts.netloc != request.host):
        return url_for("main.dashboard")
    path = parts.path + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
    return safe_next(path, url_for("main.dashboard"))


def sign_in_again():
    """The answer to a request without a valid session: the sign-in page, then back to where the person was.

    A page asked for is asked again after signing in (as Flask-Login does). A form sent leads back to the page it
    was on, saying that nothing was sent; sent with htmx it gets an HX-Redirect (htmx would otherwise put the
    sign-in page inside the form's box)."""
    htmx = request.headers.get("HX-Request") == "true"
    if request.method in ("GET", "HEAD") and not htmx:
        flash(SIGN_IN_FIRST, "info")
        return redirect(login_url(login_manager.login_view, request.url))
    flash(SESSION_ENDED, "warning")
    target = url_for(login_manager.login_view, next=_page_of_form())
    if htmx:
        response = make_response("", 200)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target, code=303)


def register_drafts(app: Flask) -> None:
    login_manager.unauthorized_handler(sign_in_again)
    app.jinja_env.globals.update(draft_key=draft_key, drafts_done=drafts_done)
