"""Lotkeeper: know where every lot went."""

__version__ = "0.1.0"
