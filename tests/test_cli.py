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
/vraag — Een vraag stellen over de afspraken (of typ gewoon je vraag)
/regels — De regels voor de matching in jouw regio
/kandidaat — Een kandidaat aanmelden
/woning — Een vrijkomende woning aanmelden
/mijn — Jouw kandidaten of woningen (coördinator: de regio)
/uitnodigen — Een collega uitnodigen voor de bot
/onbeantwoord — Vragen die de bot niet kon beantwoorden
/herlaad — De kennisbank opnieuw laden
/export — Kandidaten en woningen van de regio als CSV
/stand — De stand van de regio: quotum, wijken, wachtenden, voordrachten
/checkins — Check-ins na een verhuizing: wat open staat en wat komt
/signalen — Signalen na een verhuizing: wie pakt wat op (samen oplossen)
/naam — Je voornaam zoals collega's die zien
/annuleren — De huidige handeling afbreken

Een vraag over de afspraken kun je ook gewoon intypen.
Bij elke stap kun je Terug kiezen of /annuleren typen.
1001 coordinator> :as field_worker
— je bent nu 1002 field_worker
1002 field_worker> /uitnodigen
[→ 1002 field_worker] Dat kan ik met jouw rol niet voor je doen. Typ /help om te zien wat wel kan.
1002 field_worker> :press 1
— ! geen knop '1' bij het nieuwste bericht met knoppen
1002 field_worker> :advance 2h
[→ 1002 field_worker] ⏰ Herinnering: de voordracht van WT-IZK-0001 voor WN-IZK-0001 wacht nog op je antwoord (uiterlijk dinsdag 6 januari 2026, 09:00).
[→ 1003 corporation] ⏰ Herinnering: de voordracht van WT-IZK-0001 voor WN-IZK-0001 wacht nog op je antwoord (uiterlijk dinsdag 6 januari 2026, 09:00).
— klok staat op 05-01-2026 11:00; uitgevoerde taken: 1
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
        "--first-name",
        "  Anne-Marie\n",
        db=db,
    )
    assert admin.returncode == 0, admin.stderr
    listed = [json.loads(line) for line in weerthuis("users", "list", db=db).stdout.splitlines()]
    assert listed == [
        {
            "telegram_id": 77,
            "first_name": "Anne-Marie",
            "role": "coordinator",
            "organisation": "Gemeente Haarlem",
            "region": region,
            "active": True,
            "admin": True,
            "blocked_since": None,
        }
    ]
    invite = weerthuis(
        "invite", "--role", "coordinator", "--org", "Gemeente Haarlem", "--region", region, db=db
    )
    code, link = invite.stdout.split()
    assert link == f"https://t.me/WeerThuisBot?start={code}"
    assert weerthuis("users", "deactivate", "77", db=db).returncode == 0
    listed = [json.loads(line) for line in weerthuis("users", "list", db=db).stdout.splitlines()]
    # Deactivation erases the first name with the access.
    assert (listed[0]["active"], listed[0]["first_name"]) == (False, None)


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
            "geen Telegram-id",
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
        (
            [
                "users",
                "add",
                "--telegram-id",
                "99999999999999999999999",
                "--role",
                "coordinator",
                "--org",
                "x",
                "--region",
                "y",
            ],
            {},
            "geen Telegram-id",
        ),
        (["users", "deactivate", "-5"], {}, "geen Telegram-id"),
        (
            ["invite", "--role", "coordinator", "--org", "x", "--region", "y", "--days", "0"],
            {},
            "aantal dagen",
        ),
        (
            [
                "invite",
                "--role",
                "coordinator",
                "--org",
                "x",
                "--region",
                "y",
                "--bot-username",
                "x y<b>",
            ],
            {},
            "botnaam",
        ),
        (["shell", "--now", "0001-01-01T00:00+14:00"], {}, "jaar"),
        (
            ["orgs", "add", "--name", "   ", "--kind", "gemeente", "--region", "midden-groningen"],
            {},
            "naam moet",
        ),
        (["ask", "--region", "atlantis", "hallo"], {}, "onbekende regio"),
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


def test_a_database_that_is_no_database_gives_one_line(tmp_path):
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_text("dit is geen database\n" * 100, encoding="utf-8")
    result = weerthuis("users", "list", db=bogus)
    assert result.returncode == 1
    assert "database onbruikbaar" in result.stderr and "Traceback" not in result.stderr


