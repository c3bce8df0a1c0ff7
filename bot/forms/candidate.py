"""The candidate registration (/kandidaat): the facts needed for matching, nothing more."""

from __future__ import annotations

from bot.forms.engine import Field, Form, FormContext, Option
from bot.knowledge.rules import euro

HOUSEHOLDS = [
    Option("alleenstaand", "Alleenstaand"),
    Option("stel", "Stel"),
    Option("gezin", "Met kind(eren)"),
]
SUPPORT = [
    Option("licht", "Lichte ambulante begeleiding"),
    Option("regulier", "Reguliere ambulante begeleiding"),
    Option("intensief", "Intensieve ambulante begeleiding"),
    Option("beschermd_zelfstandig", "Beschermd zelfstandig wonen"),
]
# The sources name uitstroomprofielen (Assen) but not their content: these are examples.
PROFILES = [
    Option(
        "zelfstandig",
        "Zelfstandig (voorbeeld)",
        "Kan zelfstandig wonen met lichte of reguliere begeleiding; een gewone huurwoning past.",
    ),
    Option(
        "begeleid",
        "Begeleid zelfstandig (voorbeeld)",
        "Woont zelfstandig met intensieve begeleiding; liever dicht bij steun en voorzieningen.",
    ),
    Option(
        "beschermd_thuis",
        "Beschermd thuis (voorbeeld)",
        "Zelfstandige woning bij elkaar met begeleiding in de buurt, zoals beschermd zelfstandig "
        "wonen van meerdere mensen bij elkaar.",
    ),
]
NEEDS = [
    Option("begane_grond_of_lift", "Begane grond of lift"),
    Option("toegankelijk", "Toegankelijk (rolstoel/rollator)"),
    Option("huisdier", "Huisdier"),
]
RENT_LIMITS = [
    Option("lage_aftoppingsgrens", "Tot de lage aftoppingsgrens"),
    Option("hoge_aftoppingsgrens", "Tot de hoge aftoppingsgrens"),
    Option("liberalisatiegrens", "Tot de liberalisatiegrens"),
    Option("anders", "Een eigen maximum (bedrag)"),
]
YES_NO = [Option("ja", "Ja"), Option("nee", "Nee")]
BOTTLENECKS = [
    Option("huurschuld", "Huurschuld"),
    Option("schuldhulpverlening", "In schuldhulpverlening"),
    Option("overlast_verleden", "Eerder overlast"),
]


def _municipalities(ctx: FormContext, draft: dict) -> list[Option]:
    return list(ctx.municipalities)


def _rent_limits(ctx: FormContext, draft: dict) -> list[Option]:
    """The limits with this year's amounts, so nobody has to look them up."""
    return [
        Option(o.value, f"{o.label} ({euro(ctx.rent_limits[o.value])})", o.help)
        if o.value in ctx.rent_limits
        else o
        for o in RENT_LIMITS
    ]


def _excluded(ctx: FormContext, draft: dict) -> list[Option]:
    wanted = set(draft.get("municipalities") or ())
    return [o for o in ctx.municipalities if o.value not in wanted]


def _support_organisations(ctx: FormContext, draft: dict) -> list[Option]:
    return [*ctx.organisations("zorgaanbieder"), Option("onbekend", "Nog niet bekend")]


def _support_workers(ctx: FormContext, draft: dict) -> list[Option]:
    organisation = draft.get("support_organisation")
    people = (
        ctx.people("support_worker", organisation) if organisation not in (None, "onbekend") else []
    )
    return [*people, Option("onbekend", "Nog niet bekend")]


