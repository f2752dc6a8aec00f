"""The format checker on bad input (a clear Vietnamese refusal, never a crash), on the offices' real documents,
and from the command line."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.format_check import FormatCheckError, check_docx
from domain.format_check.package import MACROS, NO_TEXT, PDF

try:  # tests/ on sys.path (pytest's default) or the project root (python -m pytest)
    import format_check_fixtures as fx
except ImportError:  # pragma: no cover
    from tests import format_check_fixtures as fx

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "shared" / "samples").glob("*.docx"))


def _rezip(data: bytes, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            content = change(item.filename, src.read(item))
            if content is not None:
                dst.writestr(item.filename, content)
    return out.getvalue()


def _macro_enabled(name, content):
    if name == "[Content_Types].xml":
        return content.replace(b"document.main+xml", b"document.macroEnabled.main+xml")
    return content


def _no_text(name, content):
    if name == "word/document.xml":
        return content.replace(b"<w:t>", b"<w:t_>").replace(b"</w:t>", b"</w:t_>").replace(
            b'<w:t xml:space="preserve">', b"<w:t_>")
    return content


@pytest.mark.parametrize(("data", "says"), [
    (b"", "Tệp rỗng"),
    (b"%PDF-1.7 ...", PDF),
    (b"plain text, not a Word file", "không phải tệp Word"),
    (fx.correct("plan")[:3000], "không phải tệp Word"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "Word 97–2003"),
    (_rezip(fx.correct("plan"), _macro_enabled), MACROS),
    (_rezip(fx.correct("plan"), lambda n, c: c) + b"", None),
    (_rezip(fx.correct("plan"), lambda n, c: b"<not xml" if n == "word/document.xml" else c), "không phải tệp Word"),
    (b"PK\x03\x04" + b"x" * 11 * 1024 * 1024, "quá lớn"),
])  # fmt: skip
def test_bad_input_gets_a_clear_vietnamese_message(data, says):
    if says is None:  # the control: the same zip rewritten is still checked
        assert check_docx(data).ok
        return
    with pytest.raises(FormatCheckError) as refused:
        check_docx(data)
    assert says in refused.value.message


def test_a_docm_renamed_with_its_vba_project_is_refused():
    buffer = io.BytesIO(fx.correct("plan"))
    with zipfile.ZipFile(buffer, "a") as z:
        z.writestr("word/vbaProject.bin", b"\0" * 100)
    data = buffer.getvalue()
    with pytest.raises(FormatCheckError, match="macro"):
        check_docx(data)


def test_a_docx_with_no_text_is_refused():
    with pytest.raises(FormatCheckError) as refused:
        check_docx(_rezip(fx.correct("plan"), _no_text))
    assert refused.value.message == NO_TEXT


@pytest.mark.skipif(not SAMPLES, reason="../shared/samples is absent")
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_the_offices_documents_are_recognized_and_their_departures_found(path):
    report = check_docx(path.read_bytes())
    for element in ("quoc_hieu", "tieu_ngu", "issuer", "number", "place_date", "title", "body", "noi_nhan"):
        assert element in report.elements, element
    rules = {f.rule for f in report.findings}
    # Made by LibreOffice from Word's web-page export: its margins, not the office's (see the samples' README).
    assert "page.margins" in rules
    assert report.kind in ("Kế hoạch", "Hướng dẫn")


def test_the_command_line_groups_findings_and_exits_1_on_an_error(app, tmp_path):
    good, bad = tmp_path / "tot.docx", tmp_path / "loi.docx"
    good.write_bytes(fx.correct("plan"))
    bad.write_bytes(fx.broken("plan", fx.text("^Số:", "Số: 5/KH-MTTQ-BTT")))
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["check-docx", str(good)])
    assert ok.exit_code == 0 and "0 lỗi" in ok.output and "Đúng thể thức" in ok.output
    wrong = runner.invoke(args=["check-docx", str(good), str(bad)])
    assert wrong.exit_code == 1
    assert "Số, ký hiệu" in wrong.output and "[LỖI]" in wrong.output and "cần: 05; thấy: 5" in wrong.output
    as_json = runner.invoke(args=["check-docx", "--json", str(bad)])
    data = json.loads(as_json.output)
    assert as_json.exit_code == 1 and data["errors"] == 1 and data["findings"][0]["rule"] == "number.padding"
    junk = tmp_path / "rac.docx"
    junk.write_bytes(b"not a docx")
    refused = runner.invoke(args=["check-docx", str(junk)])
    assert refused.exit_code == 1 and "không kiểm tra được" in refused.output


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cuts=st.lists(st.tuples(st.integers(min_value=0), st.binary(min_size=1, max_size=8)), min_size=1,
                     max_size=4))
def test_random_damage_gives_a_report_or_a_refusal_never_a_crash(cuts):
    data = bytearray(fx.correct("cv"))
    for at, junk in cuts:
        at %= len(data)
        data[at : at + len(junk)] = junk
    try:
        report = check_docx(bytes(data))
    except FormatCheckError as refused:
        assert refused.message
    else:
        assert isinstance(report.findings, list)
