"""The overview as a chart (PNG): per municipality what is placed and in progress against
what is due to date, and how many wait. Matplotlib's object API, without pyplot (no global
state, no display)."""

from __future__ import annotations

import io
from datetime import date

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.forms.dutch_dates import format_date
from bot.reports.stand import Report


def as_png(report: Report) -> bytes:
    names = [m.name for m in report.municipalities]
    placed = [m.placed for m in report.municipalities]
    busy = [m.in_progress for m in report.municipalities]
    due = [m.due_to_date for m in report.municipalities]
    waiting = [m.waiting for m in report.municipalities]
    figure = Figure(figsize=(8, 6), dpi=100)
    FigureCanvasAgg(figure)
    top, bottom = figure.subplots(2, 1, sharex=True)
    x = range(len(names))
    top.bar(x, placed, color="#2b8a3e", label="geplaatst")
    top.bar(x, busy, bottom=placed, color="#f59f00", label="lopend")
    top.scatter(x, due, color="#1c1c1c", marker="_", s=400, label="afgesproken tot nu", zorder=3)
    top.set_title(f"Stand {report.region_name}, {format_date(date.fromisoformat(report.day))}")
    top.set_ylabel("woningen")
    top.legend(loc="upper right", fontsize="small")
    bottom.bar(x, waiting, color="#1971c2")
    bottom.set_ylabel("wachtende kandidaten")
    for axes in (top, bottom):
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    bottom.set_xticks(list(x), names, rotation=30, ha="right")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
