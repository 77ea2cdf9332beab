"""The differential package's one base exception."""

from __future__ import annotations

__all__ = ["DifferentialError", "KnowledgeBaseError"]


class DifferentialError(Exception):
    """Base of every error raised by the differential package."""


class KnowledgeBaseError(DifferentialError):
    """The knowledge base file is unreadable or invalid; the message lists every problem."""
