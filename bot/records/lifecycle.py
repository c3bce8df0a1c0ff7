"""Status lifecycles of candidates and dwellings: which transitions exist, enforced in the core.

A candidate goes `aangemeld → voorgedragen → gematcht → verhuisd → nazorg_afgerond`, with the
side exits `gepauzeerd`, `teruggetrokken` and `teruggevallen`, and `doorgestroomd` when a
tenant moves on to other housing; a dwelling goes
`beschikbaar → voorgedragen → toegewezen → verhuurd`, or is `ingetrokken`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

CANDIDATE_STATUSES = {
    "aangemeld": "aangemeld",
    "voorgedragen": "voorgedragen voor een woning",
    "gematcht": "gematcht",
    "verhuisd": "verhuisd",
    "nazorg_afgerond": "nazorg afgerond",
    "gepauzeerd": "gepauzeerd",
    "teruggetrokken": "teruggetrokken",
    "teruggevallen": "teruggevallen",
    "doorgestroomd": "doorgestroomd naar andere woonruimte",
}
CANDIDATE_TRANSITIONS: dict[str, frozenset[str]] = {
    "aangemeld": frozenset({"voorgedragen", "gepauzeerd", "teruggetrokken"}),
    # A proposal that is declined sends the candidate back to the waiting list.
    "voorgedragen": frozenset({"gematcht", "aangemeld", "gepauzeerd", "teruggetrokken"}),
    "gematcht": frozenset({"verhuisd", "aangemeld", "teruggetrokken"}),
    "verhuisd": frozenset({"nazorg_afgerond", "teruggevallen", "doorgestroomd"}),
    "gepauzeerd": frozenset({"aangemeld", "teruggetrokken"}),
    "teruggevallen": frozenset({"aangemeld", "teruggetrokken"}),
    "nazorg_afgerond": frozenset(),
    "teruggetrokken": frozenset(),
    "doorgestroomd": frozenset(),
}
DWELLING_STATUSES = {
    "beschikbaar": "beschikbaar",
    "voorgedragen": "kandidaat voorgedragen",
    "toegewezen": "toegewezen",
    "verhuurd": "verhuurd",
    "ingetrokken": "ingetrokken",
}
DWELLING_TRANSITIONS: dict[str, frozenset[str]] = {
    "beschikbaar": frozenset({"voorgedragen", "ingetrokken"}),
    "voorgedragen": frozenset({"toegewezen", "beschikbaar", "ingetrokken"}),
    "toegewezen": frozenset({"verhuurd", "beschikbaar", "ingetrokken"}),
    "verhuurd": frozenset(),
    "ingetrokken": frozenset(),
}
# Transitions a person asks for need a reason in the audit trail (no personal data in it).
NEEDS_REASON = frozenset(
    {"teruggetrokken", "teruggevallen", "ingetrokken", "gepauzeerd", "doorgestroomd"}
)

# Who may ask for which status change by hand (`registry.transition`), from which status.
# The matching desk's own moves (voordragen, matchen, toewijzen, verhuizen) go through their
# own core functions, never through this table. Leaving `voorgedragen` by hand closes the
# open proposal and returns the other party to waiting.
_CANDIDATE_BY_HAND = frozenset(
    {
        ("aangemeld", "gepauzeerd"),
        ("aangemeld", "teruggetrokken"),
        ("voorgedragen", "gepauzeerd"),
        ("voorgedragen", "teruggetrokken"),
        ("gepauzeerd", "aangemeld"),
        ("gepauzeerd", "teruggetrokken"),
        # The tenant left the home: the placement ends and its check-ins lapse.
        ("verhuisd", "teruggevallen"),
        ("verhuisd", "doorgestroomd"),
        ("teruggevallen", "aangemeld"),
        ("teruggevallen", "teruggetrokken"),
    }
)
_DWELLING_BY_HAND = frozenset(
    {
        ("beschikbaar", "ingetrokken"),
        ("voorgedragen", "ingetrokken"),
        ("toegewezen", "verhuurd"),
    }
)
CHANGES_BY_HAND: dict[str, dict[str, frozenset[tuple[str, str]]]] = {
    "candidates": {"coordinator": _CANDIDATE_BY_HAND, "field_worker": _CANDIDATE_BY_HAND},
    "dwellings": {"coordinator": _DWELLING_BY_HAND, "corporation": _DWELLING_BY_HAND},
}


def changes_by_hand(kind: str, role: str, current: str) -> list[str]:
    """The statuses `role` may move a record of `kind` to from `current`, in a fixed order."""
    allowed = CHANGES_BY_HAND.get(kind, {}).get(role, frozenset())
    order = CANDIDATE_STATUSES if kind == "candidates" else DWELLING_STATUSES
    return [status for status in order if (current, status) in allowed]


class IllegalTransitionError(Exception):
    """That status change does not exist from the current status."""


@dataclass(frozen=True)
class Lifecycle:
    kind: str
    labels: dict[str, str]
    transitions: dict[str, frozenset[str]]

    def check(self, current: str, new: str) -> None:
        """Raise `IllegalTransitionError` unless `current → new` is allowed."""
        if new not in self.transitions.get(current, frozenset()):
            raise IllegalTransitionError(
                f"Een {self.kind} met status '{self.labels.get(current, current)}' kan niet naar "
                f"'{self.labels.get(new, new)}'."
            )

    def next_statuses(self, current: str) -> list[str]:
        return sorted(self.transitions.get(current, frozenset()))


CANDIDATE = Lifecycle("kandidaat", CANDIDATE_STATUSES, CANDIDATE_TRANSITIONS)
DWELLING = Lifecycle("woning", DWELLING_STATUSES, DWELLING_TRANSITIONS)


def waiting_days(row: Mapping[str, Any], today: date) -> int:
    """Whole days since the record was registered."""
    return max(0, (today - datetime.fromisoformat(row["created_at"]).date()).days)