CANDIDATE_FORM = Form(
    name="kandidaat",
    title="Kandidaat aanmelden",
    noun="aanmelding van een kandidaat",
    fields=(
        Field(
            "municipalities",
            "Gemeenten",
            "In welke <b>gemeenten</b> kan de kandidaat wonen? Kies er een of meer.",
            "multi",
            _municipalities,
        ),
        Field(
            "excluded",
            "Uitgesloten",
            "Zijn er gemeenten in de regio waar de kandidaat <b>niet</b> kan wonen?",
            "multi",
            _excluded,
            required=False,
            skip_label="Geen",
            show_if=lambda d, ctx: bool(_excluded(ctx, d)),
        ),
        Field(
            "household",
            "Huishouden",
            "Hoe ziet het <b>huishouden</b> eruit?",
            "choice",
            lambda ctx, d: HOUSEHOLDS,
        ),
        Field(
            "children",
            "Kinderen",
            "Hoeveel <b>kinderen</b> wonen mee? Typ een aantal.",
            "number",
            low=1,
            high=12,
            shortcuts=(("1", "1"), ("2", "2"), ("3", "3"), ("4", "4")),
            show_if=lambda d, ctx: d.get("household") == "gezin",
        ),
        Field(
            "support",
            "Begeleiding",
            "Welke <b>begeleiding</b> is na de verhuizing nodig?",
            "choice",
            lambda ctx, d: SUPPORT,
        ),
        Field(
            "profile",
            "Uitstroomprofiel",
            "Welk <b>uitstroomprofiel</b> past? (Kies ‘Uitleg’ voor een toelichting.)",
            "choice",
            lambda ctx, d: list(ctx.profiles) or PROFILES,
        ),
        Field(
            "needs",
            "Woonwensen",
            "Wat is nodig in de <b>woning</b>? Zet aan wat geldt en druk op Klaar.",
            "toggles",
            lambda ctx, d: NEEDS,
            required=False,
        ),
        Field(
            "rent_limit",
            "Huurgrens",
            "Tot welke <b>kale huur</b> past de woning bij het inkomen (passend toewijzen)?",
            "choice",
            _rent_limits,
        ),
        Field(
            "max_rent",
            "Maximale huur",
            "Wat is de <b>maximale kale huur</b> per maand? Typ een bedrag.",
            "money",
            low=100,
            high=2000,
            show_if=lambda d, ctx: d.get("rent_limit") == "anders",
        ),
        Field(
            "earliest_move",
            "Verhuizen vanaf",
            "Vanaf wanneer kan de kandidaat <b>verhuizen</b>? Typ een datum, bijvoorbeeld 1-3, "
            "1 maart of over 2 weken.",
            "date",
            shortcuts=(("Zo snel mogelijk", "vandaag"), ("Over een maand", "over een maand")),
        ),
        Field(
            "bottlenecks",
            "Knelpunten",
            "Zijn er <b>knelpunten</b>? Zet aan wat geldt en druk op Klaar.",
            "toggles",
            lambda ctx, d: BOTTLENECKS,
            required=False,
        ),
        Field(
            "urgent",
            "Urgentie",
            "Heeft de kandidaat <b>urgentie</b> (bijvoorbeeld een urgentieverklaring van de "
            "gemeente)? Dan gaat de kandidaat eerder voor.",
            "choice",
            lambda ctx, d: YES_NO,
        ),
        Field(
            "support_organisation",
            "Begeleidende organisatie",
            "Welke <b>organisatie</b> begeleidt na de verhuizing?",
            "choice",
            _support_organisations,
        ),
        Field(
            "support_worker",
            "Woonbegeleider",
            "Wie is de <b>woonbegeleider</b>?",
            "choice",
            _support_workers,
            show_if=lambda d, ctx: d.get("support_organisation") not in (None, "onbekend"),
        ),
        Field(
            "organisation",
            "Aangemeld door",
            "Namens welke <b>organisatie</b> meld je deze kandidaat aan? Die organisatie beheert "
            "de aanmelding.",
            "choice",
            lambda ctx, d: ctx.organisations("zorgaanbieder") + ctx.organisations("gemeente"),
            show_if=lambda d, ctx: ctx.is_coordinator,
        ),
        Field(
            "note",
            "Notitie",
            "Een korte <b>notitie</b> voor de matching (geen namen, BSN, adressen, "
            "telefoonnummers of geboortedata)? Typ hem, of kies Overslaan.",
            "text",
            required=False,
        ),
    ),
)