def test_demo_refuses_a_database_with_real_users(tmp_path):
    db = tmp_path / "real.sqlite3"
    region = "ijmond-zuid-kennemerland"
    weerthuis(
        "orgs", "add", "--name", "Gemeente Haarlem", "--kind", "gemeente", "--region", region, db=db
    )
    weerthuis(
        "users",
        "add",
        "--telegram-id",
        "77",
        "--role",
        "coordinator",
        "--org",
        "Gemeente Haarlem",
        "--region",
        region,
        db=db,
    )
    result = weerthuis("shell", "--demo", "--db", str(db), stdin=":quit\n")
    assert result.returncode == 2
    assert "--demo weigert deze database" in result.stderr
    listed = weerthuis("users", "list", db=db).stdout.splitlines()
    assert len(listed) == 1


def test_organisation_names_are_one_whatever_their_case(tmp_path):
    db = tmp_path / "orgs.sqlite3"
    region = "ijmond-zuid-kennemerland"
    assert (
        weerthuis(
            "orgs", "add", "--name", "woonopmaat", "--kind", "corporatie", "--region", region, db=db
        ).returncode
        == 0
    )
    again = weerthuis(
        "orgs", "add", "--name", " Woonopmaat ", "--kind", "corporatie", "--region", region, db=db
    )
    assert again.returncode == 2 and "bestaat al" in again.stderr
    added = weerthuis(
        "users",
        "add",
        "--telegram-id",
        "12",
        "--role",
        "corporation",
        "--org",
        "WOONOPMAAT",
        "--region",
        region,
        db=db,
    )
    assert added.returncode == 0, added.stderr


def test_ask_prints_json_for_one_question_and_for_stdin_lines():
    one = weerthuis("ask", "--json", "wat", "is", "een", "omklapwoning")
    data = json.loads(one.stdout)
    assert data["question"] == "wat is een omklapwoning"
    assert data["found"] is True and data["entry_id"] and data["answer"]
    many = weerthuis(
        "ask",
        "--json",
        stdin="wat is een omklapwoning\n\nhoe laat vertrekt de trein naar utrecht\n",
    )
    lines = [json.loads(line) for line in many.stdout.splitlines()]
    # One line per input line, the blank one included, so outputs pair with inputs.
    assert [d["found"] for d in lines] == [True, False, False]
    assert lines[1]["question"] == ""
    assert set(lines[2]) == {
        "question",
        "found",
        "answer",
        "entry_id",
        "score",
        "region",
        "entry_region",
        "which_region",
        "outside",
        "suggestions",
        "also",
        "unanswered_parts",
        "follows",
    }


def test_ask_with_context_treats_lines_as_one_chat():
    """A follow-up line that names only a region re-asks the line before for that region;
    without --context each line stands alone and gets the region's main entry."""
    lines = "wat gebeurt er in limburg als het na de verhuizing misgaat\nen in ijmond?\n"
    chained = [
        json.loads(x)
        for x in weerthuis("ask", "--json", "--context", stdin=lines).stdout.splitlines()
    ]
    alone = [json.loads(x) for x in weerthuis("ask", "--json", stdin=lines).stdout.splitlines()]
    first = "wat gebeurt er in limburg als het na de verhuizing misgaat"
    assert [(d["entry_id"], d["found"], d["follows"]) for d in chained] == [
        ("limburg-vroeg-contact", True, None),
        ("ijzk-zachte-landing", True, first),
    ]
    assert [(d["entry_id"], d["found"], d["follows"]) for d in alone] == [
        ("limburg-vroeg-contact", True, None),
        ("ijzk-pact", True, None),
    ]


