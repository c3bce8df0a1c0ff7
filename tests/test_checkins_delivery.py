"""The check-ins' times and delivery: a placement's whole plan is asked on the right working
days at 09:00 local time across the change to summer time (29 March 2026) and back; the
local Bot API's Forbidden, RetryAfter and network errors on a prompt: a prompt Telegram asks
to wait for, or loses the connection for, arrives once; a support worker who blocked the bot
hands their check-ins to the matchpunt."""

from __future__ import annotations

from datetime import datetime, timedelta

from helpers import talk
from test_checkins_chat import _lines, _moved_in

from bot.aftercare import answers, runner
from bot.clock import ManualClock
from bot.config import AftercareConfig
from bot.demo import DEMO_USERS

SUPPORT_WORKER, COORDINATOR = DEMO_USERS["support_worker"], DEMO_USERS["coordinator"]
BLOCKED_TRANSCRIPT = [
    "[→ 1001 coordinator] ⚠️ Woonbegeleider Sanne (Ambulante Begeleiding Haarlem (voorbeeld)) heeft de bot geblokkeerd en krijgt geen berichten meer, totdat die de bot weer een bericht stuurt.",
    "Er stond 1 bericht klaar.",
    "Neem deze zaken over of zoek contact: WT-IZK-0001.",
    "— klok staat op 08-01-2026 09:00; uitgevoerde taken: 1",
    "[→ 1001 coordinator] ⏰ Herinnering: de check-in 3 dagen na verhuizing van WT-IZK-0001 wacht nog op je antwoord.",
    "    [1] ✅ Gaat goed   [2] ⚠️ Zorgen",
    "    [3] 🚨 Acuut probleem   [4] 📵 Niet bereikt",
    "[→ 1001 coordinator] ⏳ De check-in 3 dagen na verhuizing van WT-IZK-0001 is na vijf werkdagen nog niet beantwoord. Neem contact op met de woonbegeleider.",
    "[→ 1001 coordinator] 🏡 Check-in 2 weken na verhuizing: WT-IZK-0001 (Haarlem, Schalkwijk).",
    "Hoe gaat het? Kies wat past; bij zorgen of een acuut probleem vraag ik waar het over gaat.",
    "    [1] ✅ Gaat goed   [2] ⚠️ Zorgen",
    "    [3] 🚨 Acuut probleem   [4] 📵 Niet bereikt",
    "— klok staat op 19-01-2026 09:00; uitgevoerde taken: 4",
    "— je bent nu 1001 coordinator",
    "[→ 1001 coordinator, bewerkt] 🏡 Check-in 2 weken na verhuizing: WT-IZK-0001 (Haarlem, Schalkwijk).",
    "Hoe gaat het? Kies wat past; bij zorgen of een acuut probleem vraag ik waar het over gaat.",
    "",
    "Opgeslagen: ✅ Gaat goed. Dank je!",
]


async def test_the_whole_plan_is_asked_on_working_days_at_nine_across_summer_time(shell, kb):
    proposal = _moved_in(shell, kb)  # moved in on Monday 5 January 2026
    store = shell.store
    clock = ManualClock(shell.clock.tz, start=shell.clock.now())
    worker = store.user(SUPPORT_WORKER)
    asked = []
    # Every hour of the year: what the due work would do, as the job queue wakes it.
    while clock.now() < datetime.fromisoformat("2027-01-10T00:00:00+01:00"):
        now = clock.now()
        if runner.ask_due(store, now, AftercareConfig(), {"haarlem": "Haarlem"}):
            for checkin in store.checkins_of(candidate=proposal["candidate_code"]):
                if checkin["state"] == "klaar":
                    asked.append((checkin["day"], now.isoformat()))
                    answers.answer(store, now, worker, checkin["id"], runner.GOOD)
        clock.advance(timedelta(hours=1))
    assert asked == [
        (3, "2026-01-08T09:00:00+01:00"),  # Thursday
        (14, "2026-01-19T09:00:00+01:00"),  # the window opened on Saturday the 17th
        (42, "2026-02-11T09:00:00+01:00"),  # Wednesday
        (91, "2026-03-30T09:00:00+02:00"),  # the Monday after summer time began
        (182, "2026-06-26T09:00:00+02:00"),  # Friday
        (365, "2026-12-22T09:00:00+01:00"),  # Tuesday, winter time again
    ]


async def test_a_prompt_telegram_asks_to_wait_for_or_loses_arrives_once(shell, kb):
    _moved_in(shell, kb)
    shell.api.inject("sendMessage", "retry_after", chat_id=SUPPORT_WORKER, times=1)
    shell.api.inject("sendMessage", "network", chat_id=SUPPORT_WORKER, times=2)
    await talk(shell, ":advance 3d")
    prompts = [o.text for o in shell.api.outputs if o.to == SUPPORT_WORKER and "Check-in" in o.text]
    assert prompts == [
        "🏡 Check-in 3 dagen na verhuizing: WT-IZK-0001 (Haarlem, Schalkwijk).\n"
        "Hoe gaat het? Kies wat past; bij zorgen of een acuut probleem vraag ik waar het over "
        "gaat."
    ]
    assert shell.api.injected_failures == 3
    [row] = [m for m in shell.store.messages() if m["key"].startswith("checkin:")]
    # Sent in its first round: the quick retries of a lost connection are not a new round.
    assert (row["status"], row["attempts"]) == ("verzonden", 0)


async def test_a_support_worker_who_blocked_the_bot_hands_their_check_ins_to_the_matchpunt(
    shell, kb
):
    _moved_in(shell, kb)
    shell.api.inject("sendMessage", "forbidden", chat_id=SUPPORT_WORKER, times=1)
    out = await talk(
        shell,
        # The first prompt meets Forbidden: the matchpunt hears what waited for Sanne.
        ":advance 3d",
        # The second check-in goes to the matchpunt, which answers it.
        ":advance 11d",
        ":as coordinator",
        ":press Gaat goed",
    )
    assert _lines(out) == BLOCKED_TRANSCRIPT
    assert shell.store.blocked_since(SUPPORT_WORKER) == "2026-01-08T08:00:00+00:00"
