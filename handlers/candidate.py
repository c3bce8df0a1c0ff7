"""/kandidaat: a field worker or coordinator registers a candidate, pseudonymously."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ConversationHandler

from bot.access.roles import NotAllowedError, User
from bot.forms.candidate import CANDIDATE_FORM
from bot.forms.engine import FormContext, Option
from bot.records import registry
from bot.records.form_contexts import as_id, person_label, region_context
from handlers.common import Context, services
from handlers.form_flow import FormFlow


def form_context(context: Context, user: User) -> FormContext:
    """The caller's region: its municipalities, care providers and support workers."""
    svc = services(context)

    def people(role: str, organisation: str) -> list[Option]:
        workers = registry.support_workers(svc.store, user.region, as_id(organisation))
        return [Option(str(u.telegram_id), person_label(u)) for u in workers]

    return region_context(
        svc.store,
        svc.kb,
        user.region,
        svc.clock.now().date(),
        people=people,
        is_coordinator=user.role == "coordinator",
    )


def load(context: Context, user: User, code: str) -> tuple[dict, str]:
    """The answers of a candidate the caller may change, as a draft, and its version."""
    svc = services(context)
    row = registry.read(svc.store, svc.clock.now(), user, registry.CANDIDATES, code)
    if not registry.may_change(user, registry.CANDIDATES, row):
        raise NotAllowedError(code)
    if row["status"] not in registry.EDITABLE_STATUSES:
        raise NotAllowedError(code)  # the card offers no edit then; a forged button gets none
    return {**row["facts"], "organisation": str(row["organisation_id"])}, registry.version(row)


async def save(
    update: Update,
    context: Context,
    user: User,
    draft: dict,
    record: str | None = None,
    *,
    draft_id: str | None = None,
    version: str | None = None,
) -> str:
    """Store the candidate (the flow has re-checked every choice); returns the reply."""
    svc = services(context)
    columns = {}
    if draft.get("organisation"):
        columns["organisation_id"] = int(draft["organisation"])
    if draft.get("support_organisation") not in (None, "onbekend"):
        columns["support_organisation_id"] = int(draft["support_organisation"])
    if draft.get("support_worker") not in (None, "onbekend"):
        columns["support_worker_id"] = int(draft["support_worker"])
    facts = {k: v for k, v in draft.items() if k != "organisation"}
    if record is not None:
        columns.setdefault("support_organisation_id", None)
        columns.setdefault("support_worker_id", None)
        row = registry.change_facts(
            svc.store,
            svc.clock.now(),
            user,
            registry.CANDIDATES,
            record,
            facts,
            replace=True,
            based_on=version,
            **columns,
        )
        return f"✅ <b>{row['code']}</b> is bijgewerkt."
    row = registry.register(
        svc.store, svc.clock.now(), user, registry.CANDIDATES, facts, draft_id=draft_id, **columns
    )
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
        save=save,
        make_context=form_context,
        load=load,
        timeout_minutes=timeout_minutes,
    ).build()
