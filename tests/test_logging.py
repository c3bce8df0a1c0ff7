"""The token never reaches a log; logs name users by id and never hold what users typed."""

from __future__ import annotations

import io
import logging

from conftest import REPO

from bot.config import load_config
from bot.localapi.server import LocalBotApi
from bot.logsetup import setup_logging
from bot.storage import Store
from bot.wiring.app import build_application

TOKEN = "7000000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


async def test_start_up_log_never_contains_the_token(tmp_path, clock):
    config = load_config(
        REPO / "config.yaml",
        env={"TELEGRAM_BOT_TOKEN": TOKEN, "WEERTHUIS_DB": str(tmp_path / "t.sqlite3")},
    )
    stream = io.StringIO()
    handler = setup_logging(config, stream=stream)
    logging.getLogger().setLevel(logging.DEBUG)
    for name in ("telegram", "httpx", "apscheduler", "weerthuis"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    # The real token goes to PTB (and so into every request URL); the local Bot API answers.
    api = LocalBotApi(clock=clock)
    store = Store(config.database)
    store.migrate()
    app = build_application(
        config, store, clock, request=api.request(), get_updates_request=api.request()
    )
    try:
        async with app:
            await app.start()
            await app.updater.start_polling(poll_interval=0, timeout=1)
            api.send_text(555, "mijn geheime tekst met BSN 111222333")
            while app.processed_updates < 1:
                import asyncio

                await asyncio.sleep(0.005)
            logging.getLogger("weerthuis.test").info("leaked? %s", TOKEN)
            await app.updater.stop()
            await app.stop()
    finally:
        logging.getLogger().removeHandler(handler)
        store.close()
    log = stream.getvalue()
    assert "Application started" in log or "handler=" in log
    assert TOKEN not in log
    assert TOKEN.split(":")[1] not in log
    assert "[geheim]" in log  # the deliberate leak above was redacted
    assert "geheime tekst" not in log
    assert "handler=free_question user=555" in log
