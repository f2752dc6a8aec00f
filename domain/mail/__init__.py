"""Notifications by e-mail: composing the letters, talking to the SMTP server, and the outbox that sends them."""
