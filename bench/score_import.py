"""How well the importer reads real plans: tasks, assignees, deadlines, recipients and signature, per plan.

    .venv/bin/python bench/score_import.py [--json] [--only NAME]

Each plan is read the way the import page and `flask --app app import-plan` read it (read_plan_file, then
parse_plan) and compared with the answer written by hand, by the convention of ../shared/samples/README.md, in
tests/fixtures/import_expected/<plan>.json:
- the seed (../shared/seed, or the copy in tests/fixtures/plans when ../shared is absent);
- the five samples of ../shared/samples, .txt and .docx (skipped with a note when the folder is missing);
- the plans of our own in tests/fixtures/import_expected/*.txt, and, for those without a table exported one
  cell a line, the same plan as a Word file made here (a "| … |" table becomes a Word table; a row whose lead
  cell is empty shares the block above through vertically merged cells).

A found task matches an expected one when its text holds one of the expected text's fragments (compared without
diacritics, case or punctuation); an assignee is right when it is the expected one written the same way.
Figures per plan: tasks expected / found / matched, tasks with the right assignee (% of those expected),
deadlines read (expected dates found on the matched task), recipients, signature, and totals.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

import docx  # noqa: E402

from domain.plans.importer import PlanImportError, parse_plan, read_plan_file  # noqa: E402
from domain.text.vietnamese import fold  # noqa: E402

SHARED = ROOT.parent / "shared"
SAMPLES = SHARED / "samples"
SEED = SHARED / "seed" / "ke-hoach-chi-thi-07.txt"
SEED_COPY = ROOT / "tests" / "fixtures" / "plans" / "ke-hoach-chi-thi-07.txt"
EXPECTED = ROOT / "tests" / "fixtures" / "import_expected"
TARGET = 0.95  # of the expected tasks, with the right assignee


def norm(text: str | None) -> str:
    """Comparison key: no diacritics, lower case, words of letters and digits only."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text or "")).split())


@dataclass
class Case:
    label: str  # "kh-….txt", "kh-….docx", "kh-fixture-….docx (made here)"
    filename: str
    data: bytes
    expected: dict


@dataclass
class Score:
    label: str
    expected: int = 0
    found: int = 0
    matched: int = 0
    right_unit: int = 0
    deadlines_expected: int = 0
    deadlines_read: int = 0
    sources_right: int = 0
    leads_expected: int = 0
    leads_right: int = 0
    coordinating_expected: int = 0
    coordinating_right: int = 0
    leaks: int = 0  # expected "no_text" found inside a task's text
    recipients: tuple[int, int] = (0, 0)  # (expected, found)
    signer: tuple[str, str] = ("", "")
    warning_ok: bool = True
    refused: str = ""
    misses: list[str] = field(default_factory=list)

    @property
    def unit_rate(self) -> float:
        return self.right_unit / self.expected if self.expected else (1.0 if self.found == 0 else 0.0)

    @property
    def passed(self) -> bool:
        return self.unit_rate >= TARGET and self.found == self.expected

    def to_dict(self) -> dict:
        return {"label": self.label, "expected": self.expected, "found": self.found, "matched": self.matched,
                "right_unit": self.right_unit, "unit_rate": round(self.unit_rate, 3),
                "deadlines": [self.deadlines_read, self.deadlines_expected], "sources_right": self.sources_right,
                "leads": [self.leads_right, self.leads_expected],
                "coordinating": [self.coordinating_right, self.coordinating_expected], "leaks": self.leaks,
                "recipients": list(self.recipients), "signer": list(self.signer), "warning_ok": self.warning_ok,
                "refused": self.refused, "passed": self.passed}  # fmt: skip


def _fragments(task: dict) -> list[str]:
    text = task["text"]
    return [norm(t) for t in (text if isinstance(text, list) else [text])]


def _match(expected: list[dict], found: list[dict]) -> list[tuple[dict, dict | None]]:
    """Each expected task with the found task it matches (None when none does), in order, each found task once."""
    free = list(range(len(found)))
    pairs = []
    for task in expected:
        fragments, unit = _fragments(task), norm(task["unit"])
        candidates = [i for i in free if any(f in norm(found[i].get("text")) for f in fragments)]
        best = next((i for i in candidates if norm(found[i].get("unit")) == unit), None)
        best = best if best is not None else (candidates[0] if candidates else None)
        if best is not None:
            free.remove(best)
        pairs.append((task, found[best] if best is not None else None))
    return pairs


