"""`weerthuis kb check` and the loader: every kind of problem, reported with file and line, on
small broken knowledge bases; a reload keeps the old knowledge base when the new one is broken."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from bot.knowledge.base import check_knowledge, load_knowledge
from bot.services import reload_knowledge

REGION = """\
id: testregio
name: Testregio
sources:
  - {name: Testbron}
municipalities:
  - {id: testdorp, name: Testdorp}
allocation_rules:
  example: true
  quota:
    example: true
    homes: 12
    start: 2026-01-01
  neighbourhood_caps:
    example: true
    per_year: 4
  eligibility:
    - rule: gemeente
    - rule: huishouden_kamers
      min_rooms: {1: 1, 2: 2}
  prioritisation:
    urgency_bonus_days: 90
    spread: {weight_days: 60, steepness: 2}
    tie_breaker: [aanmelddatum, code]
  decision:
    approval: matchpunt
    deadline_working_days: 5
    cap_override: reden_verplicht
"""
ENTRIES = """\
entries:
  - id: eerste
    question: Wat is de eerste vraag?
    alternates: [eerste vraag, vraag een]
    answer: Het <b>eerste</b> antwoord.
    sources: [{seed: 003_8346a4a5425ec99e.txt, date: 2018-12-07}]
    follow_ups: [tweede]
  - id: tweede
    question: Wat is de tweede vraag?
    alternates: [tweede vraag]
    answer: Het tweede antwoord.
    region: testregio
    sources: [{seed: 003_8346a4a5425ec99e.txt, date: 2018-12-07}]
