"""The dwelling report (/woning): a home that comes free for the agreed quota."""

from __future__ import annotations

from bot.forms.engine import Field, Form, FormContext, Option
from bot.knowledge.base import slug

YES_NO = [Option("ja", "Ja"), Option("nee", "Nee")]
TYPES = [
    Option("appartement", "Appartement"),
    Option("eengezinswoning", "Eengezinswoning"),
    Option("benedenwoning", "Benedenwoning"),
    Option("maisonnette", "Maisonnette"),
    Option("studio", "Studio"),
]


def _municipalities(ctx: FormContext, draft: dict) -> list[Option]:
    return list(ctx.municipalities)


def _neighbourhoods(ctx: FormContext, draft: dict) -> list[Option]:
    names = ctx.neighbourhoods.get(draft.get("municipality", ""), ())
    # Stable values: another municipality's list must never turn "Centrum" into something else.
    return [Option(slug(name), name) for name in names]


def _contacts(ctx: FormContext, draft: dict) -> list[Option]:
    # Only people of the dwelling's own corporation (a coordinator chose it a step earlier).
    return ctx.people("corporation", str(draft.get("organisation") or ""))


DWELLING_FORM = Form(
    name="woning",
    title="Woning aanmelden",
    noun="aanmelding van een woning",
    fields=(
        Field(
            "municipality",
            "Gemeente",
            "In welke <b>gemeente</b> staat de woning?",
            "choice",
            _municipalities,
        ),
        Field(
            "neighbourhood",
            "Wijk",
            "In welke <b>wijk</b>? (Kies Overslaan als de wijk er niet bij staat.)",
            "choice",
            _neighbourhoods,
            required=False,
            show_if=lambda d, ctx: bool(_neighbourhoods(ctx, d)),
        ),
        Field(
            "type", "Soort woning", "Wat voor <b>woning</b> is het?", "choice", lambda ctx, d: TYPES
        ),
        Field(
            "rooms",
            "Kamers",
            "Hoeveel <b>kamers</b> (woonkamer meegeteld)?",
            "number",
            low=1,
            high=8,
            shortcuts=(("1", "1"), ("2", "2"), ("3", "3"), ("4", "4")),
        ),
        Field(
            "floor",
            "Verdieping",
            "Op welke <b>verdieping</b>? Typ een getal (0 is de begane grond).",
            "number",
            low=0,
            high=40,
            shortcuts=(("Begane grond", "0"), ("1", "1"), ("2", "2"), ("3", "3")),
        ),
        Field(
            "lift",
            "Lift",
            "Is er een <b>lift</b>?",
            "choice",
            lambda ctx, d: YES_NO,
            show_if=lambda d, ctx: (d.get("floor") or 0) > 0,
        ),
        Field(
            "accessible",
            "Toegankelijk",
            "Is de woning <b>toegankelijk</b> voor rolstoel of rollator?",
            "choice",
            lambda ctx, d: YES_NO,
        ),
        Field(
            "pets_allowed",
            "Huisdieren",
            "Zijn <b>huisdieren</b> toegestaan in deze woning?",
            "choice",
            lambda ctx, d: YES_NO,
        ),
        Field(
            "net_rent",
            "Kale huur",
            "Wat is de <b>kale huur</b> per maand? Typ een bedrag.",
            "money",
            low=100,
            high=2000,
        ),
        Field(
            "service_costs",
            "Servicekosten",
            "Wat zijn de <b>servicekosten</b> per maand? Typ een bedrag.",
            "money",
            low=0,
            high=500,
            shortcuts=(("Geen", "0"),),
        ),
        Field(
            "available_from",
            "Beschikbaar vanaf",
            "Vanaf wanneer is de woning <b>beschikbaar</b>? Typ een datum, bijvoorbeeld 1-3 of "
            "over 2 weken.",
            "date",
            shortcuts=(("Nu", "vandaag"),),
        ),
        Field(
            "omklap",
            "Omklapwoning",
            "Wordt het een <b>omklapwoning</b> (het eerste jaar huurt de zorgaanbieder)?",
            "choice",
            lambda ctx, d: YES_NO,
        ),
        Field(
            "organisation",
            "Corporatie",
            "Van welke <b>corporatie</b> is de woning?",
            "choice",
            lambda ctx, d: ctx.organisations("corporatie"),
            show_if=lambda d, ctx: ctx.is_coordinator,
        ),
        Field(
            "contact",
            "Contactpersoon",
            "Wie is de <b>contactpersoon</b> bij de corporatie?",
            "choice",
            _contacts,
        ),
        Field(
            "street_address",
            "Adres",
            "Het <b>adres</b> (straat en huisnummer) mag je toevoegen: alleen de partijen van een "
            "geaccepteerde match zien het. Typ het, of kies Overslaan.",
            "address",
            required=False,
        ),
    ),
)
