"""The steps of the yearly cycle (see engine.py); each is small and reads its dates from their one source."""

from __future__ import annotations
