"""/woning: corporation staff (or a coordinator) report a home that comes free."""

from __future__ import annotations

from telegram.ext import ConversationHandler

from bot.decisions import workflow
from bot.forms.dwelling import DWELLING_FORM
from bot.records.registry import DWELLINGS
from handlers.form_flow import FormFlow


def confirm(row: dict, edited: bool) -> str:
    if edited:
        return f"✅ <b>{row['code']}</b> is bijgewerkt."
    return (
        f"✅ Woning aangemeld als <b>{row['code']}</b>.\n\n"
        "Het regionaal matchpunt ziet hem nu en kan een kandidaat voordragen. Het adres blijft "
        "verborgen tot een match is geaccepteerd."
    )


def build_handler(timeout_minutes: int) -> ConversationHandler:
    return FormFlow(
        form=DWELLING_FORM,
        command="woning",
        prefix="w",
        kind=DWELLINGS,
        confirm=confirm,
        timeout_minutes=timeout_minutes,
        save=workflow.report_dwelling,
    ).build()
