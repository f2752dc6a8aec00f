"""The Kiểm tra thể thức page's rules without the page: a held upload (its owner, its expiry, how many), and a
finding's place on the printed page found from the words' boxes."""

from __future__ import annotations

import os
from dataclasses import dataclass

from domain.format_review.held import HOLD_SECONDS, MAX_HELD, held, hold, pages_dir, sweep
from domain.format_review.markers import locate_paragraphs, place_findings

NOW = 1_800_000_000.0


def test_a_held_file_is_found_by_its_owner_only_and_until_it_expires(tmp_path):
    kept = hold(tmp_path, 7, "van-ban.docx", b"PK bytes", now=NOW)
    assert held(tmp_path, 7, kept.token, now=NOW + 60).data == b"PK bytes"
    assert held(tmp_path, 8, kept.token, now=NOW + 60) is None  # another person's token finds nothing
    assert held(tmp_path, 7, "../7/" + kept.token, now=NOW) is None
    assert held(tmp_path, 7, kept.token, now=NOW + HOLD_SECONDS) is None
    assert not list(tmp_path.rglob("*.docx"))  # an expired file is removed when it is looked for


def test_each_person_keeps_at_most_a_few_files_the_oldest_go_first(tmp_path):
    tokens = [hold(tmp_path, 7, f"{n}.docx", b"x%d" % n, now=NOW + n).token for n in range(MAX_HELD + 2)]
    assert [held(tmp_path, 7, t, now=NOW + 10) is not None for t in tokens] == [False, False] + [
        True
    ] * MAX_HELD
    assert hold(tmp_path, 8, "b.docx", b"y", now=NOW + 11) and held(tmp_path, 7, tokens[-1], now=NOW + 12)


def test_the_sweep_removes_expired_files_of_everyone_and_old_page_pictures(tmp_path):
    old = hold(tmp_path, 7, "a.docx", b"a", now=NOW)
    pictures = pages_dir(tmp_path, old.sha256)
    pictures.mkdir(parents=True)
    (pictures / "page-1.png").write_bytes(b"png")
    os.utime(pictures, (NOW, NOW))  # drawn when the file was held
    fresh = hold(tmp_path, 8, "b.docx", b"b", now=NOW + HOLD_SECONDS - 1)
    assert sweep(tmp_path, now=NOW + HOLD_SECONDS) == 2
    assert not pictures.exists() and held(tmp_path, 8, fresh.token, now=NOW + HOLD_SECONDS) is not None


def page(number, *lines, width=600.0, height=800.0):
    """A page whose lines (y, [(x, word), …]) give each word a 10-point box."""
    words = [[x, y, x + 10 * len(w), y + 10, w] for y, row in lines for x, w in row]
    return {"number": number, "width": width, "height": height, "words": words}


def test_a_paragraph_is_found_by_its_first_words_whatever_the_case_and_accents():
    pages = [page(1, (100, [(50, "1."), (80, "TUYÊN"), (150, "TRUYỀN"), (230, "sâu")]))]
    box = locate_paragraphs(["Tuyên truyền sâu rộng"], pages, {0})[0]
    assert (box.page, round(box.left * 600), round(box.top * 800)) == (1, 80, 100)


def test_the_same_words_twice_mark_the_paragraph_in_its_order():
    pages = [
        page(1, (100, [(50, "-"), (60, "Tổ"), (80, "chức")])),
        page(2, (300, [(50, "-"), (60, "Tổ"), (80, "chức")])),
    ]
    boxes = locate_paragraphs(["- Tổ chức hội nghị", "- Tổ chức tuyên truyền"], pages, {0, 1})
    assert (boxes[0].page, boxes[1].page) == (1, 2)


def test_a_table_read_column_by_column_is_read_across_its_lines_too():
    # poppler reads the header's left cell, then the right one: "Số:" and its number are apart in reading order.
    pages = [page(1, (100, [(50, "Số:")]), (60, [(300, "CỘNG"), (350, "HÒA")]), (100, [(90, "/KH-MTTQ")]))]
    assert locate_paragraphs(["Số: /KH-MTTQ", "CỘNG HÒA"], pages, {0, 1}).keys() == {0, 1}


@dataclass
class Seen:
    paragraph: int | None = None
    page: int | None = None
    paragraphs: tuple[int, ...] = ()


def test_findings_at_one_place_share_a_marker_and_a_whole_file_finding_has_none():
    pages = [page(1, (100, [(50, "Kính"), (90, "gửi:")]))]
    markers = place_findings([Seen(0), Seen(None), Seen(0), Seen(None, 1)], ["Kính gửi:"], pages)
    assert [(m.label, m.box.page) for m in markers] == [("4", 1), ("1, 3", 1)]


def test_a_finding_about_several_paragraphs_is_marked_at_each_of_them():
    pages = [page(1, (100, [(50, "Một")]), (200, [(50, "Hai")])), page(2, (100, [(50, "Ba")]))]
    markers = place_findings([Seen(0, None, (0, 2)), Seen(1)], ["Một", "Hai", "Ba"], pages)
    assert [(m.label, m.box.page, m.paragraph) for m in markers] == [("1", 1, 0), ("2", 1, 1), ("1", 2, 2)]
