"""`flask --app app check-docx FILE… [--render] [--json] [--kind KH]`: the format checker from the command line.

Findings are printed grouped by element, in Vietnamese; --json prints one JSON object per file (a list when there
are several). Exit 1 when any file has an error or cannot be read; warnings alone exit 0.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask, current_app

from docgen.pdf import PdfConversionFailed, PdfUnavailable
from docgen.rendered_checks import check_rendered
from domain.format_check import CheckReport, FormatCheckError, check_docx
from domain.format_check.package import MAX_BYTES
from models.choices import KINDS


def render_text(name: str, report: CheckReport) -> str:
    """The report as a person reads it: each element's findings under its heading, errors first."""
    head = f"{name}: {len(report.errors)} lỗi, {len(report.warnings)} cảnh báo"
    if report.kind:
        head += f" ({report.kind}"
        head += f", {report.pages} trang)" if report.pages else ")"
    lines = [head]
    for _key, label, findings in report.by_element():
        lines.append(f"  {label}")
        for f in findings:
            where = []
            if f.paragraph is not None:
                where.append(f"đoạn {f.paragraph}")
            if f.page is not None:
                where.append(f"trang {f.page}")
            lines.append(f"    [{f.severity_label.upper()}] {f.message}" + (f" ({', '.join(where)})" if where else ""))
            if f.text:
                lines.append(f"        “{f.text}”")
            if f.expected or f.found:
                lines.append(f"        cần: {f.expected or '—'}; thấy: {f.found or '—'}")
            if f.source:
                lines.append(f"        căn cứ: {f.source}")
    if not report.findings:
        lines.append("  Đúng thể thức: không có lỗi hay cảnh báo.")
    return "\n".join(lines)


def check_file(path: Path, kind: str | None, render: bool, cache_dir: Path) -> CheckReport:
    if path.stat().st_size > MAX_BYTES:
        raise FormatCheckError(f"Tệp quá lớn ({path.stat().st_size // (1024 * 1024)} MB): không kiểm tra.")
    data = path.read_bytes()
    report = check_docx(data, kind=kind)
    if render:
        report = check_rendered(data, report, cache_dir=cache_dir)
    return report


def register_commands(app: Flask) -> None:
    @app.cli.command("check-docx")
    @click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--render", is_flag=True, help="Kiểm tra cả bản in (LibreOffice): Quốc hiệu một dòng, số trang, "
                  "trang trống, chữ ký không bị tách.")
    @click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
    @click.option("--kind", type=click.Choice(sorted(KINDS)), help="Loại văn bản (mặc định: nhận ra từ tên loại).")
    def check_docx_command(files: tuple[Path, ...], render: bool, as_json: bool, kind: str | None):
        """Check .docx files against the format of Nghị định 30/2020; exit 1 on any error."""
        cache_dir = Path(current_app.config["CACHE_DIR"]) / "pdf"
        failed = False
        results = []
        for path in files:
            try:
                report = check_file(path, kind, render, cache_dir)
            except (FormatCheckError, PdfUnavailable, PdfConversionFailed) as exc:
                failed = True
                message = getattr(exc, "message", str(exc))
                results.append({"file": str(path), "error": message})
                if not as_json:
                    click.echo(f"{path}: không kiểm tra được: {message}", err=True)
                continue
            failed = failed or not report.ok
            results.append({"file": str(path), **report.to_dict()})
            if not as_json:
                click.echo(render_text(str(path), report))
        if as_json:
            click.echo(json.dumps(results[0] if len(results) == 1 else results, ensure_ascii=False, indent=2))
        if failed:
            raise SystemExit(1)
