"""The 窓口 screens: one router that includes every screen module, so the app includes only this one.

Each module keeps one family of screens small and declares its own permissions with ``require``.
"""

from __future__ import annotations

from fastapi import APIRouter

from yakuba.ui import audit, certificates, ido, login, person, search, shien, validate, zeimu

router = APIRouter(include_in_schema=False)
for _module in (login, search, person, ido, certificates, validate, shien, audit, zeimu):
    router.include_router(_module.router)

__all__ = ["router"]
