"""Word files as offices send them: real samples read like their typed twins, a .doc goes through LibreOffice,
and what cannot be read (PDF, password, damage, far too long) is refused with what to do, saving nothing."""

from __future__ import annotations

import io
import os
import re
import subprocess
import threading
import time
import zipfile
from pathlib import Path
from random import Random

import docx as python_docx
import pytest
from importer_fixtures import plan_c_docx, zip_bytes
from limits_fixtures import long_plan_docx, many_paragraphs_docx
from test_import_views import counts, upload
from word_fixtures import numbered_plan_docx

from domain.plans.import_limits import DEFAULT_LIMITS, ImportLimits, PlanImportError
from domain.plans.importer import import_plan_json
from domain.plans.uploads import read_plan_file
from domain.plans.word import legacy

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
NUMBERED = "kh-kiem-tra-giam-sat-xa-2025-12-10.numbered.docx"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="the real samples are in ../shared/samples")
needs_libreoffice = pytest.mark.skipif(legacy.libreoffice_path() is None, reason="LibreOffice is not installed")
# A typed or automatic label at the start of a line: "IV.", "2.", "a)", "-", "+", "•".
_LABEL = re.compile(r"^(?:[IVX]+\.|\d+\.|[a-zđ]\)|[-+•]) ")


def refusal(filename: str, data: bytes, limits: ImportLimits = DEFAULT_LIMITS) -> str:
    with pytest.raises(PlanImportError) as refused:
        import_plan_json(filename, data, limits=limits)
    return refused.value.message


def tasks(plan: dict) -> list[tuple[str, str]]:
    return [(t["unit"], t["text"]) for t in plan["tasks"]]


# ------------------------------------------------------------------------------------------ the samples


@needs_samples
@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.docx")) if SAMPLES.is_dir() else [])
def test_each_sample_docx_gives_what_its_typed_text_gives(name):
    typed = SAMPLES / name.replace(".numbered", "").replace(".docx", ".txt")
    word, text = import_plan_json(name, (SAMPLES / name).read_bytes()), import_plan_json(typed.name, typed.read_bytes())
    assert tasks(word) == tasks(text)
    for key in ("title", "number", "symbol", "signature", "recipients"):
        assert word[key] == text[key], key


@needs_samples
def test_the_numbered_sample_reads_like_its_typed_twin_with_the_numbers_word_shows():
    typed = (SAMPLES / NUMBERED.replace(".numbered.docx", ".txt")).read_text(encoding="utf-8").splitlines()
    read = read_plan_file(NUMBERED, (SAMPLES / NUMBERED).read_bytes()).splitlines()
    assert [_LABEL.sub("", line) for line in read] == [_LABEL.sub("", line) for line in typed]
    assert [line.split()[0] for line in read if re.match(r"[IVX]+\. ", line)] == ["I.", "II.", "II.", "IV.", "V."]
    # The sample keeps each numbered item in a list of its own, started at 1: Word shows "1." where the typist
    # wrote "2." or "3.", and draws its Symbol-font bullets as "•" where the typist wrote "-" or "+".
    assert sum(line.startswith("• ") for line in read) == sum(line.startswith(("- ", "+ ")) for line in typed) - 1
    assert "1. Ban Công tác Mặt trận các" in read


@needs_samples
def test_a_header_table_inside_a_text_box_comes_first_once():
    name = "kh-kiem-tra-giam-sat-xa-2025-12-10.docx"
    read = [line for line in read_plan_file(name, (SAMPLES / name).read_bytes()).splitlines() if line]
    typed = (SAMPLES / name.replace(".docx", ".txt")).read_text(encoding="utf-8").splitlines()
    assert read[:8] == typed[:8] and read.count("ỦY BAN MTTQ VIỆT NAM") == 1


# --------------------------------------------------------------------------------------- long and large


def test_a_40_page_plan_numbered_by_word_reads_as_typed_and_imports_300_tasks_within_a_second():
    data = numbered_plan_docx(300)
    assert read_plan_file("so-tu-dong.docx", data) == read_plan_file("go-tay.docx", long_plan_docx(300))
    started = time.perf_counter()
    plan = import_plan_json("so-tu-dong.docx", data)
    assert time.perf_counter() - started < 1 and len(plan["tasks"]) == 300


