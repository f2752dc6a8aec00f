"""Command-line commands: `flask --app app <command>`. The upkeep commands are here; each feature's own commands
are in its blueprint's cli.py, registered from here."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from sqlalchemy import select

from blueprints.archive import cli as archive_cli
from blueprints.documents import cli as documents_cli
from blueprints.format_check import cli as format_check_cli
from blueprints.jobs import cli as jobs_cli
from blueprints.plans import cli as plans_cli
from blueprints.reports import cli as reports_cli
from demo import seed_demo
from domain import files
from domain.files import CHANGED, MISSING, size_text
from domain.upkeep.backup import BackupError, create_backup
from domain.upkeep.leftovers import (
    CLEAN_MIN_AGE_SECONDS,
    DAMAGED,
    ORPHAN,
    TEMPORARY,
    Leftover,
    age_text,
    clean_leftovers,
    leftovers,
)
from domain.upkeep.restore import restore_backup
from extensions import db

PROBLEM_LABELS = {MISSING: "MẤT TỆP", CHANGED: "ĐÃ BỊ THAY ĐỔI"}


def register_commands(app: Flask) -> None:
    documents_cli.register_commands(app)  # export-docx
    plans_cli.register_commands(app)  # import-plan
    reports_cli.register_commands(app)  # aggregate-report
    archive_cli.register_commands(app)  # search-index
    format_check_cli.register_commands(app)  # check-docx
    jobs_cli.register_commands(app)  # worker

    @app.cli.command("seed-demo")
    @click.option("--password", help="Mật khẩu chung cho mọi người dùng mẫu (mặc định: mỗi người một mật khẩu ngẫu nhiên).")
    def seed_demo_command(password: str | None):
        """Create the demonstration data (idempotent)."""
        if password is not None and len(password) < 8:
            raise click.BadParameter("Mật khẩu phải có ít nhất 8 ký tự.", param_hint="--password")
        credentials = seed_demo(password)
        db.session.commit()
        click.echo("Đã tạo dữ liệu mẫu: Ủy ban MTTQ Việt Nam tỉnh Ninh Bình.")
        click.echo("Tài khoản đăng nhập:")
        for username, pw in credentials.items():
            click.echo(f"  {username:<22} {pw}")

    @app.cli.command("backup")
    @click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
    def backup_command(out: Path):
        """Write the database and every stored file into one archive OUT (.tar, or .tar.gz/.tgz)."""
        try:
            done = create_backup(out)
        except BackupError as exc:
            click.echo(exc.message, err=True)
            raise SystemExit(1) from None
        click.echo(f"Đã sao lưu cơ sở dữ liệu và {done.files} tệp ({size_text(done.files_size)}) vào {done.archive} "
                   f"({size_text(done.archive.stat().st_size)}).")

    @app.cli.command("restore")
    @click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
    def restore_command(archive: Path):
        """Restore an archive written by `backup` into this instance, which must be empty."""
        try:
            done = restore_backup(archive)
        except BackupError as exc:
            click.echo(exc.message, err=True)
            raise SystemExit(1) from None
        click.echo(f"Đã khôi phục cơ sở dữ liệu và {done.files} tệp ({size_text(done.files_size)}) từ {done.archive}.")
        if done.revision_behind:
            click.echo("Cơ sở dữ liệu vừa khôi phục cũ hơn ứng dụng: hãy chạy flask --app app db upgrade.")
        for stored, problem in done.problems:
            click.echo(f"{PROBLEM_LABELS[problem]}: #{stored.id} {stored.original_name} ({stored.storage_path})", err=True)
        if done.problems:
            click.echo(f"{len(done.problems)} tệp có vấn đề sau khi khôi phục.", err=True)
            raise SystemExit(1)
        click.echo("Đã kiểm tra lại mọi tệp: tất cả nguyên vẹn.")

    @app.cli.command("verify-files")
    @click.option("--clean", is_flag=True, help="Xóa tệp tạm và tệp mồ côi đã cũ hơn --min-age giây.")
    @click.option("--min-age", "min_age", type=click.IntRange(min=0), default=CLEAN_MIN_AGE_SECONDS,
                  show_default=True, help="Chỉ xóa tệp cũ hơn số giây này (tệp mới hơn có thể đang được ghi).")
    def verify_files_command(clean: bool, min_age: int):
        """Re-hash every stored file; list those changed or missing and the leftovers (temporary files, orphans,
        damaged copies); --clean removes temporary and orphan files older than --min-age. Exit 1 if anything is
        wrong; with --clean, leftovers no longer count (damaged copies and files too young to remove are only
        listed)."""
        # Read without SQLite's write lock: hashing every file takes a while and the server keeps writing meanwhile.
        db.session.connection(execution_options={"sqlite_begin": "DEFERRED"})
        problems = files.verify_all()
        total = db.session.scalar(select(db.func.count()).select_from(files.StoredFile))
        for stored, problem in problems:
            click.echo(f"{PROBLEM_LABELS[problem]}: #{stored.id} {stored.original_name} ({stored.storage_path}, "
                       f"sha256 {stored.sha256})")
        if problems:
            click.echo(f"{len(problems)} trên {total} tệp có vấn đề.", err=True)
        else:
            click.echo(f"Đã kiểm tra {total} tệp: tất cả nguyên vẹn.")

        leftover_labels = {TEMPORARY: "TỆP TẠM", ORPHAN: "TỆP MỒ CÔI", DAMAGED: "BẢN HỎNG ĐỂ RIÊNG"}

        def describe(item: Leftover) -> str:
            return f"{item.path} ({size_text(item.size)}, {age_text(item.age_seconds)} trước)"

        if clean:
            removed = clean_leftovers(min_age, user=None)
            db.session.commit()
            for item in removed:
                click.echo(f"ĐÃ XÓA {leftover_labels[item.kind]}: {describe(item)}")
            click.echo(f"Đã xóa {len(removed)} tệp thừa ({size_text(sum(item.size for item in removed))}).")
        remaining = leftovers()
        for item in remaining:
            click.echo(f"{leftover_labels[item.kind]}: {describe(item)}")
        if remaining and not clean:
            click.echo(f"{len(remaining)} tệp thừa; tệp tạm và tệp mồ côi cũ hơn {min_age} giây được xóa bằng "
                       "`flask --app app verify-files --clean`; bản hỏng để riêng cần người kiểm tra rồi xóa bằng "
                       "tay.", err=True)
        if problems or (remaining and not clean):
            raise SystemExit(1)
