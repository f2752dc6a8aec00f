"""Feature blueprints, plus the few helpers every view uses: role checks and htmx-aware rendering."""

from __future__ import annotations

from functools import wraps

from flask import Flask, abort, g, render_template, request, session
from flask_login import current_user
from jinja2_fragments.flask import render_block

from blueprints.params import register_params

# Endpoints reachable without signing in; every other request must come from a signed-in user.
PUBLIC_ENDPOINTS = {"auth.login", "static", "healthz"}


def register_blueprints(app: Flask) -> None:
    from blueprints.admin import bp as admin_bp
    from blueprints.archive import bp as archive_bp
    from blueprints.auth import bp as auth_bp
    from blueprints.documents import bp as documents_bp
    from blueprints.format_check import bp as format_check_bp
    from blueprints.jobs import bp as jobs_bp
    from blueprints.main import bp as main_bp
    from blueprints.plans import bp as plans_bp
    from blueprints.register import bp as register_bp
    from blueprints.reports import bp as reports_bp
    from blueprints.workflow import bp as workflow_bp

    register_params(app)  # the URL converter must be in place before any route is added
    for bp in (auth_bp, main_bp, documents_bp, admin_bp, workflow_bp, register_bp, archive_bp, plans_bp, reports_bp,
               jobs_bp, format_check_bp):
        app.register_blueprint(bp)

    @app.before_request
    def require_login():
        if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
            return None
        if not current_user.is_authenticated:
            return app.login_manager.unauthorized()
        return None

    @app.before_request
    def count_waiting_flashes():
        g.flashes_waiting = len(session.get("_flashes", ()))

    @app.after_request
    def flashes_with_their_fragment(response):
        """A message flashed by an htmx action that answers with a fragment goes out with that fragment (into the
        page's message area), not onto whatever full page is loaded next, where it would no longer be true.
        Messages flashed before this request (for a page an earlier answer is loading) are left alone."""
        waiting = session.get("_flashes") or []
        before = getattr(g, "flashes_waiting", 0)
        if (len(waiting) > before and is_partial_request() and 200 <= response.status_code < 300
                and response.mimetype == "text/html" and not response.direct_passthrough
                and not {"HX-Redirect", "HX-Location", "HX-Refresh"} & set(response.headers.keys())):
            session["_flashes"] = waiting[:before]
            response.set_data(response.get_data() + render_template("_flashes.html", messages=waiting[before:],
                                                                    oob=True).encode())
        return response

    from blueprints.context import register_context
    from blueprints.drafts import register_drafts

    register_context(app)
    register_drafts(app)


def roles_required(*roles: str):
    """Allow the view only to users holding one of the roles; everyone else gets 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated or not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_roles = roles  # read by the route x role tests
        return wrapped

    return decorator


def is_partial_request() -> bool:
    """A targeted htmx request (not a boosted navigation) wants only a fragment of the page."""
    return bool(request.htmx) and not request.htmx.boosted


def render(template: str, block: str | None = None, **context):
    """Render the whole page, or only `block` of it for a targeted htmx request."""
    if block and is_partial_request():
        return render_block(template, block, **context)
    return render_template(template, **context)
