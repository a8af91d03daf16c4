"""UI strings in English and Simplified Chinese.

Strings live in ``pmo_analytics/locales/*.py``: each module defines
``STRINGS = {"key": ("English", "简体中文"), ...}``; one module per area (core, evm,
schedule, ...) so areas can be added without touching each other. ``t(key, lang, **fmt)``
looks a key up; an unknown key raises in tests (``strict``) and shows the key otherwise.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Mapping
from functools import cache

from . import locales

LANGS = ("en", "zh")
LANG_NAMES = {"en": "English", "zh": "简体中文"}


def default_lang(env: Mapping[str, str] | None = None) -> str:
    """The language a new session opens in: ``PMO_LANG`` ("zh", "zh-CN", "zh_CN.UTF-8" ->
    "zh"; anything else, or unset -> "en")."""
    value = (os.environ if env is None else env).get("PMO_LANG", "") or ""
    return "zh" if value.strip().lower().startswith("zh") else "en"


@cache
def catalog() -> dict[str, tuple[str, str]]:
    """Every string of every locale module, merged (a duplicate key is an error)."""
    merged: dict[str, tuple[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(locales.__path__), key=lambda m: m.name):
        mod = importlib.import_module(f"{locales.__name__}.{info.name}")
        for key, pair in getattr(mod, "STRINGS", {}).items():
            if key in merged and merged[key] != tuple(pair):
                raise ValueError(f"i18n key {key!r} defined twice differently (module {info.name})")
            merged[key] = tuple(pair)
    return merged


def t(key: str, lang: str = "en", /, **fmt: object) -> str:
    """The string for ``key`` in ``lang`` ("en" or "zh"), formatted with ``fmt``."""
    pair = catalog().get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "zh" else pair[0]
    return text.format(**fmt) if fmt else text


def has(key: str) -> bool:
    return key in catalog()
