"""Receivers (filled below)."""
