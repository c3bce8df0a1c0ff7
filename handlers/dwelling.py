"""/woning: corporation staff (or a coordinator) report a home that comes free."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ConversationHandler

from bot.access.roles import NotAllowedError, User
from bot.forms.dwelling import DWELLING_FORM
from bot.forms.engine import FormContext, Option
from bot.records import registry
from bot.records.form_contexts import as_id, person_label
from handlers.candidate import form_context as region_context
from handlers.common import Context, services
from handlers.form_flow import FormFlow


def form_context(context: Context, user: User) -> FormContext:
    """The region's context, with the caller's own colleagues as contact persons."""
    svc = services(context)
    base = region_context(context, user)

    def contacts(role: str, organisation: str) -> list[Option]:
        # Corporation staff report their own corporation's homes; a coordinator chose the
        # corporation a step earlier.
        corporation = user.organisation_id if user.role == "corporation" else as_id(organisation)
        people = registry.contacts(svc.store, user, corporation)
        return [
            Option(str(u.telegram_id), _contact_label(u, user))
            for u in sorted(people, key=lambda u: u.telegram_id != user.telegram_id)
        ]

    return FormContext(
        region_id=base.region_id,
        municipalities=base.municipalities,
        neighbourhoods=base.neighbourhoods,
        today=base.today,
        organisations=base.organisations,
        people=contacts,
        region_name=base.region_name,
        is_coordinator=base.is_coordinator,
        profiles=base.profiles,
    )


def _contact_label(person: User, caller: User) -> str:
    if person.telegram_id != caller.telegram_id:
        return person_label(person)
    return "Ikzelf (matchpunt)" if caller.role == "coordinator" else "Ikzelf"


def load(context: Context, user: User, code: str) -> tuple[dict, str]:
    """The answers of a dwelling the caller may change, as a draft, and its version."""
    svc = services(context)
    row = registry.read(svc.store, svc.clock.now(), user, registry.DWELLINGS, code)
    if not registry.may_change(user, registry.DWELLINGS, row):
        raise NotAllowedError(code)
    if row["status"] not in registry.EDITABLE_STATUSES:
        raise NotAllowedError(code)  # the card offers no edit then; a forged button gets none
    draft = {
        **row["facts"],
        "municipality": row["municipality"],
        "organisation": str(row["organisation_id"]),
    }
    if row.get("street_address"):
        draft["street_address"] = row["street_address"]
    # The neighbourhood is stored by name; the form speaks in options.
    ctx = form_context(context, user)
    options = DWELLING_FORM.field("neighbourhood").option_list(ctx, draft)
    by_label = {o.label: o.value for o in options}
    if draft.get("neighbourhood") in by_label:
        draft["neighbourhood"] = by_label[draft["neighbourhood"]]
    return draft, registry.version(row)


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
    """Store the dwelling (the flow has re-checked every choice); returns the reply."""
    svc = services(context)
    ctx = form_context(context, user)
    facts = {
        k: v
        for k, v in draft.items()
        if k not in ("street_address", "municipality", "organisation")
    }
    # The neighbourhood is kept by name: option values are only the form's shorthand.
    names = {o.value: o.label for o in DWELLING_FORM.field("neighbourhood").option_list(ctx, draft)}
    if facts.get("neighbourhood"):
        facts["neighbourhood"] = names.get(facts["neighbourhood"], facts["neighbourhood"])
    columns = {"municipality": draft["municipality"], "street_address": draft.get("street_address")}
    if draft.get("organisation"):
        columns["organisation_id"] = int(draft["organisation"])
    if record is not None:
        row = registry.change_facts(
            svc.store,
            svc.clock.now(),
            user,
            registry.DWELLINGS,
            record,
            facts,
            replace=True,
            based_on=version,
            **columns,
        )
        return f"✅ <b>{row['code']}</b> is bijgewerkt."
    row = registry.register(
        svc.store, svc.clock.now(), user, registry.DWELLINGS, facts, draft_id=draft_id, **columns
    )
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
        save=save,
        make_context=form_context,
        load=load,
        timeout_minutes=timeout_minutes,
    ).build()
