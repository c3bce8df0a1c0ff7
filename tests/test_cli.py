"""The `weerthuis` command: scripted shell as a subprocess, operations commands, and one clear
line with a non-zero exit for every mistake (never a traceback)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import REPO

SCRIPT = """\
# a conversation file is a test fixture
/help
:as field_worker
/uitnodigen
:press 1
:advance 2h
:as nobody
:quit
/help
"""


def weerthuis(
    *args: str, stdin: str = "", env: dict | None = None, db=None
) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    full_env["WEERTHUIS_CONFIG"] = str(REPO / "config.yaml")
    if db is not None:
        full_env["WEERTHUIS_DB"] = str(db)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        cwd=REPO,
        timeout=60,
    )


def test_scripted_shell_prints_a_deterministic_transcript():
    first = weerthuis("shell", "--demo", stdin=SCRIPT)
    second = weerthuis("shell", "--demo", stdin=SCRIPT)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert (
        first.stdout
        == """\
— Weer Thuis shell — je bent 1001 coordinator. Typ een bericht, of :help.
1001 coordinator> /help
[→ 1001 coordinator] Je bent Coördinator (regionaal matchpunt / gemeente). Dit kun je hier doen:
/start — Beginnen of aanmelden met een uitnodigingscode
/help — Wat kan ik hier doen?
/uitnodigen — Een collega uitnodigen voor de bot
/annuleren — De huidige handeling afbreken

Bij elke stap kun je Terug kiezen of /annuleren typen.
1001 coordinator> :as field_worker
— je bent nu 1002 field_worker
1002 field_worker> /uitnodigen
[→ 1002 field_worker] Dat kan ik met jouw rol niet voor je doen. Typ /help om te zien wat wel kan.
1002 field_worker> :press 1
— ! geen knop '1' bij het nieuwste bericht met knoppen
1002 field_worker> :advance 2h
— klok staat op 05-01-2026 11:00; 0 taak/taken uitgevoerd
1002 field_worker> :as nobody
— ! onbekende gebruiker 'nobody'; geef een Telegram-id of een rol (coordinator, field_worker, corporation, support_worker)
1002 field_worker> :quit
"""
    )


def test_shell_jsonl_prints_one_object_per_output():
    result = weerthuis("shell", "--demo", "--jsonl", stdin="/uitnodigen\n:press 3\n")
    assert result.returncode == 0, result.stderr
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["kind"] for o in objects] == ["message", "edit"]
    assert objects[0]["to"] == 1001
    assert objects[0]["buttons"][1] == ["Medewerker zorg/opvang"]
    assert objects[1]["text"].startswith("Rol: Medewerker woningcorporatie.")


def test_operations_commands_round_trip(tmp_path):
    db = tmp_path / "ops.sqlite3"
    region = "ijmond-zuid-kennemerland"
    added = weerthuis(
        "orgs", "add", "--name", "Gemeente Haarlem", "--kind", "gemeente", "--region", region, db=db
    )
    assert added.returncode == 0, added.stderr
    admin = weerthuis(
        "users",
        "add",
        "--telegram-id",
        "77",
        "--role",
        "coordinator",
        "--org",
        "gemeente haarlem",
        "--region",
        region,
        "--admin",
        db=db,
    )
    assert admin.returncode == 0, admin.stderr
    listed = [json.loads(line) for line in weerthuis("users", "list", db=db).stdout.splitlines()]
    assert listed == [
        {
            "telegram_id": 77,
            "role": "coordinator",
            "organisation": "Gemeente Haarlem",
            "region": region,
            "active": True,
            "admin": True,
        }
    ]
    invite = weerthuis(
        "invite", "--role", "coordinator", "--org", "Gemeente Haarlem", "--region", region, db=db
    )
    code, link = invite.stdout.split()
    assert link == f"https://t.me/WeerThuisBot?start={code}"
    assert weerthuis("users", "deactivate", "77", db=db).returncode == 0
    listed = [json.loads(line) for line in weerthuis("users", "list", db=db).stdout.splitlines()]
    assert listed[0]["active"] is False


@pytest.mark.parametrize(
    ("args", "env", "says"),
    [
        (["frobnicate"], {}, "invalid choice"),
        (
            [
                "users",
                "add",
                "--telegram-id",
                "abc",
                "--role",
                "coordinator",
                "--org",
                "x",
                "--region",
                "y",
            ],
            {},
            "invalid int",
        ),
        (
            ["users", "add", "--telegram-id", "1", "--role", "king", "--org", "x", "--region", "y"],
            {},
            "invalid choice",
        ),
        (
            [
                "users",
                "add",
                "--telegram-id",
                "1",
                "--role",
                "coordinator",
                "--org",
                "x",
                "--region",
                "atlantis",
            ],
            {},
            "onbekende regio",
        ),
        (
            ["invite", "--role", "coordinator", "--org", "Nergens", "--region", "midden-groningen"],
            {},
            "niet gevonden",
        ),
        (["users", "deactivate", "999"], {}, "bestaat niet"),
        (["shell", "--now", "gisteren"], {}, "geen tijdstip"),
        (["users", "list"], {"WEERTHUIS_CONFIG": "/nonexistent/config.yaml"}, "niet gevonden"),
        (["run"], {}, "TELEGRAM_BOT_TOKEN"),
        (["run"], {"TELEGRAM_BOT_TOKEN": "secret-but-malformed"}, "TELEGRAM_BOT_TOKEN"),
    ],
)
def test_mistakes_give_one_clear_line_and_a_nonzero_exit(tmp_path, args, env, says):
    result = weerthuis(*args, env=env, db=tmp_path / "x.sqlite3")
    assert result.returncode == 2
    assert says in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "secret-but-malformed" not in result.stderr + result.stdout


def test_bad_config_file_stops_start_up_naming_the_key(tmp_path):
    bad = tmp_path / "config.yaml"
    bad.write_text("telegram:\n  mode: fax\n", encoding="utf-8")
    result = weerthuis("shell", "--demo", env={"WEERTHUIS_CONFIG": str(bad)}, stdin=":quit\n")
    assert result.returncode == 2
    assert "telegram.mode" in result.stderr and "Traceback" not in result.stderr