"""


def make_kb(
    root: Path, entries: str = ENTRIES, region: str = REGION, glossary: str | None = None
) -> Path:
    (root / "qa").mkdir(parents=True)
    (root / "regions").mkdir()
    (root / "qa" / "test.yaml").write_text(entries, encoding="utf-8")
    (root / "regions" / "testregio.yaml").write_text(region, encoding="utf-8")
    if glossary is not None:
        (root / "glossary.yaml").write_text(glossary, encoding="utf-8")
    rent_limits = (REPO / "knowledge" / "rent_limits.yaml").read_text(encoding="utf-8")
    (root / "rent_limits.yaml").write_text(rent_limits, encoding="utf-8")
    return root


def test_the_real_knowledge_base_is_valid():
    assert check_knowledge(REPO / "knowledge") == []


def test_a_small_valid_base_loads(tmp_path):
    kb = load_knowledge(make_kb(tmp_path))
    assert [e.id for e in kb.entries] == ["eerste", "tweede"]
    assert kb.regions["testregio"].municipalities[0].name == "Testdorp"


@pytest.mark.parametrize(
    ("change", "where", "says"),
    [
        (lambda e: e.replace("id: tweede", "id: eerste"), "qa/test.yaml:8", "bestaat al"),
        (
            lambda e: e.replace("follow_ups: [tweede]", "follow_ups: [derde]"),
            "qa/test.yaml:2",
            "verwijst nergens heen",
        ),
        (
            lambda e: e.replace("answer: Het tweede antwoord.", "answer: ''"),
            "qa/test.yaml:11",
            "leeg",
        ),
        (
            lambda e: e.replace("region: testregio", "region: atlantis"),
            "qa/test.yaml:8",
            "onbekende regio",
        ),
        (
            lambda e: e.replace(
                "region: testregio", "region: testregio\n    municipality: nergenshuizen"
            ),
            "qa/test.yaml:8",
            "onbekende gemeente",
        ),
        (
            lambda e: e.replace("Het <b>eerste</b> antwoord.", "Het <b>eerste antwoord."),
            "qa/test.yaml:5",
            "Telegram weigert",
        ),
        (
            lambda e: e.replace("Het <b>eerste</b> antwoord.", "Prijs & <blink>kwaliteit</blink>"),
            "qa/test.yaml:5",
            "Unsupported start tag",
        ),
        (
            lambda e: e.replace(
                "    sources: [{seed: 003_8346a4a5425ec99e.txt, date: 2018-12-07}]\n    follow_ups",
                "    follow_ups",
            ),
            "qa/test.yaml:2",
            "sources ontbreekt",
        ),
        (
            lambda e: e.replace(
                "    alternates: [tweede vraag]", "    alternates: [tweede vraag]\n    antwoord: x"
            ),
            "qa/test.yaml:11",
            "onbekende sleutel",
        ),
        (
            lambda e: e.replace("  - id: tweede\n", "  - id: tweede\n    id: dubbel\n"),
            "qa/test.yaml:9",
            "twee keer",
        ),
        (lambda e: e.replace("id: eerste", "id: Eerste Vraag!"), "qa/test.yaml:2", "id alleen"),
        (
            lambda e: e.replace("alternates: [tweede vraag]", "alternates: tweede vraag"),
            "qa/test.yaml:10",
            "lijst",
        ),
        (lambda e: e + "  - [niet, een, mapping]\n", "qa/test.yaml:1", "mapping"),
        (
            lambda e: e.replace("question: Wat is de eerste vraag?", "question: [kapot"),
            "qa/test.yaml:4",
            "begonnen op regel 3",
        ),
    ],
)
def test_each_kind_of_problem_is_reported_with_file_and_line(tmp_path, change, where, says):
    problems = check_knowledge(make_kb(tmp_path, entries=change(ENTRIES)))
    assert any(p.startswith(where) and says in p for p in problems), problems


def test_region_problems_are_reported(tmp_path):
    region = (
        REGION.replace("name: Testregio\n", "")
        + "agreements:\n  - {text: 600 woningen, number: 600}\n"
    )
    problems = check_knowledge(make_kb(tmp_path, region=region))
    assert any(
        p.startswith("regions/testregio.yaml:1") and "name ontbreekt" in p for p in problems
    ), problems
    assert any("getal zonder bron" in p for p in problems), problems


def test_glossary_terms_become_entries_and_are_checked(tmp_path):
    glossary = "terms:\n  - term: Omklapwoning\n    abbreviations: [OKW]\n    definition: Eerst <i>zorg</i>, dan huurder.\n    sources: [{name: x}]\nsynonyms:\n  - [woning, huis]\n  - [alleen]\n"
    root = make_kb(tmp_path, glossary=glossary)
    problems = check_knowledge(root)
    assert problems == [
        "glossary.yaml:6: synonyms: elke groep is een lijst van minstens twee woorden"
    ]
    kb = load_knowledge(make_kb(tmp_path / "ok", glossary=glossary.replace("  - [alleen]\n", "")))
    assert (
        kb.entry("begrip-omklapwoning").answer
        == "<b>Omklapwoning</b>: Eerst <i>zorg</i>, dan huurder."
    )
    assert kb.abbreviations == {"okw": "Omklapwoning"}


def test_kb_check_command_reports_and_exits_nonzero(tmp_path):
    root = make_kb(tmp_path, entries=ENTRIES.replace("follow_ups: [tweede]", "follow_ups: [derde]"))
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "kb", "check", "--dir", str(root)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stdout.startswith(
        "qa/test.yaml:2: vraag eerste: follow_up 'derde' verwijst nergens heen"
    )
    ok = subprocess.run(
        [sys.executable, "-m", "bot.cli", "kb", "check"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert ok.returncode == 0 and "kennisbank in orde" in ok.stdout


def test_reload_with_a_broken_file_keeps_the_old_base(tmp_path, config, store, clock):
    import dataclasses

    from bot.services import Services, open_knowledge

    root = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", root)
    cfg = dataclasses.replace(config, knowledge_dir=root)
    kb, index = open_knowledge(cfg)
    svc = Services(config=cfg, store=store, clock=clock, kb=kb, index=index)
    next(root.glob("qa/*.yaml")).write_text("entries: [\n", encoding="utf-8")
    problems = reload_knowledge(svc)
    assert problems and "ongeldige YAML" in problems[0]
    assert svc.kb is kb and svc.index is index
    # Fixed again: the new base goes into service.
    shutil.rmtree(root)
    shutil.copytree(REPO / "knowledge", root)
    assert reload_knowledge(svc) == []
    assert svc.kb is not kb


def test_reload_keeps_the_old_base_when_a_region_in_use_is_gone(tmp_path, config, store, clock):
    import dataclasses

    from bot.services import Services, open_knowledge

    org = store.add_organisation("Gemeente Assen", "gemeente", "assen", clock.now())
    store.add_user(3001, "coordinator", org.id, "assen", clock.now())
    root = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", root)
    cfg = dataclasses.replace(config, knowledge_dir=root)
    kb, index = open_knowledge(cfg)
    svc = Services(config=cfg, store=store, clock=clock, kb=kb, index=index)
    # A valid base without Assen, where someone still works.
    (root / "regions" / "assen.yaml").unlink()
    (root / "qa" / "regio-assen.yaml").unlink()
    assert check_knowledge(root) == []
    assert reload_knowledge(svc) == [
        "regio 'assen' ontbreekt, maar er werken nog gebruikers in (region still in use)"
    ]
    assert svc.kb is kb


async def test_sighup_reload_keeps_the_old_base_and_logs_why(
    tmp_path, config, store, clock, caplog
):
    import dataclasses

    from bot.localapi.server import LocalBotApi
    from bot.wiring.app import _reload_knowledge, build_application

    root = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", root)
    cfg = dataclasses.replace(config, knowledge_dir=root)
    api = LocalBotApi(clock=clock)
    app = build_application(cfg, store, clock, token=api.token, request=api.request())
    svc = app.bot_data["services"]
    kb = svc.kb
    (root / "glossary.yaml").write_text("terms: [\n", encoding="utf-8")
    # What SIGHUP starts, as a task of its own.
    await _reload_knowledge(app)
    assert svc.kb is kb
    assert any("knowledge base not reloaded" in r.getMessage() for r in caplog.records)
    assert [e["action"] for e in store.audit_entries()] == ["kb.reload"]


@pytest.mark.parametrize(
    "key", ["municipalities", "agreements", "demo_organisations", "allocation_rules"]
)
def test_wrong_shapes_in_region_files_are_problems_not_crashes(tmp_path, key):
    problems = check_knowledge(
        make_kb(
            tmp_path,
            region=REGION.replace("municipalities:\n  - {id: testdorp, name: Testdorp}\n", "")
            + f"{key}: 5\n",
        )
    )
    assert any(p.startswith("regions/testregio.yaml:") and key in p for p in problems), problems


def test_the_bot_refuses_to_start_on_an_invalid_knowledge_base(tmp_path):
    root = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", root)
    (root / "glossary.yaml").write_text("terms:\n  - term: x\n", encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text(f"knowledge_dir: {root}\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "--config", str(config), "shell", "--demo"],
        input=":quit\n",
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("weerthuis: kennisbank ongeldig: glossary.yaml:2:")
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ("agreements:\n  - {text: x, number: .nan, source: {name: y}}\n", "number geen getal"),
        ("agreements:\n  - {text: x, years: tien, source: {name: y}}\n", "years geen geheel getal"),
        ("agreements:\n  - {text: x, number: 5, source: gewoon tekst}\n", "bron moet seed of name"),
        ("agreements:\n  - {text: x, kind: wens}\n", "kind is afspraak of resultaat"),
        ("agreements:\n  - {text: x, wanneer: morgen}\n", "onbekende sleutel"),
        ("parties:\n  municipalities: [Atlantis]\n", "gemeente 'Atlantis' onbekend"),
        ("joined: {jaar: 2019}\n", "onbekende sleutel"),
    ],
)
def test_agreements_parties_and_joined_are_checked(tmp_path, extra, says):
    problems = check_knowledge(make_kb(tmp_path, region=REGION + extra))
    assert any(p.startswith("regions/testregio.yaml:") and says in p for p in problems), problems


def test_a_name_may_belong_to_one_region_only(tmp_path):
    root = make_kb(tmp_path)
    (root / "regions" / "ander.yaml").write_text(
        "id: ander\nname: Ander\naliases: [Testdorp]\nsources: [{name: x}]\n", encoding="utf-8"
    )
    problems = check_knowledge(root)
    assert any("naam 'Testdorp' hoort ook bij regio" in p for p in problems), problems


def test_places_and_places_elsewhere_may_not_name_a_region_twice(tmp_path):
    root = make_kb(tmp_path, region=REGION + "places: [Testgehucht, '']\n")
    (root / "elsewhere.yaml").write_text(
        "sources: [{name: CBS}]\nplaces: [Ergens, Testgehucht, Testdorp]\nextra: 1\n",
        encoding="utf-8",
    )
    problems = check_knowledge(root)
    assert problems == [
        "regions/testregio.yaml:28: regio testregio: places bevat een lege regel (empty item)",
        "elsewhere.yaml:3: elsewhere: onbekende sleutel 'extra' (unknown key)",
        "elsewhere.yaml:2: elsewhere: 'Testgehucht' hoort bij regio 'testregio'",
        "elsewhere.yaml:2: elsewhere: 'Testdorp' hoort bij regio 'testregio'",
    ]
    # Without the clashes both load, and the places name their region in a question.
    (root / "elsewhere.yaml").write_text(
        "sources: [{name: CBS}]\nplaces: [Ergens]\n", encoding="utf-8"
    )
    (root / "regions" / "testregio.yaml").write_text(
        REGION + "places: [Testgehucht]\n", encoding="utf-8"
    )
    kb = load_knowledge(root)
    assert (kb.regions["testregio"].places, kb.elsewhere) == (("Testgehucht",), ("Ergens",))


def test_answers_may_not_carry_contact_details(tmp_path):
    entries = ENTRIES.replace(
        "Het tweede antwoord.", "Mail naar info@voorbeeld.nl of bel 020-1234567."
    )
    problems = check_knowledge(make_kb(tmp_path, entries=entries))
    assert any("e-mailadres en een telefoonnummer" in p for p in problems), problems


def test_duplicate_glossary_terms_are_reported_with_their_line(tmp_path):
    glossary = "terms:\n  - {term: MO, definition: a, sources: [{name: x}]}\n  - {term: MO, definition: b, sources: [{name: x}]}\n"
    problems = check_knowledge(make_kb(tmp_path, glossary=glossary))
    assert "glossary.yaml:3: id 'begrip-mo' bestaat al (glossary.yaml:2)" in problems


def test_a_region_can_bring_its_own_uitstroomprofielen(tmp_path):
    region = (
        REGION
        + "profiles:\n  - {id: a, label: Profiel A, help: Uitleg, source: {name: x}}\n  - {id: b, label: Profiel B}\n"
    )
    problems = check_knowledge(make_kb(tmp_path, region=region))
    assert any("profiel b: source ontbreekt" in p for p in problems), problems
    kb = load_knowledge(
        make_kb(tmp_path / "ok", region=region.replace("  - {id: b, label: Profiel B}\n", ""))
    )
    assert kb.facts["testregio"].profiles == (("a", "Profiel A", "Uitleg"),)


def test_kb_check_with_a_folder_needs_no_config_file(tmp_path):
    root = make_kb(tmp_path / "kennis")
    env = {k: v for k, v in os.environ.items() if k not in ("WEERTHUIS_CONFIG", "WEERTHUIS_DB")}
    assert not (tmp_path / "config.yaml").exists()
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "kb", "check", "--dir", str(root)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "kennisbank in orde: 2 vragen en antwoorden, 1 regio's\n"
    (root / "qa" / "test.yaml").write_text(
        ENTRIES.replace("follow_ups: [tweede]", "follow_ups: [derde]"), encoding="utf-8"
    )
    broken = subprocess.run(
        [sys.executable, "-m", "bot.cli", "kb", "check", "--dir", str(root)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert (broken.returncode, broken.stderr) == (1, "1 probleem gevonden\n")
    assert (
        broken.stdout == "qa/test.yaml:2: vraag eerste: follow_up 'derde' verwijst nergens heen\n"
    )


# --- allocation rules and rent limits ------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "where", "says"),
    [
        ("  example: true\n  quota:", "  loting: true\n  quota:", 8, "onbekende sleutel 'loting'"),
        ("  quota:\n    example: true\n", "  quota:\n", 9, "zonder bron moet example: true"),
        ("homes: 12", "homes: -3", 11, "homes moet een positief getal zijn"),
        ("start: 2026-01-01", "start: morgen", 12, "start moet een datum zijn"),
        ("per_year: 4", "per_year: veel", 15, "per_year moet een geheel getal van 0 tot 10000"),
        ("    example: true\n    per_year", "    per_year", 13, "zonder bron moet example: true"),
        ("rule: gemeente", "rule: fietsenstalling", 17, "onbekende regel 'fietsenstalling'"),
        ("rule: huishouden_kamers", "rule: gemeente", 18, "regel 'gemeente' staat er twee keer"),
        ("{1: 1, 2: 2}", "{1: 1, 2: 0}", 19, "personen en kamers zijn gehele getallen"),
        ("min_rooms: {1: 1, 2: 2}", "areas: {x: [testdorp]}", 19, "onbekende sleutel 'areas'"),
        ("urgency_bonus_days: 90", "urgency_bonus_days: -5", 21, "urgency_bonus_days moet"),
        ("weight_days: 60", "weight_days: -1", 22, "weight_days moet een getal van 0 tot 1000"),
        ("[aanmelddatum, code]", "[leeftijd]", 23, "tie_breaker kent alleen aanmelddatum, code"),
        ("approval: matchpunt", "approval: loting", 25, "approval is matchpunt of direct"),
        ("deadline_working_days: 5", "deadline_working_days: 0", 26, "van 1 tot 60"),
        ("cap_override: reden_verplicht", "cap_override: altijd", 27, "cap_override is"),
    ],
)
def test_kb_check_refuses_each_kind_of_broken_rule_with_file_and_line(
    tmp_path, old, new, where, says
):
    assert old in REGION
    problems = check_knowledge(make_kb(tmp_path, region=REGION.replace(old, new, 1)))
    assert any(p.startswith(f"regions/testregio.yaml:{where}: ") and says in p for p in problems), (
        problems
    )


TWO_PLACES = REGION.replace(
    "  - {id: testdorp, name: Testdorp}\n",
    "  - {id: testdorp, name: Testdorp, neighbourhoods: [Centrum, De Hoek]}\n"
    "  - {id: anderdorp, name: Anderdorp}\n",
).replace(
    "    start: 2026-01-01\n",
    "    start: 2026-01-01\n    key:\n      example: true\n      shares: {testdorp: 60, anderdorp: 40}\n",
)


def test_a_two_municipality_region_with_a_valid_key_loads(tmp_path):
    kb = load_knowledge(make_kb(tmp_path, region=TWO_PLACES))
    rules = kb.facts["testregio"].allocation_rules
    assert rules.quota.key == {"testdorp": 60.0, "anderdorp": 40.0}
    assert rules.quota.per_year == 12.0
    assert [r.id for r in rules.eligibility] == ["gemeente", "huishouden_kamers"]
    assert rules.eligibility[1].params == {"min_rooms": {1: 1, 2: 2}}
    assert rules.caps.cap("testdorp", "de-hoek") == 4


@pytest.mark.parametrize(
    ("old", "new", "where", "says"),
    [
        (
            "{testdorp: 60, anderdorp: 40}",
            "{testdorp: 60, anderdorp: 30}",
            16,
            "tellen op tot 90, niet 100",
        ),
        (
            "{testdorp: 60, anderdorp: 40}",
            "{testdorp: 100}",
            16,
            "aandeel ontbreekt voor anderdorp",
        ),
        (
            "anderdorp: 40}",
            "anderdorp: 20, atlantis: 20}",
            16,
            "gemeente 'atlantis' hoort niet bij de regio",
        ),
        (
            "      example: true\n      shares",
            "      shares",
            14,
            "key zonder bron moet example: true",
        ),
        (
            "    key:\n      example: true\n      shares: {testdorp: 60, anderdorp: 40}\n",
            "",
            10,
            "key (verdeelsleutel) ontbreekt",
        ),
        (
            "    per_year: 4\n",
            "    per_year: 4\n    overrides: {testdorp: {de-hoek: 2, kerkbuurt: 1}}\n",
            20,
            "wijk 'kerkbuurt' ligt niet in testdorp",
        ),
        (
            "    per_year: 4\n",
            "    per_year: 4\n    municipalities: {atlantis: 3}\n",
            20,
            "gemeente 'atlantis' hoort niet bij de regio",
        ),
        (
            "    - rule: gemeente\n",
            "    - rule: werkgebied\n      areas: {Zorg BV: [testdorp, atlantis]}\n",
            22,
            "werkgebied: gemeente atlantis hoort niet bij de regio",
        ),
    ],
)
def test_kb_check_refuses_a_broken_key_cap_or_area(tmp_path, old, new, where, says):
    assert old in TWO_PLACES
    problems = check_knowledge(make_kb(tmp_path, region=TWO_PLACES.replace(old, new, 1)))
    assert any(p.startswith(f"regions/testregio.yaml:{where}: ") and says in p for p in problems), (
        problems
    )


def test_a_region_without_allocation_rules_is_refused(tmp_path):
    region = REGION[: REGION.index("allocation_rules:")]
    problems = check_knowledge(make_kb(tmp_path, region=region))
    assert problems == [
        "regions/testregio.yaml:1: allocation_rules ontbreekt (write example rules: example: true)"
    ]


def test_a_quota_takes_its_number_from_an_agreement(tmp_path):
    region = REGION.replace("    example: true\n    homes: 12\n", "    agreement: pact\n") + (
        "agreements:\n  - id: pact\n    text: 1.780 uitstromers in tien jaar\n    number: 1780\n"
        "    period: totaal\n    years: 10\n    source: {name: Testbron}\n"
    )
    quota = (
        load_knowledge(make_kb(tmp_path, region=region)).facts["testregio"].allocation_rules.quota
    )
    assert (quota.per_year, quota.years, quota.agreement) == (178.0, 10, "pact")
    broken = region.replace("agreement: pact", "agreement: onbekend")
    problems = check_knowledge(make_kb(tmp_path / "b", region=broken))
    assert any(
        p.startswith("regions/testregio.yaml:10: ") and "afspraak 'onbekend' bestaat niet" in p
        for p in problems
    ), problems


RENT = """\
years:
  - year: 2026
    kwaliteitskortingsgrens: 498.20
    lage_aftoppingsgrens: 713.02
    hoge_aftoppingsgrens: 764.14
    liberalisatiegrens: 932.93
    to_confirm: [lage_aftoppingsgrens]
    source: {name: Rijksoverheid}