def test_webhook_mode_needs_a_secret(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(
        "telegram:\n  mode: webhook\n  webhook:\n    url: https://bot.example.nl/telegram\n",
        encoding="utf-8",
    )
    result = weerthuis(
        "run",
        env={
            "WEERTHUIS_CONFIG": str(config),
            "TELEGRAM_BOT_TOKEN": "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
        },
    )
    assert result.returncode == 2
    assert "WEERTHUIS_WEBHOOK_SECRET" in result.stderr
    assert "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw" not in result.stderr


def test_bad_config_file_stops_start_up_naming_the_key(tmp_path):
    bad = tmp_path / "config.yaml"
    bad.write_text("telegram:\n  mode: fax\n", encoding="utf-8")
    result = weerthuis("shell", "--demo", env={"WEERTHUIS_CONFIG": str(bad)}, stdin=":quit\n")
    assert result.returncode == 2
    assert "telegram.mode" in result.stderr and "Traceback" not in result.stderr


def _own_config(tmp_path):
    """A config file of its own (its database beside it), so only `--config` can find it."""
    config = tmp_path / "eigen.yaml"
    config.write_text(
        f"database: eigen.sqlite3\nknowledge_dir: {REPO / 'knowledge'}\n", encoding="utf-8"
    )
    return str(config)


@pytest.mark.parametrize(
    "where",
    [
        ["--config", "CONFIG", "users", "list"],
        ["users", "--config", "CONFIG", "list"],
        ["users", "list", "--config", "CONFIG"],
    ],
)
def test_config_may_come_before_or_after_the_subcommand(tmp_path, where):
    config = _own_config(tmp_path)
    nowhere = {"WEERTHUIS_CONFIG": str(tmp_path / "nergens.yaml")}
    region = "midden-groningen"
    added = weerthuis(
        *("orgs", "add", "--name", "Gemeente", "--kind", "gemeente", "--region", region),
        *("--config", config),
        env=nowhere,
    )
    assert (added.returncode, added.stderr) == (0, "")
    user = weerthuis(
        *("users", "add", "--telegram-id", "5", "--role", "coordinator", "--org", "Gemeente"),
        *("--region", region, "--config", config),
        env=nowhere,
    )
    assert (user.returncode, user.stdout) == (0, f"toegevoegd: 5 coordinator Gemeente {region}\n")
    listed = weerthuis(*(config if a == "CONFIG" else a for a in where), env=nowhere)
    assert (listed.returncode, listed.stderr) == (0, "")
    assert listed.stdout == (
        '{"telegram_id": 5, "first_name": null, "role": "coordinator", "organisation": "Gemeente", '
        f'"region": "{region}", "active": true, "admin": false, "blocked_since": null}}\n'
    )


def test_after_the_subcommand_the_later_config_wins(tmp_path):
    result = weerthuis(
        *("--config", str(tmp_path / "eerst.yaml"), "kb", "check"),
        *("--config", str(tmp_path / "later.yaml")),
    )
    assert result.returncode == 2
    assert result.stderr == (
        f"weerthuis: {tmp_path / 'later.yaml'}: configuratiebestand niet gevonden (file not found)\n"
    )


@pytest.mark.parametrize(
    "command",
    [
        ["shell", "--demo"],
        ["run"],
        [
            "users",
            "add",
            "--telegram-id",
            "5",
            "--role",
            "coordinator",
            "--org",
            "x",
            "--region",
            "y",
        ],
        ["users", "list"],
        ["users", "deactivate", "5"],
        ["orgs", "add", "--name", "x", "--kind", "gemeente", "--region", "y"],
        ["orgs", "list"],
        ["kb", "check"],
        ["kb", "unanswered"],
        ["ask", "hallo"],
        ["audit"],
        ["privacy", "export", "WT-X-0001"],
        ["privacy", "erase", "WT-X-0001"],
        ["export", "candidates", "--region", "y"],
        ["invite", "--role", "coordinator", "--org", "x", "--region", "y"],
    ],
)
def test_every_command_takes_config_after_it(tmp_path, command):
    missing = tmp_path / "ontbreekt.yaml"
    result = weerthuis(*command, "--config", str(missing), stdin=":quit\n")
    assert result.returncode == 2
    assert result.stderr == (
        f"weerthuis: {missing}: configuratiebestand niet gevonden (file not found)\n"
    )


def test_every_database_command_takes_db_before_the_environment(tmp_path):
    named, other = tmp_path / "named.sqlite3", tmp_path / "other.sqlite3"
    region = "ijmond-zuid-kennemerland"
    org = weerthuis(
        "orgs",
        "add",
        "--name",
        "Gemeente X",
        "--kind",
        "gemeente",
        "--region",
        region,
        "--db",
        str(named),
        db=other,
    )
    assert org.returncode == 0, org.stderr
    made = weerthuis(
        "users",
        "add",
        "--telegram-id",
        "5",
        "--role",
        "coordinator",
        "--org",
        "Gemeente X",
        "--region",
        "ijmond-zuid-kennemerland",
        "--db",
        str(named),
        db=other,
    )
    assert made.returncode == 0, made.stderr
    assert named.exists() and not other.exists()
    listed = weerthuis("users", "list", "--db", str(named), db=other)
    assert [json.loads(line)["telegram_id"] for line in listed.stdout.splitlines()] == [5]
    assert weerthuis("users", "list", db=named).stdout == listed.stdout
    missing = weerthuis("export", "candidates", "--region", "x", "--db", str(tmp_path / "no"))
    assert (missing.returncode, missing.stderr) == (
        2,
        f"weerthuis: geen database gevonden (no database found): {tmp_path / 'no'}; geef het "
        "pad op met --db, WEERTHUIS_DB of database in de config\n",
    )
