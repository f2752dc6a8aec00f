"""What tests/test_odd_input.py needs to know about the routes, found rather than listed: the form and query
names the code reads (with `ast`), which routes read a query string, who may use each route, and fresh real
objects for each route's path arguments."""

from __future__ import annotations

import ast
import inspect
import itertools
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import plans_fixtures
import register_fixtures
import reports_fixtures
from conftest import make_unit, make_user
from docgen_fixtures import demo_plan
from flask import current_app
from workflow_fixtures import make_document, user

from docgen import build_docx
from domain.documents.review import add_comment
from domain.documents.workflow import BY_ACTION
from domain.format_review.held import hold
from domain.mail.letters import unsubscribe_token
from domain.register import signed_copy as sc
from extensions import db
from models import Document, Notification
from models.choices import (
    ADMIN,
    APPROVER,
    CERT_ROOT,
    CLERK,
    DONE,
    JOB_ONBOARDING,
    JOB_PDF_PREVIEW,
    RECORDS,
    UNIT_REPORTER,
)
from models.jobs import Job
from models.plans import UnitAlias
from models.trust import TrustedCertificate

BLUEPRINTS = Path(__file__).resolve().parent.parent / "blueprints"
ROLE_USERS = {ADMIN: "admin", CLERK: "clerk", APPROVER: "approver", RECORDS: "records", UNIT_REPORTER: "reporter"}
READERS = {"form", "args", "values"}  # request.form, request.args, request.values (or a local named form/args)
QUERY_READERS = {"args", "values"}
WORD = re.compile(r"^[a-z0-9][a-z0-9_-]{0,19}$")


@dataclass
class Names:
    """What one blueprint's code reads from a request: plain names, and names made of parts and numbers."""

    plain: set[str] = field(default_factory=set)  # "approver_id", "page"
    patterns: set[tuple[str | None, ...]] = field(default_factory=set)  # ("task-", None, "-unit_id"): None = a number
    words: set[str] = field(default_factory=set)  # short literals of the code ("submit", "detail", "up"): values


def _is_reader(node: ast.AST | None, attrs: set[str] = READERS) -> bool:
    """request.form / .args / .values (those named in `attrs`), or a local of that name (form = request.form)."""
    if isinstance(node, ast.Attribute):
        return isinstance(node.value, ast.Name) and node.value.id == "request" and node.attr in attrs
    return isinstance(node, ast.Name) and node.id in attrs


def _pattern(node: ast.AST) -> tuple[str | None, ...] | None:
    """A literal name, or an f-string's parts with None for each hole."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return (node.value,)
    if isinstance(node, ast.JoinedStr):
        return tuple(p.value if isinstance(p, ast.Constant) else None for p in node.values)
    return None


def _modules() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(BLUEPRINTS.rglob("*.py"))}


@cache
def _name_readers() -> dict[str, int]:
    """Functions that read a request value named by one of their parameters (query_int, archive's _arg):
    function name -> that parameter's position."""
    found = {}
    for tree in _modules().values():
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef):
                continue
            params = [a.arg for a in fn.args.args]
            for call in ast.walk(fn):
                if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "get"
                        and _is_reader(call.func.value) and call.args and isinstance(call.args[0], ast.Name)
                        and call.args[0].id in params):
                    found[fn.name] = params.index(call.args[0].id)
    return found


def _called_name(call: ast.Call) -> str | None:
    return call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", None)


def _names_in(tree: ast.Module, names: Names) -> None:
    readers = _name_readers()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("get", "getlist")
                and _is_reader(node.func.value) and node.args and (found := _pattern(node.args[0]))):
            if len(found) == 1:
                names.plain.add(found[0])
            else:
                names.patterns.add(found)
        position = readers.get(_called_name(node)) if isinstance(node, ast.Call) else None
        if position is not None and len(node.args) > position:
            if (found := _pattern(node.args[position])) and len(found) == 1:  # query_int("page")
                names.plain.add(found[0])
        if (isinstance(node, ast.For) and isinstance(node.iter, ast.Call)
                and _is_reader(getattr(node.iter.func, "value", None))):
            # Keys with a number: `for key, raw in form.items(): if key.startswith("value-")`, or
            # `kind, _, number = key.partition("-"); if kind == "figure"`.
            for inner in ast.walk(node):
                if (isinstance(inner, ast.Call) and _called_name(inner) == "startswith"
                        and (found := _pattern(inner.args[0])) and len(found) == 1):
                    names.patterns.add((found[0], None))
                if isinstance(inner, ast.Compare) and (found := _pattern(inner.comparators[0])) and len(found) == 1:
                    names.patterns.add((found[0] + "-", None))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and WORD.match(node.value):
            names.words.add(node.value)
    forms = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)
             and any(getattr(base, "id", "") in ("FlaskForm", "Form") for base in n.bases)}
    for form in forms.values():  # WTForms forms: every field, and a list of sub-forms' rows (indicators-0-name)
        for name, call in _fields(form):
            if call.args and isinstance(call.args[0], ast.Call) and _called_name(call.args[0]) == "FormField":
                for sub_field, _call in _fields(forms[call.args[0].args[0].id]):
                    names.patterns.add((f"{name}-", None, f"-{sub_field}"))
            else:
                names.plain.add(name)


