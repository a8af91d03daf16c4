"""PMO Portfolio Health, served: app.py inside Streamlit's ASGI app with security headers.

    python serve.py [--port 8501] [--address ADDR]     (what ``make run`` does)
    streamlit run serve.py [--server.port ...]         (also works: Streamlit finds ``app``)

Every response carries the security headers of ``pmo_analytics.serving``. Open mode (no
``[auth]`` in ``.streamlit/secrets.toml``): ``python serve.py`` binds 127.0.0.1 whatever
``--address`` says, and under any launcher a client from another machine gets 403. With sign-in
configured it listens where ``--address`` (or ``server.address``) says, every interface by default.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

import streamlit as st
from streamlit import config as st_config

from pmo_analytics import serving

ROOT = Path(__file__).resolve().parent


def secrets_files() -> list[str]:
    """Where Streamlit reads secrets.toml from (its ``secrets.files`` option: ~/.streamlit,
    the working directory's .streamlit), plus this project's .streamlit folder."""
    files = [str(f) for f in st_config.get_option("secrets.files") or []]
    own = str(ROOT / ".streamlit" / "secrets.toml")
    return files if own in files else [*files, own]


OPEN_MODE = not serving.auth_configured(serving.read_secrets(secrets_files()))
app = st.App("app.py", middleware=serving.middleware(open_mode=OPEN_MODE))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the PMO Portfolio Health dashboard.")
    parser.add_argument("--port", type=int, default=None, help="port (default: server.port, 8501)")
    parser.add_argument("--address", default=None, help="address to listen on when sign-in is configured")
    args = parser.parse_args(argv)
    address = serving.bind_address(OPEN_MODE, args.address or st_config.get_option("server.address"))
    if OPEN_MODE:
        logging.getLogger("pmo_analytics").warning(
            "Open mode (no [auth] in .streamlit/secrets.toml): listening on %s only.", address
        )
    run_config: dict[str, object] = {"server.address": address}
    if args.port is not None:
        run_config["server.port"] = args.port
    app.run(config=run_config)


if __name__ == "__main__":
    main()