def score(label: str, plan: dict | None, expected: dict, refused: str = "") -> Score:
    s = Score(label, expected=len(expected["tasks"]), refused=refused)
    plan = plan or {"tasks": [], "recipients": [], "signature": {}, "warnings": [refused]}
    found = plan["tasks"]
    s.found = len(found)
    for task, hit in _match(expected["tasks"], found):
        if task.get("deadline"):
            s.deadlines_expected += 1
        if task.get("lead"):
            s.leads_expected += 1
        if "coordinating" in task:
            s.coordinating_expected += 1
        if hit is None:
            s.misses.append(f"không thấy: {task['unit']} — {_fragments(task)[0][:60]}")
            continue
        s.matched += 1
        if norm(hit.get("unit")) == norm(task["unit"]):
            s.right_unit += 1
        else:
            s.misses.append(f"sai đơn vị: “{hit.get('unit')}” thay vì “{task['unit']}”")
        if task.get("deadline") and hit.get("deadline") == task["deadline"]:
            s.deadlines_read += 1
        elif task.get("deadline"):
            s.misses.append(
                f"sai hạn: {hit.get('deadline')} ({hit.get('deadline_text')}) thay vì {task['deadline']}"
            )
        if hit.get("source") == task.get("source"):
            s.sources_right += 1
        if task.get("lead") and norm(hit.get("lead") if isinstance(hit.get("lead"), str) else "") == norm(
            task["lead"]
        ):
            s.leads_right += 1
        if "coordinating" in task and sorted(map(norm, hit.get("coordinating") or [])) == sorted(
            map(norm, task["coordinating"])
        ):
            s.coordinating_right += 1
        if task.get("no_text") and task["no_text"] in hit.get("text", ""):
            s.leaks += 1
    s.recipients = (expected["recipients"], len(plan.get("recipients") or []))
    s.signer = (expected["signer"], (plan.get("signature") or {}).get("name", ""))
    if expected.get("warning"):
        s.warning_ok = any(expected["warning"] in w for w in plan.get("warnings") or [])
    return s


def run(case: Case) -> Score:
    try:
        plan = parse_plan(read_plan_file(case.filename, case.data)).to_dict()
    except PlanImportError as refused:
        return score(case.label, None, case.expected, refused.message)
    return score(case.label, plan, case.expected)


# ------------------------------------------------------------------------------------------------- the plans


def fixture_docx(text: str) -> bytes:
    """A plan of our own as Word would hold it: one paragraph a line; "| … |" rows in a Word table, where a row
    whose lead column is empty is merged, from that column on, with the row above (one block for both)."""
    document = docx.Document()
    lines = text.rstrip("\n").split("\n")
    i = 0
    while i < len(lines):
        if not lines[i].startswith("|"):
            document.add_paragraph(lines[i])
            i += 1
            continue
        rows = []
        while i < len(lines) and lines[i].startswith("|"):
            rows.append([c.strip() for c in lines[i].strip().strip("|").split("|")])
            i += 1
        width = max(len(r) for r in rows)
        table = document.add_table(rows=len(rows), cols=width)
        lead = next((n for n, title in enumerate(rows[0]) if "chu tri" in norm(title)), None)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
        for r in range(1, len(rows)):
            if lead is not None and rows[r][1:2] != [""] and not rows[r][lead]:
                for c in range(lead, width):
                    table.cell(r - 1, c).merge(table.cell(r, c))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _expected(name: str) -> dict | None:
    path = EXPECTED / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def cases(notes: list[str]) -> list[Case]:
    found: list[Case] = []
    seed = SEED if SEED.exists() else SEED_COPY
    found.append(Case(f"{seed.stem}.txt", seed.name, seed.read_bytes(), _expected(seed.stem)))
    if SAMPLES.is_dir():
        for path in sorted(SAMPLES.iterdir()):
            if path.suffix not in (".txt", ".docx") or path.name == "README.md":
                continue
            expected = _expected(path.name.split(".")[0])
            if expected is None:
                notes.append(f"{path.name}: chưa có đáp án (tests/fixtures/import_expected), bỏ qua.")
                continue
            found.append(Case(path.name, path.name, path.read_bytes(), expected))
    else:
        notes.append(f"Không có {SAMPLES}: bỏ qua năm văn bản mẫu.")
    for path in sorted(EXPECTED.glob("*.txt")):
        expected = _expected(path.stem)
        text = path.read_text(encoding="utf-8")
        found.append(Case(path.name, path.name, text.encode("utf-8"), expected))
        if not _one_cell_a_line(text):
            found.append(
                Case(f"{path.stem}.docx (tạo từ .txt)", f"{path.stem}.docx", fixture_docx(text), expected)
            )
    return found


