"""Command-line commands: `flask --app app <command>`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from demo_data import seed_demo
from domain.files import CHANGED, MISSING, size_text
from domain.upkeep.backup import BackupError, create_backup
from domain.upkeep.restore import restore_backup
from extensions import db


def register_commands(app: Flask) -> None:
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
        labels = {MISSING: "MẤT TỆP", CHANGED: "ĐÃ BỊ THAY ĐỔI"}
        for stored, problem in done.problems:
            click.echo(f"{labels[problem]}: #{stored.id} {stored.original_name} ({stored.storage_path})", err=True)
        if done.problems:
            click.echo(f"{len(done.problems)} tệp có vấn đề sau khi khôi phục.", err=True)
            raise SystemExit(1)
        click.echo("Đã kiểm tra lại mọi tệp: tất cả nguyên vẹn.")
