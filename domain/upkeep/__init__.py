"""Keeping an instance healthy: the health check, backup and restore."""