def _one_cell_a_line(text: str) -> bool:
    """A table exported one cell a line has no Word form here (we would have to guess its columns)."""
    return bool(re.search(r"^(TT|STT)\s*$", text, re.MULTILINE))


# ------------------------------------------------------------------------------------------------- the report


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:5.1f}%" if d else "    —"


def report(scores: list[Score], notes: list[str], verbose: bool = True) -> str:
    head = (f"{'văn bản':44} {'NV cần':>6} {'thấy':>5} {'khớp':>5} {'đúng ĐV':>8} {'hạn':>7} {'chủ trì':>7} "
            f"{'nơi nhận':>9} {'người ký':>9}  kết quả")  # fmt: skip
    out = [head, "-" * len(head)]
    totals = Score("TỔNG")
    for s in scores:
        for name in ("expected", "found", "matched", "right_unit", "deadlines_expected", "deadlines_read",
                     "leads_expected", "leads_right", "leaks"):  # fmt: skip
            setattr(totals, name, getattr(totals, name) + getattr(s, name))
        recipients = "đúng" if s.recipients[0] == s.recipients[1] else f"{s.recipients[1]}/{s.recipients[0]}"
        signer = "đúng" if norm(s.signer[0]) == norm(s.signer[1]) else "sai"
        if s.refused:  # a refused file is read no further: nothing to compare
            recipients = signer = "—"
        verdict = "ĐẠT" if s.passed else "chưa đạt"
        if s.refused:
            verdict += f" (từ chối: {s.refused[:40]})"
        if not s.warning_ok:
            verdict += " (thiếu cảnh báo)"
        out.append(f"{s.label[:44]:44} {s.expected:6} {s.found:5} {s.matched:5} {_pct(s.right_unit, s.expected):>8} "
                   f"{s.deadlines_read:>3}/{s.deadlines_expected:<3} {s.leads_right:>3}/{s.leads_expected:<3} "
                   f"{recipients:>9} {signer:>9}  {verdict}")  # fmt: skip
        if verbose:
            out += [f"    · {m}" for m in s.misses[:12]]
    out.append("-" * len(head))
    passed = sum(s.passed for s in scores)
    out.append(f"{'TỔNG':44} {totals.expected:6} {totals.found:5} {totals.matched:5} "
               f"{_pct(totals.right_unit, totals.expected):>8} {totals.deadlines_read:>3}/{totals.deadlines_expected:<3} "
               f"{totals.leads_right:>3}/{totals.leads_expected:<3} {'':9} {'':9}  {passed}/{len(scores)} đạt")  # fmt: skip
    out += [f"Ghi chú: {n}" for n in notes]
    return "\n".join(out)


def score_all() -> tuple[list[Score], list[str]]:
    notes: list[str] = []
    return [run(case) for case in cases(notes)], notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="figures as JSON")
    parser.add_argument("--only", default="", help="only plans whose file name holds this")
    parser.add_argument("--quiet", action="store_true", help="no list of misses")
    args = parser.parse_args()
    scores, notes = score_all()
    scores = [s for s in scores if args.only in s.label]
    if args.json:
        print(
            json.dumps({"plans": [s.to_dict() for s in scores], "notes": notes}, ensure_ascii=False, indent=2)
        )
    else:
        print(report(scores, notes, verbose=not args.quiet))


if __name__ == "__main__":
    main()