def test_a_10_000_paragraph_word_file_is_refused_at_once_and_read_fast_where_allowed():
    data = many_paragraphs_docx(10_000)
    started = time.perf_counter()
    assert refusal("muoi-nghin.docx", data) == "Tệp có 10.001 đoạn; kế hoạch nhập được tối đa 5.000 đoạn."
    assert time.perf_counter() - started < 1
    started = time.perf_counter()
    text = read_plan_file("muoi-nghin.docx", data, limits=ImportLimits(max_paragraphs=20_000, max_chars=10**6))
    assert len(text.splitlines()) == 10_001 and time.perf_counter() - started < 2


def test_the_time_budget_stops_reading_a_word_file():
    message = refusal("so-tu-dong.docx", numbered_plan_docx(300), ImportLimits(seconds=0.001))
    assert message.startswith("Tệp quá phức tạp: đọc quá 0,001 giây")


# ------------------------------------------------------------------------------------------- bad input


def compound_file(*streams: str) -> bytes:
    """The start of an OLE compound file (the container of .doc, and of a password-protected .docx) whose
    directory names these streams: a 512-byte header, then 128-byte directory entries with UTF-16 names."""
    header = legacy.OLE_SIGNATURE + bytes(512 - len(legacy.OLE_SIGNATURE))
    entries = b"".join(("Root Entry" if i == 0 else name).encode("utf-16-le").ljust(128, b"\0")
                       for i, name in enumerate(("", *streams)))  # fmt: skip
    return header + entries + bytes(4096)


def _damaged_member() -> bytes:
    data = bytearray(plan_c_docx())
    start = data.index(b"word/document.xml") + 200  # inside the compressed body of the first such member
    data[start : start + 64] = bytes(64)
    return bytes(data)


def _newer_zip_version() -> bytes:
    """A .docx whose zip directory says a member needs a zip version newer than Python reads (zipfile raises
    NotImplementedError, not BadZipFile)."""
    data = bytearray(plan_c_docx())
    directory = data.index(b"PK\x01\x02")
    data[directory + 6] = 100  # "version needed to extract": 10.0
    return bytes(data)


@pytest.mark.parametrize(("filename", "data", "message"), [
    ("ke-hoach.docx", compound_file("\x06DataSpaces", "EncryptionInfo", "EncryptedPackage"),
     "Tệp Word này được đặt mật khẩu nên không đọc được. Hãy mở tệp bằng Word, bỏ mật khẩu"),
    ("bang-tinh.docx", compound_file("Workbook"), "tệp Office cũ hoặc được đặt mật khẩu"),
    ("ban-quet.pdf", b"%PDF-1.4\n1 0 obj <</Type /XObject /Subtype /Image /Filter /DCTDecode>>", "tệp PDF"),
    ("doi-duoi.docx", b"\n%PDF-1.7\n", "hãy tải tệp Word (.docx, .doc) hoặc văn bản (.txt)"),
    ("cat-do.docx", plan_c_docx()[:5000], "bị hỏng hoặc không phải tệp Word"),
    ("hong-ben-trong.docx", _damaged_member(), "bị hỏng hoặc không phải tệp Word"),
    ("khong-co-than.docx", zip_bytes({"word/styles.xml": b"<w:styles/>"}), "bị hỏng hoặc không phải tệp Word"),
    ("than-rong.docx", zip_bytes({"word/document.xml": b'<w:document xmlns:w="urn:x"/>'}), "bị hỏng"),
    ("zip-moi-qua.docx", _newer_zip_version(), "bị hỏng hoặc không phải tệp Word"),
], ids=["password", "other-office-file", "scanned-pdf", "pdf-renamed", "truncated-zip", "bad-crc", "no-document",
        "no-body", "newer-zip-version"])  # fmt: skip
def test_a_file_that_cannot_be_read_is_refused_saying_what_to_do(filename, data, message):
    assert message in refusal(filename, data)


