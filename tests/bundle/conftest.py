"""Fixtures for the bundle tests: the real Secret Service (``tests/keyring_service.py``)."""

from __future__ import annotations

from keyring_service import IsolatedDirs, SecretService, isolated_dirs, secret_service

__all__ = ["IsolatedDirs", "SecretService", "isolated_dirs", "secret_service"]
