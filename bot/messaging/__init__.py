"""What the bot says on its own: the durable outbox (`outbox`), working hours (`hours`),
the retry policy (`delivery`) and what happens when someone blocked the bot (`blocked`).

The core only queues rows; sending them is the wiring's (`bot.wiring.outbox`).
"""