def test_a_word_file_damaged_at_random_is_read_or_refused_never_an_error():
    stored = io.BytesIO()  # uncompressed too, so that damage reaches the XML itself
    with zipfile.ZipFile(io.BytesIO(plan_c_docx())) as source, zipfile.ZipFile(stored, "w") as copy:
        for member in source.infolist():
            copy.writestr(member.filename, source.read(member))
    random = Random(7)
    for base in [plan_c_docx(), stored.getvalue()] * 100:
        data = bytearray(base)
        for _ in range(random.randint(1, 8)):
            data[random.randrange(len(data))] = random.randrange(256)
        try:
            read_plan_file("hong.docx", bytes(data))
        except PlanImportError:
            pass


def test_entities_in_a_word_file_are_never_expanded():
    laughs = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "hahahahahahahahahaha">'
              + "".join(f'<!ENTITY {c} "&{p};&{p};&{p};&{p};&{p};&{p};&{p};&{p};&{p};&{p};">'
                        for p, c in zip("abcdefgh", "bcdefghi", strict=True))
              + ']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
              "<w:p><w:r><w:t>KẾ HOẠCH &i;</w:t></w:r></w:p></w:body></w:document>")  # fmt: skip
    started = time.perf_counter()
    try:
        text = read_plan_file("cuoi.docx", zip_bytes({"word/document.xml": laughs.encode()}))
    except PlanImportError:
        text = ""
    assert "haha" not in text and time.perf_counter() - started < 1