def _fields(form: ast.ClassDef) -> list[tuple[str, ast.Call]]:
    return [(n.targets[0].id, n.value) for n in form.body if isinstance(n, ast.Assign) and isinstance(n.value, ast.Call)]


@cache
def names_by_package() -> dict[str, Names]:
    """Names read by each blueprint package (blueprints/plans/*.py -> "plans"); "" holds every name."""
    out: dict[str, Names] = {"": Names()}
    for path, tree in _modules().items():
        package = path.relative_to(BLUEPRINTS).parts[0] if path.parent != BLUEPRINTS else ""
        _names_in(tree, out[""])
        if package:
            _names_in(tree, out.setdefault(package, Names()))
    return out


def reads_query(view) -> bool:
    """Whether a view, or a function of its module it calls (at any depth), reads the query string."""
    view = inspect.unwrap(view)
    tree = ast.parse(Path(inspect.getsourcefile(view)).read_text(encoding="utf-8"))
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    seen, todo = set(), [view.__name__]
    while todo:
        name = todo.pop()
        if name in seen or name not in functions:
            continue
        seen.add(name)
        for node in ast.walk(functions[name]):
            if _is_reader(node, QUERY_READERS) or (isinstance(node, ast.Call) and _called_name(node) in _name_readers()):
                return True
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                todo.append(node.func.id)
    return False


def users_for(app, endpoint: str) -> list[str | None]:
    """Who may use a route: its roles_required (on the view or its blueprint's before_request), else every
    role; a public route (sign-in) is used signed out (None)."""
    from blueprints import PUBLIC_ENDPOINTS

    if endpoint in PUBLIC_ENDPOINTS:
        return [None]
    required = getattr(app.view_functions[endpoint], "required_roles", None)
    for check in app.before_request_funcs.get(endpoint.rpartition(".")[0], []):
        required = getattr(check, "required_roles", required)
    return [name for role, name in ROLE_USERS.items() if required is None or role in required]


# ---- fresh objects for a route's path arguments -----------------------------------------------------------------

_serial = itertools.count(1)


def _plan(people: dict, built: dict) -> dict:
    """A followed-up plan sent to the districts, its districts' task and the district's assignment."""
    if "plan" not in built:
        plan, task, _monthly = reports_fixtures.report_plan(people)
        built.update(plan=plan, task=task, assignment=plans_fixtures.assignment_of(task, people["district"]))
    return built


def _signed_document(people: dict) -> int:
    """An issued document with its register entry and a signed copy."""
    document_id = register_fixtures.registered_document(people)
    document = db.session.get(Document, document_id)
    sc.file_signed_copy(document, [sc.Upload(register_fixtures.pdf_bytes("Ban co chu ky"), "ban-ky.pdf")],
                        user("records"), datetime.now(UTC), expected_status=document.status, max_bytes=1 << 20)
    db.session.commit()
    return document_id


def _document_id(endpoint: str, people: dict, built: dict) -> int:
    """A document the route can act on: a plan for plans and reports, one in a status the workflow action
    starts from, an approved one to issue, a registered one with a signed copy for the register and archive."""
    blueprint, _, view = endpoint.partition(".")
    if blueprint in ("plans", "reports"):
        return _plan(people, built)["plan"].id
    if blueprint == "workflow":
        action = BY_ACTION.get(view)
        status = next((s for s in ("draft", "submitted", "approved", "issued") if action and s in action.from_statuses),
                      "submitted")  # review, comments, panel
        return make_document(status=status).id
    if endpoint.startswith("register.issue"):
        return register_fixtures.approved_document(people)
    if blueprint in ("register", "archive"):
        return _signed_document(people)
    return {"documents": lambda: make_document().id,
            "format_check": lambda: make_document().id}[blueprint]()  # a new blueprint: say how to make its ids


