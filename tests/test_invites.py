"""Invites in the core: random, single-use, expiring, scoped to the inviter's region."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.access.invites import (
    CODE_ALPHABET,
    CODE_LENGTH,
    AlreadyRegisteredError,
    InvalidInviteError,
    InviteTermsError,
    RedeemThrottle,
    TooManyTriesError,
    create_invite,
    redeem_invite,
)
from bot.access.roles import NotAllowedError
from bot.demo import DEMO_REGION, DEMO_USERS, seed_demo


@pytest.fixture
def demo(store, regions, clock):
    seed_demo(store, regions, clock.now())
    other = store.add_organisation(
        "Gemeente Midden-Groningen", "gemeente", "midden-groningen", clock.now()
    )
    coordinator = store.user(DEMO_USERS["coordinator"])
    corporation = store.organisation_by_name("Woonopmaat", DEMO_REGION)
    return coordinator, corporation, other


def test_seed_demo_is_idempotent(store, regions, clock, demo):
    users, orgs = store.count("users"), store.count("organisations")
    seed_demo(store, regions, clock.now())
    assert (store.count("users"), store.count("organisations")) == (users, orgs)
    assert {u.role for u in store.users()} == set(DEMO_USERS)


def test_invite_round_trip(store, clock, demo):
    coordinator, corporation, _ = demo
    invite = create_invite(
        store,
        clock.now(),
        role="corporation",
        organisation_id=corporation.id,
        region=DEMO_REGION,
        valid_days=7,
        inviter=coordinator,
    )
    assert len(invite.code) == CODE_LENGTH and set(invite.code) <= set(CODE_ALPHABET)
    user = redeem_invite(store, clock.now(), invite.code.lower(), 555)
    assert (user.role, user.organisation_id, user.region) == (
        "corporation",
        corporation.id,
        DEMO_REGION,
    )
    with pytest.raises(InvalidInviteError):
        redeem_invite(store, clock.now(), invite.code, 556)
    with pytest.raises(AlreadyRegisteredError):
        redeem_invite(store, clock.now(), invite.code, 555)
    actions = [e["action"] for e in store.audit_entries(record_id=invite.code)]
    assert actions == ["invite.create", "user.register"]


def test_codes_are_random(store, clock, demo):
    coordinator, corporation, _ = demo
    codes = {
        create_invite(
            store,
            clock.now(),
            role="corporation",
            organisation_id=corporation.id,
            region=DEMO_REGION,
            valid_days=1,
            inviter=coordinator,
        ).code
        for _ in range(50)
    }
    assert len(codes) == 50


def test_expired_invite_is_refused_and_nothing_is_written(store, clock, demo):
    coordinator, corporation, _ = demo
    invite = create_invite(
        store,
        clock.now(),
        role="corporation",
        organisation_id=corporation.id,
        region=DEMO_REGION,
        valid_days=1,
        inviter=coordinator,
    )
    clock.advance(timedelta(days=1, seconds=1))
    users = store.count("users")
    with pytest.raises(InvalidInviteError):
        redeem_invite(store, clock.now(), invite.code, 777)
    assert store.count("users") == users
    assert store.invite(invite.code).used_by is None


@pytest.mark.parametrize(
    "code", ["", "x" * 500, "ABCDEFGHJKL0", "'; DROP TABLE users;--", "🙂" * 12]
)
def test_garbage_codes_are_invalid(store, clock, demo, code):
    with pytest.raises(InvalidInviteError):
        redeem_invite(store, clock.now(), code, 888)


def test_coordinator_invites_only_in_own_region(store, clock, demo):
    coordinator, _, other = demo
    with pytest.raises(NotAllowedError):
        create_invite(
            store,
            clock.now(),
            role="coordinator",
            organisation_id=other.id,
            region="midden-groningen",
            valid_days=7,
            inviter=coordinator,
        )
    with pytest.raises(InviteTermsError):
        # The organisation from another region, smuggled into an invite for one's own region.
        create_invite(
            store,
            clock.now(),
            role="coordinator",
            organisation_id=other.id,
            region=DEMO_REGION,
            valid_days=7,
            inviter=coordinator,
        )


def test_role_must_fit_organisation_kind(store, clock, demo):
    coordinator, corporation, _ = demo
    with pytest.raises(InviteTermsError):
        create_invite(
            store,
            clock.now(),
            role="field_worker",
            organisation_id=corporation.id,
            region=DEMO_REGION,
            valid_days=7,
            inviter=coordinator,
        )


def test_non_coordinators_cannot_invite(store, clock, demo):
    _, corporation, _ = demo
    field_worker = store.user(DEMO_USERS["field_worker"])
    with pytest.raises(NotAllowedError):
        create_invite(
            store,
            clock.now(),
            role="corporation",
            organisation_id=corporation.id,
            region=DEMO_REGION,
            valid_days=7,
            inviter=field_worker,
        )


def test_throttle_blocks_guessing_for_an_hour(clock):
    throttle = RedeemThrottle(max_failures=3)
    for _ in range(3):
        assert throttle.allowed(9, clock.now())
        throttle.failed(9, clock.now())
    assert not throttle.allowed(9, clock.now())
    assert throttle.allowed(10, clock.now())
    clock.advance(timedelta(hours=1, seconds=1))
    assert throttle.allowed(9, clock.now())


def test_redeeming_with_a_throttle_counts_wrong_codes_and_stops_guessers(store, clock, demo):
    coordinator, corporation, _ = demo
    invite = create_invite(
        store,
        clock.now(),
        role="corporation",
        organisation_id=corporation.id,
        region=DEMO_REGION,
        valid_days=7,
        inviter=coordinator,
    )
    throttle = RedeemThrottle(max_failures=2)
    for wrong in ("AAAAAAAAAAAA", "nonsense"):
        with pytest.raises(InvalidInviteError):
            redeem_invite(store, clock.now(), wrong, 901, throttle=throttle)
    # Even the right code is not looked at now: guessing it is what is slowed down.
    with pytest.raises(TooManyTriesError):
        redeem_invite(store, clock.now(), invite.code, 901, throttle=throttle)
    assert store.find_user(901) is None and store.invite(invite.code).used_by is None
    # Someone else is not held up, and a right code does not count against anyone.
    assert redeem_invite(store, clock.now(), invite.code, 902, throttle=throttle).role == (
        "corporation"
    )
    clock.advance(timedelta(hours=1, seconds=1))
    with pytest.raises(InvalidInviteError):  # used now; 901 may try again after the hour
        redeem_invite(store, clock.now(), invite.code, 901, throttle=throttle)


def test_purge_removes_only_long_expired_unused_codes(store, clock, demo):
    coordinator, corporation, _ = demo
    kept = create_invite(
        store,
        clock.now(),
        role="corporation",
        organisation_id=corporation.id,
        region=DEMO_REGION,
        valid_days=1,
        inviter=coordinator,
    )
    used = create_invite(
        store,
        clock.now(),
        role="corporation",
        organisation_id=corporation.id,
        region=DEMO_REGION,
        valid_days=1,
        inviter=coordinator,
    )
    redeem_invite(store, clock.now(), used.code, 4242)
    assert store.purge_invites(clock.now() + timedelta(days=2)) == 1
    assert [i.code for i in store.invites()] == [used.code]
    assert kept.code not in [i.code for i in store.invites()]