@pytest.mark.parametrize("name, data", [
    ("mat-khau.docx", compound_file("EncryptionInfo", "EncryptedPackage")), ("hong.docx", plan_c_docx()[:5000]),
    ("ban-quet.pdf", b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"),
])  # fmt: skip
def test_the_upload_page_refuses_a_bad_word_file_and_saves_nothing(client, login, app, people, name, data):
    before = counts(app)
    login("clerk")
    html = upload(client, name, data).get_data(as_text=True)
    assert 'role="alert"' in html and counts(app) == before


# ---------------------------------------------------------------------------------- .doc via LibreOffice


@pytest.fixture(scope="module")
def plan_c_doc(tmp_path_factory) -> tuple[bytes, bytes]:
    """Fixture (c) as a .docx Word would write it (a paragraph after the last table), and as Word 97 (.doc)."""
    document = python_docx.Document(io.BytesIO(plan_c_docx()))
    document.add_paragraph("")
    out = io.BytesIO()
    document.save(out)
    work = tmp_path_factory.mktemp("doc")
    (work / "ke-hoach.docx").write_bytes(out.getvalue())
    subprocess.run([legacy.libreoffice_path(), f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                    "--convert-to", "doc:MS Word 97", "--outdir", str(work), str(work / "ke-hoach.docx")],
                   capture_output=True, timeout=120, check=True)  # fmt: skip
    return out.getvalue(), (work / "ke-hoach.doc").read_bytes()


@pytest.mark.libreoffice
@needs_libreoffice
def test_a_word_97_file_is_converted_and_reads_like_the_docx_whatever_its_name_says(plan_c_doc):
    as_docx, as_doc = plan_c_doc
    assert as_doc.startswith(legacy.OLE_SIGNATURE)
    text = read_plan_file("ke-hoach.docx", as_docx)
    assert read_plan_file("ke-hoach.doc", as_doc) == text
    assert read_plan_file("nham-duoi.docx", as_doc) == text and read_plan_file("nham-duoi.doc", as_docx) == text
    assert len(import_plan_json("ke-hoach.doc", as_doc)["tasks"]) == 4


# A stand-in for soffice: logs its pid and profile, waits FAKE_SOFFICE_SLEEP seconds, then writes the .docx named
# by FAKE_SOFFICE_RESULT where LibreOffice would (or fails without one).
FAKE_SOFFICE = """#!/usr/bin/env python3
import os, shutil, sys, time
args = sys.argv[1:]
with open(os.environ["FAKE_SOFFICE_LOG"], "a") as log:
    log.write(f"{os.getpid()} {args[0]}\\n")
time.sleep(float(os.environ.get("FAKE_SOFFICE_SLEEP", "0")))
if not os.environ.get("FAKE_SOFFICE_RESULT"):
    sys.exit(1)
out = args[args.index("--outdir") + 1]
os.makedirs(out, exist_ok=True)
shutil.copy(os.environ["FAKE_SOFFICE_RESULT"], os.path.join(out, os.path.basename(args[-1])[:-4] + ".docx"))
"""
A_DOC = compound_file("WordDocument", "1Table")


@pytest.fixture
def fake_soffice(tmp_path, monkeypatch):
    """Set how the stand-in behaves: fake_soffice(sleep=..., result=bytes or None); returns its log file."""
    script, log = tmp_path / "soffice", tmp_path / "soffice.log"
    script.write_text(FAKE_SOFFICE)
    script.chmod(0o755)
    monkeypatch.setattr(legacy, "libreoffice_path", lambda: str(script))
    monkeypatch.setenv("FAKE_SOFFICE_LOG", str(log))

    def behave(sleep: float = 0, result: bytes | None = None) -> Path:
        monkeypatch.setenv("FAKE_SOFFICE_SLEEP", str(sleep))
        if result is not None:
            (tmp_path / "result.docx").write_bytes(result)
            monkeypatch.setenv("FAKE_SOFFICE_RESULT", str(tmp_path / "result.docx"))
        return log

    return behave


def test_without_libreoffice_a_doc_is_refused_with_what_to_do(monkeypatch):
    monkeypatch.setattr(legacy, "libreoffice_path", lambda: None)
    assert refusal("ke-hoach.doc", A_DOC) == legacy.NO_LIBREOFFICE
    assert "lưu thành… định dạng .docx" in legacy.NO_LIBREOFFICE.lower()


def test_a_conversion_that_fails_says_so(fake_soffice):
    fake_soffice(result=None)
    assert refusal("ke-hoach.doc", A_DOC) == legacy.FAILED


def test_a_conversion_that_hangs_is_killed_at_its_timeout(fake_soffice, monkeypatch):
    log = fake_soffice(sleep=60, result=plan_c_docx())
    # Long enough for the stand-in (a Python script) to start and say who it is on a loaded machine.
    monkeypatch.setattr(legacy, "CONVERSION_SECONDS", 3)
    started = time.perf_counter()
    assert refusal("ke-hoach.doc", A_DOC) == legacy.FAILED
    assert time.perf_counter() - started < 15
    pid = int(log.read_text().split()[0])
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_the_conversion_does_not_spend_the_import_time_budget(fake_soffice):
    fake_soffice(sleep=0.5, result=plan_c_docx())
    assert len(import_plan_json("ke-hoach.doc", A_DOC, limits=ImportLimits(seconds=0.4))["tasks"]) == 4


def test_conversions_at_the_same_time_each_have_a_profile_of_their_own(fake_soffice):
    log = fake_soffice(sleep=0.3, result=plan_c_docx())
    results = []
    threads = [threading.Thread(target=lambda: results.append(read_plan_file("ke-hoach.doc", A_DOC)))
               for _ in range(2)]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    profiles = [line.split()[1] for line in log.read_text().splitlines()]
    assert len(results) == 2 and len(set(profiles)) == 2
    assert all(p.startswith("-env:UserInstallation=file://") for p in profiles)
    assert not any(Path(p.split("file://", 1)[1]).parent.exists() for p in profiles)  # temporary, removed after


@pytest.mark.libreoffice
@needs_libreoffice
def test_rich_text_saved_under_the_doc_name_is_read_too():
    rtf = (r"{\rtf1\ansi\deff0{\fonttbl{\f0 Times New Roman;}}\f0 K\u7870? HO\u7840?CH\par"
           r" I. M\u7908?C \u272?\u205?CH\par - T\u7893? ch\u7913?c h\u7897?i ngh\u7883?.\par}")  # fmt: skip
    assert read_plan_file("ke-hoach.doc", rtf.encode()) == "KẾ HOẠCH\nI. MỤC ĐÍCH\n- Tổ chức hội nghị."
