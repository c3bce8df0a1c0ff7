"""`weerthuis run` against a Bot API server that refuses the token or cannot be reached: one
clear line in Dutch and English, a non-zero exit, and the token nowhere in the output."""

from __future__ import annotations

import http.server
import json
import os
import socket
import subprocess
import sys
import threading

import pytest
from conftest import REPO

TOKEN = "123456789:AAAAsecretsecretsecretsecret0000"
CONFIG = """\
language: nl
timezone: Europe/Amsterdam
database: {db}
knowledge_dir: {knowledge}
telegram:
  mode: polling
  base_url: {base_url}
  base_file_url: {base_url}
logging:
  level: INFO
  file: ""
"""


class _Refusing(http.server.BaseHTTPRequestHandler):
    code = 401

    def do_POST(self) -> None:
        description = "Unauthorized" if self.code == 401 else "Not Found"
        body = json.dumps(
            {"ok": False, "error_code": self.code, "description": description}
        ).encode()
        self.send_response(self.code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def refusing_server(request):
    handler = type("Handler", (_Refusing,), {"code": request.param})
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/bot"
    server.shutdown()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(tmp_path, base_url: str) -> subprocess.CompletedProcess:
    config = tmp_path / "config.yaml"
    config.write_text(
        CONFIG.format(db=tmp_path / "bot.sqlite3", knowledge=REPO / "knowledge", base_url=base_url),
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("WEERTHUIS_")}
    env["TELEGRAM_BOT_TOKEN"] = TOKEN
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "--config", str(config), "run"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )


def _assert_clean(result: subprocess.CompletedProcess) -> str:
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert TOKEN not in output and TOKEN.split(":")[1] not in output
    assert "Traceback" not in output
    return result.stderr.splitlines()[-1]


@pytest.mark.parametrize("refusing_server", [401, 404], indirect=True)
def test_a_rejected_token_ends_in_one_redacted_line(tmp_path, refusing_server):
    last = _assert_clean(_run(tmp_path, refusing_server))
    assert last == (
        f"weerthuis: Telegram ({refusing_server.split('/')[2]}) weigert het bot-token; "
        "controleer TELEGRAM_BOT_TOKEN. (Telegram rejected the bot token; check "
        "TELEGRAM_BOT_TOKEN.)"
    )


def test_an_unreachable_server_ends_in_one_line(tmp_path):
    host = f"127.0.0.1:{_free_port()}"
    result = _run(tmp_path, f"http://{host}/bot")
    last = _assert_clean(result)
    assert last == (
        f"weerthuis: Telegram is niet bereikbaar op {host} (httpx.ConnectError: All connection "
        f"attempts failed). (Cannot reach Telegram at {host}.)"
    )
    assert len(result.stderr) < 1500