def path_values(endpoint: str, arguments: set[str], people: dict) -> dict:
    """Real objects for the route's path arguments, made anew for each route (routes delete and change them)."""
    built: dict = {}
    values = {}
    for name in sorted(arguments):
        n = next(_serial)
        if name == "document_id" and endpoint == "workflow.resolve_comment":
            document = make_document(status="submitted")
            values.update(document_id=document.id,
                          comment_id=add_comment(document, user("approver"), "Bổ sung thời hạn.").id)
        elif name == "comment_id":
            continue  # made with its document
        elif name == "document_id":
            values[name] = _document_id(endpoint, people, built)
        elif name == "task_id":
            values[name] = _plan(people, built)["task"].id
        elif name == "assignment_id":
            values[name] = _plan(people, built)["assignment"].id
        elif name == "round_id":  # the district's report sent, except where the district writes it
            rnd = reports_fixtures.open_round(_plan(people, built)["plan"], people)
            if endpoint != "reports.my":
                reports_fixtures.submit(rnd, people["district"], "reporter", {"Số buổi tuyên truyền": "3"}, "Xong.")
            values[name] = rnd.id
        elif name == "unit_id" and endpoint.startswith("admin."):
            values[name] = make_unit(f"Đơn vị thử {n}").id
        elif name == "unit_id" and endpoint == "plans.join_running_plans":
            values[name] = plans_fixtures.add_districts(people["group"], 1, prefix=f"Xã mới {n}")[0].id
        elif name == "unit_id":
            values[name] = people["district"]
        elif name == "user_id":
            values[name] = make_user(f"thu{n}", {CLERK}).id
        elif name == "entry_id":
            values[name] = register_fixtures.reserved_entry(people)
        elif name == "notification_id":
            note = Notification(user_id=user("reporter").id, message="Nhắc việc", link="/my-tasks")
            db.session.add(note)
            db.session.flush()
            values[name] = note.id
        elif name == "certificate_id":  # a certificate of the signatures' trust list (admin.trust_remove)
            row = TrustedCertificate(kind=CERT_ROOT, subject=f"Root {n}", issuer=f"Root {n}", serial=str(n),
                                     sha256=f"{n:064d}", der=b"0", not_before=datetime(2026, 1, 1),
                                     not_after=datetime(2036, 1, 1))
            db.session.add(row)
            db.session.flush()
            values[name] = row.id
        elif name == "token" and endpoint == "auth.unsubscribe":  # the signed link of a letter
            values[name] = unsubscribe_token(current_app.secret_key, user("reporter"))
        elif name == "token" and endpoint.startswith("format_check."):  # a .docx the clerk holds for checking
            values[name] = hold(Path(current_app.config["CACHE_DIR"]) / "format_check", user("clerk").id,
                                "ke-hoach.docx", build_docx(demo_plan())).token
        elif name == "alias_id":  # a name remembered from a plan import (admin.alias_delete)
            alias = UnitAlias(key=f"ten nho {n}", text=f"Tên nhớ {n}", unit_id=people["district"])
            db.session.add(alias)
            db.session.flush()
            values[name] = alias.id
        elif name == "job_id" and endpoint.startswith("admin.onboarding"):  # an onboarding done, slips unprinted
            job = Job(kind=JOB_ONBOARDING, subject="units", state=DONE, created_by_id=user("admin").id,
                      params_json='{"new_units": 1, "usernames": ["xa-a"], "filename": "don-vi.xlsx"}',
                      result_json='{"units": 1, "accounts": 1, "sealed": "AAAA"}')
            db.session.add(job)
            db.session.flush()
            values[name] = job.id
        elif name == "job_id":  # a background job the clerk asked for
            job = Job(kind=JOB_PDF_PREVIEW, subject="", created_by_id=user("clerk").id)
            db.session.add(job)
            db.session.flush()
            values[name] = job.id
        elif name == "number":  # a page picture's number
            values[name] = 1
        else:
            values[name] = {"number": 1, "direction": "up"}[name]  # a new argument: say how to fill it
    db.session.commit()
    return values
