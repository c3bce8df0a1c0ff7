"""The matchpunt's decision workflow after a proposal: both parties answer in chat
(`workflow`), a decline goes to the coordinator, deadlines bring reminders, stalls and a
morning digest (`due`), and a match leads to the move (`workflow.set_move_in`, `due`).

Who the parties are is `parties`; what a party may give as a reason is `reasons`; the Dutch
texts are `notices`; working days are `working_days`. Messages go through the outbox
(`bot.messaging.outbox`), queued in the transaction of the change that causes them.
"""
