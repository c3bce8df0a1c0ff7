"""A region's own soft-landing rules (`aftercare:` in its file): a check-in plan that replaces
the default of config.yaml, one per uitstroomprofiel, and the omklap year (when the care
provider and the corporation decide, and the criteria they decide by). Read and checked with
a line for every problem, as `kb check` shows them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from pathlib import Path

from bot.config import CheckinStep
from bot.knowledge.checker import Checker, LineMapping

AFTERCARE_KEYS = {"example", "note", "plan", "profiles", "omklap", "hours"}
HOURS_KEYS = {"start", "end"}
STEP_KEYS = {"day", "before", "after"}
OMKLAP_KEYS = {"example", "decisions_at_months", "flip_at_month", "criteria"}
# The days a month of the omklap year counts (the plan counts days after the move-in).
DAYS_PER_MONTH = 30.4


@dataclass(frozen=True)
class OmklapRules:
    # Months after the move-in when both parties are asked, and when the lease flips.
    decisions_at_months: tuple[int, ...] = (9, 11)
    flip_at_month: int = 12
    criteria: tuple[str, ...] = ()
    example: bool = False


@dataclass(frozen=True)
class AftercareRules:
    plan: tuple[CheckinStep, ...] = ()  # empty: the default of config.yaml
    profiles: dict[str, tuple[CheckinStep, ...]] = field(default_factory=dict)
    omklap: OmklapRules = field(default_factory=OmklapRules)
    example: bool = False
    note: str = ""
    # The region's own working hours for prompts (weekdays); None: config.yaml's.
    hours: tuple[time, time] | None = None

    def plan_for(self, profile: str | None, default: tuple[CheckinStep, ...]):
        """The plan of a candidate with uitstroomprofiel `profile`."""
        return self.profiles.get(profile or "") or self.plan or default


def read_aftercare(
    check: Checker, path: Path, region: LineMapping, profile_ids: set[str]
) -> AftercareRules:
    """The region's `aftercare` section (absent: the defaults); `profile_ids` are the
    uitstroomprofielen a plan may be given for."""
    raw = region.get("aftercare")
    if raw is None:
        return AftercareRules()
    data = check.mapping(path, raw, region.key_lines.get("aftercare", region.line), "aftercare")
    if data is None:
        return AftercareRules()
    check.keys(path, data, AFTERCARE_KEYS, "aftercare")
    plan = _plan(check, path, data, "plan", "aftercare.plan")
    profiles: dict[str, tuple[CheckinStep, ...]] = {}
    raw_profiles = data.get("profiles")
    if raw_profiles is not None:
        section = check.mapping(path, raw_profiles, _line(data, "profiles"), "aftercare.profiles")
        for profile in section or {}:
            where = f"aftercare.profiles.{profile}"
            if str(profile) not in profile_ids:
                known = ", ".join(sorted(profile_ids))
                check.add(
                    path,
                    _line(section, str(profile)),
                    f"{where}: onbekend uitstroomprofiel (kies uit: {known})",
                )
                continue
            steps = _plan(check, path, section, str(profile), where)
            if steps:
                profiles[str(profile)] = steps
    return AftercareRules(
        plan=plan,
        profiles=profiles,
        omklap=_omklap(check, path, data),
        hours=_hours(check, path, data),
        example=data.get("example") is True,
        note=check.text(path, data, "note", "aftercare", required=False),
    )


def _line(data: LineMapping, key: str) -> int:
    return data.key_lines.get(key, data.line)


def _whole(check, path, data: LineMapping, key: str, where: str, low: int, high: int, default):
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        check.add(
            path,
            _line(data, key),
            f"{where}: {key} moet een geheel getal van {low} tot {high} zijn",
        )
        return None
    return value


def _plan(check, path, data: LineMapping, key: str, where: str) -> tuple[CheckinStep, ...]:
    """A list of check-ins, days rising, no window reaching into the next one."""
    items = check.items(path, data, key, where)
    if data.get(key) is not None and not items:
        check.add(path, _line(data, key), f"{where}: een lege lijst (an empty plan)")
    steps: list[CheckinStep] = []
    for n, item in enumerate(items, start=1):
        step = check.mapping(path, item, _line(data, key), f"{where}[{n}]")
        if step is None:
            continue
        check.keys(path, step, STEP_KEYS, f"{where}[{n}]")
        day = _whole(check, path, step, "day", f"{where}[{n}]", 1, 3650, None)
        before = _whole(check, path, step, "before", f"{where}[{n}]", 0, 60, 0)
        after = _whole(check, path, step, "after", f"{where}[{n}]", 0, 90, 3)
        if day is None or before is None or after is None:
            continue
        if before >= day:
            check.add(path, step.line, f"{where}[{n}]: before moet kleiner zijn dan day")
            continue
        if steps:
            last = steps[-1]
            if day <= last.day:
                check.add(path, step.line, f"{where}[{n}]: dagen moeten oplopen (days rise)")
                continue
            if day - before <= last.day + last.after:
                check.add(
                    path,
                    step.line,
                    f"{where}[{n}]: het venster begint voor het vorige sluit (dag "
                    f"{last.day + last.after}); twee check-ins tegelijk vraagt niemand",
                )
                continue
        steps.append(CheckinStep(day, before, after))
    return tuple(steps)


def _hours(check, path, data: LineMapping) -> tuple[time, time] | None:
    raw = data.get("hours")
    if raw is None:
        return None
    section = check.mapping(path, raw, _line(data, "hours"), "aftercare.hours")
    if section is None:
        return None
    check.keys(path, section, HOURS_KEYS, "aftercare.hours")
    found = []
    for key in ("start", "end"):
        value = str(section.get(key, ""))
        try:
            found.append(time.fromisoformat(value) if len(value) == 5 else None)
        except ValueError:
            found.append(None)
        if found[-1] is None:
            check.add(path, _line(section, key), f"aftercare.hours: {key} is een tijd als 09:00")
    if None in found:
        return None
    if not found[0] < found[1]:
        check.add(path, section.line, "aftercare.hours: start moet voor end liggen")
        return None
    return found[0], found[1]


def _omklap(check, path, data: LineMapping) -> OmklapRules:
    raw = data.get("omklap")
    if raw is None:
        return OmklapRules()
    section = check.mapping(path, raw, _line(data, "omklap"), "aftercare.omklap")
    if section is None:
        return OmklapRules()
    check.keys(path, section, OMKLAP_KEYS, "aftercare.omklap")
    flip = _whole(check, path, section, "flip_at_month", "aftercare.omklap", 2, 36, 12) or 12
    months: list[int] = []
    for value in check.items(path, section, "decisions_at_months", "aftercare.omklap"):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value < flip:
            check.add(
                path,
                _line(section, "decisions_at_months"),
                f"aftercare.omklap: decisions_at_months zijn maanden van 1 tot {flip} "
                "(voor flip_at_month)",
            )
            return OmklapRules()
        if months and value <= months[-1]:
            check.add(
                path,
                _line(section, "decisions_at_months"),
                "aftercare.omklap: decisions_at_months moeten oplopen",
            )
            return OmklapRules()
        months.append(value)
    return OmklapRules(
        decisions_at_months=tuple(months) or OmklapRules.decisions_at_months,
        flip_at_month=flip,
        criteria=check.texts(path, section, "criteria", "aftercare.omklap"),
        example=section.get("example") is True,
    )