"""


@pytest.mark.parametrize(
    ("old", "new", "where", "says"),
    [
        (
            "lage_aftoppingsgrens: 713.02",
            "lage_aftoppingsgrens: 400",
            2,
            "de grenzen moeten oplopen",
        ),
        ("    source: {name: Rijksoverheid}\n", "", 2, "rent_limits 2026: source ontbreekt"),
        (
            "liberalisatiegrens: 932.93",
            "liberalisatiegrens: veel",
            6,
            "liberalisatiegrens ontbreekt of is geen bedrag",
        ),
        ("[lage_aftoppingsgrens]", "[huurgrens]", 7, "onbekende grens huurgrens"),
        ("year: 2026", "year: 26", 2, "year moet een geheel getal van 2000 tot 2100"),
    ],
)
def test_kb_check_refuses_broken_rent_limits_with_the_line(tmp_path, old, new, where, says):
    root = make_kb(tmp_path)
    (root / "rent_limits.yaml").write_text(RENT.replace(old, new, 1), encoding="utf-8")
    problems = check_knowledge(root)
    assert any(p.startswith(f"rent_limits.yaml:{where}: ") and says in p for p in problems), (
        problems
    )


def test_the_rent_limits_of_a_year_and_of_a_year_not_yet_published(tmp_path):
    root = make_kb(tmp_path)
    (root / "rent_limits.yaml").write_text(RENT, encoding="utf-8")
    kb = load_knowledge(root)
    from bot.knowledge.rules import limits_for

    assert limits_for(kb.rent_limits, 2026).amounts["lage_aftoppingsgrens"] == 713.02
    assert limits_for(kb.rent_limits, 2027).year == 2026  # not yet published: the latest
    assert limits_for(kb.rent_limits, 2025) is None
    assert kb.rent_limits[2026].to_confirm == ("lage_aftoppingsgrens",)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("  quota:\n", "  quota: 5\n  quota_was:\n"),
        ("    - rule: gemeente\n", "    - 5\n"),
        ("min_rooms: {1: 1, 2: 2}", "min_rooms: 5"),
        ("min_rooms: {1: 1, 2: 2}", "min_rooms: {een: twee}"),
        ("spread: {weight_days: 60, steepness: 2}", "spread: [60, 2]"),
        ("spread: {weight_days: 60, steepness: 2}", "spread: {weight_days: .nan, steepness: 2}"),
        ("tie_breaker: [aanmelddatum, code]", "tie_breaker: 5"),
        ("per_year: 4", "per_year: true"),
        ("    per_year: 4\n", "    per_year: 4\n    overrides: [1, 2]\n"),
        ("  decision:\n", "  decision: []\n  decision_was:\n"),
        ("homes: 12", "homes: [12]"),
        ("    - rule: gemeente\n", "    - rule: werkgebied\n      areas: [x]\n"),
        ("    - rule: gemeente\n", "    - rule: werkgebied\n      areas: {x: 5}\n"),
    ],
)
def test_wrong_shapes_in_the_rules_are_problems_not_crashes(tmp_path, old, new):
    assert old in REGION
    problems = check_knowledge(make_kb(tmp_path, region=REGION.replace(old, new, 1)))
    assert problems and all(p.startswith("regions/testregio.yaml:") for p in problems), problems


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("rule: gemeente", "rule: [a, b]", "onbekende regel"),
        ("rule: gemeente", "rule: {a: 1}", "onbekende regel"),
        ("    homes: 12\n", "    homes: 12\n    source: Pact\n", "source: moet een mapping zijn"),
        ("start: 2026-01-01", "start: 2021-01-01 10:00:00", "start moet een datum zijn"),
    ],
)
def test_hostile_rule_values_are_reported_not_crashed_on(tmp_path, old, new, says):
    assert old in REGION
    problems = check_knowledge(make_kb(tmp_path, region=REGION.replace(old, new, 1)))
    assert any(says in p for p in problems), problems


def test_a_rent_limit_source_must_be_a_mapping(tmp_path):
    root = make_kb(tmp_path)
    (root / "rent_limits.yaml").write_text(
        RENT.replace("    source: {name: Rijksoverheid}\n", "    source: Rijksoverheid 2026\n"),
        encoding="utf-8",
    )
    assert check_knowledge(root) == [
        "rent_limits.yaml:8: source: moet een mapping zijn (must be a mapping)"
    ]


def test_a_quota_from_29_february_ends_on_1_march_and_caps_take_names_or_slugs(tmp_path):
    region = (
        REGION.replace("start: 2026-01-01", "start: 2024-02-29\n    years: 3")
        .replace(
            "  - {id: testdorp, name: Testdorp}\n",
            "  - {id: testdorp, name: Testdorp, neighbourhoods: [De Hoek]}\n",
        )
        .replace("    per_year: 4\n", "    per_year: 4\n    overrides: {testdorp: {De Hoek: 2}}\n")
    )
    rules = load_knowledge(make_kb(tmp_path, region=region)).facts["testregio"].allocation_rules
    from datetime import date

    assert rules.quota.ends() == date(2027, 3, 1)
    assert rules.caps.cap("testdorp", "de-hoek") == 2


def test_an_outside_word_the_search_reads_as_the_knowledge_bases_own_is_a_problem(tmp_path):
    """Spelled differently, read the same: "vragen" is the entries' "vraag" to the search, and
    "Testdorp" is a place of the region. Either would decline questions the base answers."""
    root = make_kb(tmp_path)
    (root / "outside.yaml").write_text(
        "subjects:\n"
        "  - {subject: vragenlijsten, words: [vragen]}\n"
        "  - {subject: het dorp, words: [testdorp]}\n"
        "  - {subject: toeslagen, words: [zorgtoeslag]}\n",
        encoding="utf-8",
    )
    assert check_knowledge(root) == [
        "outside.yaml: buiten 'vragenlijsten': 'vragen' staat in de kennisbank zelf (als 'vrag')",
        "outside.yaml: buiten 'het dorp': 'testdorp' is in de kennisbank al een synoniem of een"
        " plaats",
    ]


def test_subjects_outside_are_words_or_short_phrases_the_knowledge_base_does_not_use(tmp_path):
    root = make_kb(tmp_path)
    (root / "outside.yaml").write_text(
        "subjects:\n"
        "  - subject: toeslagen\n"
        "    words: [zorgtoeslag, Huur Toeslag, vraag, eerste vraag, in de kennisbank staat]\n"
        "  - subject: dubbel\n"
        "    words: [zorgtoeslag]\n"
        "  - {subject: iets, extra: 1}\n"
        "  - subject: leeg\n",
        encoding="utf-8",
    )
    assert check_knowledge(root) == [
        "outside.yaml:3: buiten 'toeslagen': 'Huur Toeslag' is geen woord of woordgroep in kleine"
        " letters",
        "outside.yaml:3: buiten 'toeslagen': 'vraag' staat in de kennisbank zelf",
        "outside.yaml:3: buiten 'toeslagen': 'eerste vraag' staat in de kennisbank zelf",
        "outside.yaml:3: buiten 'toeslagen': 'in de kennisbank staat' heeft meer dan 3 woorden",
        "outside.yaml:5: buiten 'dubbel': 'zorgtoeslag' staat ook bij 'toeslagen'",
        "outside.yaml:6: buiten: onbekende sleutel 'extra' (unknown key)",
        "outside.yaml:6: buiten 'iets': words ontbreekt (missing)",
        "outside.yaml:7: buiten 'leeg': words ontbreekt (missing)",
    ]
    (root / "outside.yaml").write_text(
        "subjects:\n  - {subject: toeslagen, words: [zorgtoeslag, huurtoeslag, huur toeslag]}\n",
        encoding="utf-8",
    )
    assert load_knowledge(root).outside == {
        "zorgtoeslag": "toeslagen",
        "huurtoeslag": "toeslagen",
        "huur toeslag": "toeslagen",
    }


async def test_a_reload_loads_and_indexes_off_the_event_loop(
    tmp_path, config, store, clock, monkeypatch
):
    """Indexing trains the phrasing model (a second or more): in a worker thread, so the bot
    answers others meanwhile; the swap and the audit line happen on the loop's thread."""
    import dataclasses
    import threading

    import bot.services as services
    from bot.services import Services, open_knowledge, reload_knowledge_in_background

    cfg = dataclasses.replace(config, knowledge_dir=REPO / "knowledge")
    kb, index = open_knowledge(cfg)
    svc = Services(config=cfg, store=store, clock=clock, kb=kb, index=index)
    loaded_on = []

    def recording_open(config):
        loaded_on.append(threading.current_thread())
        return open_knowledge(config)

    monkeypatch.setattr(services, "open_knowledge", recording_open)
    assert await reload_knowledge_in_background(svc, "tester") == []
    assert loaded_on and loaded_on[0] is not threading.main_thread()
    assert svc.kb is not kb
    assert [(r["actor"], r["action"]) for r in store.db["audit_log"].rows][-1:] == [
        ("tester", "kb.reload")
    ]
