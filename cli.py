"""Command-line commands: `flask --app app <command>`."""

from __future__ import annotations

import click
from flask import Flask

from extensions import db


def register_commands(app: Flask) -> None:
    @app.cli.command("seed-demo")
    @click.option("--password", help="Mật khẩu chung cho mọi người dùng mẫu (mặc định: mỗi người một mật khẩu ngẫu nhiên).")
    def seed_demo_command(password: str | None):
        """Create the demonstration data (idempotent)."""
        from demo_data import seed_demo

        if password is not None and len(password) < 8:
            raise click.BadParameter("Mật khẩu phải có ít nhất 8 ký tự.", param_hint="--password")
        credentials = seed_demo(password)
        db.session.commit()
        click.echo("Đã tạo dữ liệu mẫu: Ủy ban MTTQ Việt Nam tỉnh Ninh Bình.")
        click.echo("Tài khoản đăng nhập:")
        for username, pw in credentials.items():
            click.echo(f"  {username:<22} {pw}")
