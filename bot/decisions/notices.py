"""The Dutch texts of the decision workflow's messages (Telegram HTML)."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from bot.decisions.reasons import CARE, SIDE_LABELS, col, label
from bot.forms.dutch_dates import format_date
from bot.forms.dwelling import DWELLING_FORM
from bot.forms.engine import FormContext, describe

# What the care side sees of a proposed home (never the address before a match).
HOME_FIELDS = ("neighbourhood", "type", "rooms", "floor", "lift", "accessible", "net_rent")


def esc(text: object) -> str:
    return html.escape(str(text), quote=False)


def moment(when: datetime) -> str:
    """'vrijdag 9 januari 2026, 09:00'."""
    return f"{format_date(when.date())}, {when:%H:%M}"


def home_lines(dwelling: dict[str, Any], ctx: FormContext) -> list[str]:
    """Municipality, neighbourhood, rooms, rent, floor…: what the care side needs to judge."""
    names = {o.value: o.label for o in ctx.municipalities}
    draft = {**dwelling["facts"], "municipality": dwelling["municipality"]}
    lines = [f"Gemeente: {names.get(dwelling['municipality'], dwelling['municipality'])}"]
    for field in DWELLING_FORM.fields:
        if field.key in HOME_FIELDS and field.key in draft:
            value = draft[field.key]
            if field.key == "neighbourhood":
                shown = str(value) if value else "—"
            else:
                shown = describe(field, value, ctx, draft)
            lines.append(f"{field.label}: {shown}")
    if draft.get("available_from"):
        field = DWELLING_FORM.field("available_from")
        lines.append(f"{field.label}: {describe(field, draft['available_from'], ctx, draft)}")
    return lines


def proposed(side: str, proposal: dict[str, Any], facts: list[str], deadline: datetime) -> str:
    """To a party: a new proposal, what it is about, and until when to answer."""
    candidate, dwelling = proposal["candidate_code"], proposal["dwelling_code"]
    if side == CARE:
        head = (
            f"🏠 <b>Voordracht</b>: je kandidaat <b>{candidate}</b> voor woning <b>{dwelling}</b>."
        )
    else:
        head = (
            f"👤 <b>Voordracht</b> voor je woning <b>{dwelling}</b>: kandidaat <b>{candidate}</b>."
        )
    body = "\n".join(esc(line) for line in facts)
    return (
        f"{head}\n\n{body}\n\nGaat {'de cliënt' if side == CARE else 'de corporatie'} akkoord? "
        f"Graag je antwoord vóór {moment(deadline)}."
    )


def reminder(proposal: dict[str, Any], deadline: datetime) -> str:
    return (
        f"⏰ Herinnering: de voordracht van <b>{proposal['candidate_code']}</b> voor "
        f"<b>{proposal['dwelling_code']}</b> wacht nog op je antwoord (uiterlijk "
        f"{moment(deadline)})."
    )


def stalled(proposal: dict[str, Any], missing: list[tuple[str, list[str]]]) -> str:
    """The deadline passed: who has not answered, by name, so the matchpunt knows whom to
    call."""
    lines = [
        f"⏳ De termijn van de voordracht van <b>{proposal['candidate_code']}</b> voor "
        f"<b>{proposal['dwelling_code']}</b> is verstreken. Nog geen antwoord van:"
    ]
    for side, names in missing:
        who = f": {esc(', '.join(names))}" if names else ""
        lines.append(f"• {SIDE_LABELS[side]}{who}")
    lines.append("Neem contact op, of trek de voordracht in.")
    return "\n".join(lines)


def declined(proposal: dict[str, Any], side: str) -> str:
    reason = label(side, proposal[col(side, "reason")])
    note = proposal[col(side, "note")]
    lines = [
        f"❌ <b>Niet akkoord</b> van {SIDE_LABELS[side]} voor <b>{proposal['candidate_code']}</b> "
        f"en <b>{proposal['dwelling_code']}</b>.",
        f"Reden: {esc(reason)}",
    ]
    if note:
        lines.append(f"Toelichting: <i>{esc(note)}</i>")
    lines.append(
        "Bevestig je dit (dan gaat de woning naar de volgende kandidaat), of stuur je het terug "
        "met een notitie?"
    )
    return "\n".join(lines)


def ended(proposal: dict[str, Any], why: str) -> str:
    return (
        f"De voordracht van <b>{proposal['candidate_code']}</b> voor "
        f"<b>{proposal['dwelling_code']}</b> is beëindigd: {esc(why)}."
    )


def sent_back(proposal: dict[str, Any], note: str, deadline: datetime) -> str:
    return (
        f"↩️ Het matchpunt vraagt je de voordracht van <b>{proposal['candidate_code']}</b> voor "
        f"<b>{proposal['dwelling_code']}</b> opnieuw te bekijken.\nNotitie: <i>{esc(note)}</i>\n"
        f"Graag je antwoord vóór {moment(deadline)}."
    )


def matched(proposal: dict[str, Any], address: str | None, ask_date: bool) -> str:
    lines = [
        f"🎉 <b>Match</b>: <b>{proposal['candidate_code']}</b> en woning "
        f"<b>{proposal['dwelling_code']}</b>; beide partijen zijn akkoord."
    ]
    if address:
        lines.append(f"Adres: {esc(address)}")
    if ask_date:
        lines.append("Vul de verhuisdatum in zodra die bekend is.")
    return "\n".join(lines)


def move_in_set(proposal: dict[str, Any], day) -> str:
    return (
        f"📅 Verhuisdatum van <b>{proposal['candidate_code']}</b> naar "
        f"<b>{proposal['dwelling_code']}</b>: {format_date(day)}."
    )


def moved(proposal: dict[str, Any]) -> str:
    return (
        f"🔑 <b>{proposal['candidate_code']}</b> is verhuisd naar "
        f"<b>{proposal['dwelling_code']}</b>. De kandidaat staat nu op verhuisd, de woning op "
        "verhuurd."
    )


def offer(
    dwelling_code: str, home: list[str], top: list[tuple[str, float, list[str]]], title: str
) -> str:
    """To the matchpunt: a home with its best candidates (`title` says why it comes)."""
    lines = [f"🏠 <b>{title}</b>", *(esc(line) for line in home), ""]
    if not top:
        lines.append("Er is nu geen wachtende kandidaat die past.")
        return "\n".join(lines)
    lines.append("De beste kandidaten:")
    for n, (code, score, reasons) in enumerate(top, start=1):
        lines.append(f"{n}. <b>{code}</b> (score {score:g})")
        lines += [f"   {esc(reason)}" for reason in reasons]
    return "\n".join(lines)


def digest(stalled: list[tuple[dict[str, Any], int]], declined: list[dict[str, Any]]) -> str:
    """The morning overview: proposals past their deadline, and declines that wait for the
    matchpunt's decision."""
    lines = ["☀️ <b>Overzicht</b>"]
    if stalled:
        noun = "voordracht" if len(stalled) == 1 else "voordrachten"
        lines.append(f"{len(stalled)} {noun} waarvan de termijn is verstreken:")
        lines += [
            f"• <b>{p['candidate_code']}</b> voor <b>{p['dwelling_code']}</b>: "
            f"{days} dag{'en' if days != 1 else ''} open"
            for p, days in stalled
        ]
    if declined:
        noun = "afwijzing wacht" if len(declined) == 1 else "afwijzingen wachten"
        lines.append(f"{len(declined)} {noun} op je besluit (bevestigen of terugsturen):")
        lines += [
            f"• <b>{p['candidate_code']}</b> voor <b>{p['dwelling_code']}</b>" for p in declined
        ]
    return "\n".join(lines)
