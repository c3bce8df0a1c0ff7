"""/kandidaat: a field worker or coordinator registers a candidate, pseudonymously."""

from __future__ import annotations

from telegram.ext import ConversationHandler

from bot.forms.candidate import CANDIDATE_FORM
from bot.records.registry import CANDIDATES
from handlers.form_flow import FormFlow


def confirm(row: dict, edited: bool) -> str:
    if edited:
        return f"✅ <b>{row['code']}</b> is bijgewerkt."
    return (
        f"✅ Opgeslagen als <b>{row['code']}</b>.\n\n"
        "Gebruik deze code als je met anderen over deze kandidaat praat: zo blijft de "
        "kandidaat anoniem. Het regionaal matchpunt ziet de aanmelding nu ook."
    )


def build_handler(timeout_minutes: int) -> ConversationHandler:
    return FormFlow(
        form=CANDIDATE_FORM,
        command="kandidaat",
        prefix="k",
        kind=CANDIDATES,
        confirm=confirm,
        timeout_minutes=timeout_minutes,
    ).build()
