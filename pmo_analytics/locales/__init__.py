"""Locale modules: each defines STRINGS = {key: (english, chinese)}. See ``pmo_analytics.i18n``."""
