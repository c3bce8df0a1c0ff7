"""A process killed with SIGKILL mid-conversation resumes it after restart, losing nothing."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time

from conftest import REPO


class ShellProcess:
    """`weerthuis shell` as a real subprocess, fed line by line."""

    def __init__(self, db_path, *extra: str) -> None:
        env = {**os.environ, "WEERTHUIS_CONFIG": str(REPO / "config.yaml")}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "shell", "--demo", "--db", str(db_path), *extra],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            cwd=REPO,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line)

    def send(self, line: str) -> None:
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def wait_for(self, text: str, timeout: float = 30) -> str:
        seen, deadline = [], time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                continue
            seen.append(line)
            if text in line:
                return "".join(seen)
        raise AssertionError(f"{text!r} not seen; got:\n{''.join(seen)}")


def _counts(db_path) -> dict[str, int]:
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("users", "organisations", "invites", "audit_log")
        }


def test_sigkill_mid_conversation_resumes_after_restart(tmp_path):
    db_path = tmp_path / "restart.sqlite3"
    first = ShellProcess(db_path)
    first.wait_for("Weer Thuis shell")
    first.send("/uitnodigen")
    first.wait_for("Wie wil je uitnodigen?")
    first.send(":press 3")
    first.wait_for("Bij welke organisatie")
    first.send(":press Woonopmaat")
    first.wait_for("Hoe lang blijft de uitnodiging geldig?")
    # The shell reads its next line only once the bot has settled (state written).
    first.send(":as coordinator")
    first.wait_for("je bent nu")
    before = _counts(db_path)
    first.proc.send_signal(signal.SIGKILL)
    first.proc.wait(timeout=10)
    assert first.proc.returncode == -signal.SIGKILL

    second = ShellProcess(db_path)
    second.wait_for("Weer Thuis shell")
    second.send("14")
    summary = second.wait_for("[3] ✖️ Annuleren")
    assert "Rol: Medewerker woningcorporatie" in summary
    assert "Organisatie: Woonopmaat" in summary
    second.send(":press 1")
    second.wait_for("Uitnodiging aangemaakt voor")
    second.send(":quit")
    second.proc.wait(timeout=30)
    assert second.proc.returncode == 0

    after = _counts(db_path)
    # Seeding the demo again added nobody; exactly one invite and one audit line for it.
    assert after["users"] == before["users"]
    assert after["organisations"] == before["organisations"]
    assert after["invites"] == before["invites"] + 1 == 1
    assert after["audit_log"] == before["audit_log"] + 1


def test_sigkill_in_the_middle_of_a_candidate_registration(tmp_path):
    db_path = tmp_path / "restart-kandidaat.sqlite3"
    first = ShellProcess(db_path)
    first.wait_for("Weer Thuis shell")
    for line in (
        ":as field_worker",
        "/kandidaat",
        ":press Haarlem",
        ":press Klaar",
        ":press Geen",
        ":press Stel",
    ):
        first.send(line)
    first.send(":as field_worker")
    first.wait_for("Welke begeleiding")
    first.wait_for("je bent nu")
    first.proc.send_signal(signal.SIGKILL)
    first.proc.wait(timeout=10)

    second = ShellProcess(db_path)
    second.wait_for("Weer Thuis shell")
    second.send(":as field_worker")
    second.send("/kandidaat")
    second.wait_for("onafgemaakte aanmelding van een kandidaat")
    second.send(":press Verder gaan")
    second.wait_for("Welke begeleiding")
    for line in (
        ":press 1",
        ":press 1",
        ":press Klaar",
        ":press 1",
        "over 2 weken",
        ":press Klaar",
        ":press Nee",
        ":press 3",
        ":press Overslaan",
    ):
        second.send(line)
    summary = second.wait_for("Klopt alles?")
    assert "Huishouden: Stel" in summary and "Gemeenten: Haarlem" in summary
    second.send(":press Opslaan")
    # After the twelve demo candidates (the second start added none).
    second.wait_for("Opgeslagen als WT-IZK-0017")
    second.send(":quit")
    second.proc.wait(timeout=30)
    assert _counts(db_path)["users"] == 4


def test_a_form_left_open_over_a_restart_still_times_out(tmp_path):
    db_path = tmp_path / "restart-timeout.sqlite3"
    first = ShellProcess(db_path)
    first.wait_for("Weer Thuis shell")
    for line in (":as field_worker", "/kandidaat", ":press Haarlem", ":press Klaar"):
        first.send(line)
    first.wait_for("niet kan wonen?")
    first.send(":as field_worker")
    first.wait_for("je bent nu")
    first.proc.send_signal(signal.SIGKILL)
    first.proc.wait(timeout=10)

    second = ShellProcess(db_path)
    second.wait_for("Weer Thuis shell")
    # The new process has no timeout job for the old conversation; the draft's clock decides.
    for line in (":as field_worker", ":advance 2h", "Velsen"):
        second.send(line)
    second.wait_for("Je was een tijd niet actief")
    second.send(":quit")
    second.proc.wait(timeout=30)
