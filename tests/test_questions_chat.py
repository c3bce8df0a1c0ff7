"""Questions in chat through the real Application: answers with follow-up and feedback
buttons, "bedoelde je…?", the honest "dat weet ik niet", /onbeantwoord and /herlaad."""

from __future__ import annotations

import shutil

from helpers import talk

from bot.demo import DEMO_USERS


def _entry_with_follow_ups(shell):
    return next(
        e for e in shell.app.bot_data["services"].kb.entries if e.follow_ups and not e.region
    )


async def test_free_text_gets_the_answer_with_follow_ups_and_feedback(shell):
    entry = _entry_with_follow_ups(shell)
    await talk(shell, ":as field_worker", entry.question)
    answer = shell.api.outputs[-1]
    assert answer.kind == "message" and answer.to == DEMO_USERS["field_worker"]
    assert answer.html.startswith(entry.answer)
    assert "Bron:" in answer.text
    labels = [b.label for row in answer.buttons for b in row]
    assert labels[-2:] == ["👍", "👎"]
    assert len(labels) - 2 == len(entry.follow_ups)
    # Following a follow-up shows that entry.
    follow_up = shell.app.bot_data["services"].kb.entry(entry.follow_ups[0])
    await talk(shell, ":press 1")
    assert shell.api.outputs[-1].html.startswith(follow_up.answer)


async def test_thumbs_down_keeps_the_question_for_the_editors(shell):
    entry = _entry_with_follow_ups(shell)
    await talk(shell, ":as corporation", "/vraag " + entry.question)
    transcript = await talk(shell, ":press 👎")
    assert "Dank je. We kijken of het antwoord beter kan." in transcript
    [row] = shell.store.kb_questions()
    assert (row["kind"], row["entry_id"], row["region"]) == (
        "downvote",
        entry.id,
        "ijmond-zuid-kennemerland",
    )
    # A second vote with the same (now spent) button counts nothing.
    message_id = shell.api.outputs[-3].message_id
    shell.api.press(DEMO_USERS["corporation"], message_id, f"kb:down:{'0' * 8}")
    await shell.settle()
    assert len(shell.store.kb_questions()) == 1


async def test_unknown_questions_are_answered_honestly_and_kept_without_identity(shell):
    transcript = await talk(
        shell, ":as support_worker", "wie wint de eredivisie dit jaar, bel me op 0612345678"
    )
    assert "Dat weet ik niet." in transcript
    [row] = shell.store.kb_questions()
    assert row["kind"] == "unanswered"
    assert "0612345678" not in row["text"] and "[telefoon]" in row["text"]
    assert len(row["at"]) == 10  # the day only: with a log line the moment would say who asked
    assert set(row) == {"id", "at", "kind", "text", "region", "entry_id"}


async def test_onbeantwoord_groups_similar_questions_for_coordinators(shell):
    for question in (
        "wanneer gaat het zwembad open",
        "wanneer gaat het zwembad weer open?",
        "zwemles voor kinderen",
    ):
        await talk(shell, ":as field_worker", question)
    transcript = await talk(shell, ":as coordinator", "/onbeantwoord")
    assert "(3, 2 groepen)" in transcript
    assert "• 2× wanneer gaat het zwembad open" in transcript
    refused = await talk(shell, ":as field_worker", "/onbeantwoord")
    assert "Dat kan ik met jouw rol niet voor je doen." in refused


async def test_herlaad_swaps_in_a_valid_base_and_keeps_the_old_on_errors(shell, tmp_path):
    import dataclasses

    from conftest import REPO

    svc = shell.app.bot_data["services"]
    root = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", root)
    svc.config = dataclasses.replace(svc.config, knowledge_dir=root)
    old = svc.kb
    broken = next(root.glob("qa/*.yaml"))
    broken.write_text(broken.read_text(encoding="utf-8") + "\n  - id: kapot\n", encoding="utf-8")
    transcript = await talk(shell, "/herlaad")
    assert "niet</b>" not in transcript  # tags are rendered, not shown
    assert "De kennisbank is niet opnieuw geladen; de vorige blijft in gebruik." in transcript
    assert "question ontbreekt" in transcript
    assert svc.kb is old
    shutil.rmtree(root)
    shutil.copytree(REPO / "knowledge", root)
    transcript = await talk(shell, "/herlaad")
    assert "Kennisbank opnieuw geladen:" in transcript
    assert svc.kb is not old
    assert "Dat kan ik met jouw rol niet" in await talk(shell, ":as corporation", "/herlaad")


async def test_an_english_question_gets_the_english_answer_when_there_is_one(shell):
    from bot.knowledge.search import looks_english

    svc = shell.app.bot_data["services"]
    hits = [
        (entry, phrasing)
        for entry in svc.kb.entries
        if entry.answer_en and not entry.region
        for phrasing in entry.alternates
        if looks_english(phrasing)
        and (result := svc.index.search(phrasing)).found
        and result.entry.id == entry.id
    ]
    assert hits, "no English alternate finds its entry"
    entry, english = hits[0]
    await talk(shell, english)
    assert shell.api.outputs[-1].html.startswith(entry.answer_en)
    # The same entry asked in Dutch answers in Dutch.
    await talk(shell, entry.question)
    assert shell.api.outputs[-1].html.startswith(entry.answer)


async def test_a_chosen_suggestion_keeps_the_askers_words_and_names_the_region(shell):
    # Homes per year: Midden-Groningen has a number, IJmond en Zuid-Kennemerland (the demo
    # users' region) a count of uitstromers. The bot asks which region is meant.
    transcript = await talk(shell, ":as field_worker", "hoeveel woningen per jaar")
    assert "Over welke regio gaat je vraag?" in transcript
    labels = [b.label for row in shell.api.outputs[-1].buttons for b in row]
    assert labels == ["Midden-Groningen", "IJmond en Zuid-Kennemerland", "Nee, iets anders"]
    await talk(shell, ":press 1")
    assert "600" in shell.api.outputs[-1].text
    [row] = shell.store.kb_questions()
    assert (row["kind"], row["text"], row["entry_id"]) == (
        "suggestion",
        "hoeveel woningen per jaar",
        "mg-woningen-per-jaar",
    )
    transcript = await talk(shell, ":as coordinator", "/onbeantwoord")
    assert "Er zijn geen onbeantwoorde vragen." in transcript


def _long_problems(root, count: int, length: int) -> None:
    """A question file whose one entry has `count` unknown keys of `length` characters."""
    keys = "".join(f"    k{i:02d}{'x' * (length - 3)}: 1\n" for i in range(count))
    (root / "qa" / "lang.yaml").write_text(
        "entries:\n  - id: lang\n    question: Een vraag?\n    alternates: [a, b]\n"
        f"    answer: Een antwoord.\n    sources: [{{name: x}}]\n{keys}",
        encoding="utf-8",
    )


async def test_herlaad_with_more_problems_than_a_message_holds_sends_the_first(shell, tmp_path):
    import dataclasses

    from conftest import REPO

    svc = shell.app.bot_data["services"]
    root = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", root)
    svc.config = dataclasses.replace(svc.config, knowledge_dir=root)
    _long_problems(root, count=30, length=600)
    transcript = await talk(shell, "/herlaad")
    # Each problem is cut to 500 characters; seven of them and the count fit in one message.
    assert transcript == (
        "[→ 1001 coordinator] De kennisbank is niet opnieuw geladen; de vorige blijft in gebruik.\n"
        "Problemen:\n"
        f"• qa/lang.yaml:7: vraag lang: onbekende sleutel 'k00{'x' * 449}…\n"
        f"• qa/lang.yaml:8: vraag lang: onbekende sleutel 'k01{'x' * 449}…\n"
        f"• qa/lang.yaml:9: vraag lang: onbekende sleutel 'k02{'x' * 449}…\n"
        f"• qa/lang.yaml:10: vraag lang: onbekende sleutel 'k03{'x' * 448}…\n"
        f"• qa/lang.yaml:11: vraag lang: onbekende sleutel 'k04{'x' * 448}…\n"
        f"• qa/lang.yaml:12: vraag lang: onbekende sleutel 'k05{'x' * 448}…\n"
        f"• qa/lang.yaml:13: vraag lang: onbekende sleutel 'k06{'x' * 448}…\n"
        "… en nog 23 problemen (zie weerthuis kb check)\n"
    )
    assert len(shell.api.outputs[-1].text) <= 4096
    # Short problems: ten of them, then the count.
    _long_problems(root, count=11, length=5)
    transcript = await talk(shell, "/herlaad")
    assert transcript == (
        "[→ 1001 coordinator] De kennisbank is niet opnieuw geladen; de vorige blijft in gebruik.\n"
        "Problemen:\n"
        "• qa/lang.yaml:7: vraag lang: onbekende sleutel 'k00xx' (unknown key)\n"
        "• qa/lang.yaml:8: vraag lang: onbekende sleutel 'k01xx' (unknown key)\n"
        "• qa/lang.yaml:9: vraag lang: onbekende sleutel 'k02xx' (unknown key)\n"
        "• qa/lang.yaml:10: vraag lang: onbekende sleutel 'k03xx' (unknown key)\n"
        "• qa/lang.yaml:11: vraag lang: onbekende sleutel 'k04xx' (unknown key)\n"
        "• qa/lang.yaml:12: vraag lang: onbekende sleutel 'k05xx' (unknown key)\n"
        "• qa/lang.yaml:13: vraag lang: onbekende sleutel 'k06xx' (unknown key)\n"
        "• qa/lang.yaml:14: vraag lang: onbekende sleutel 'k07xx' (unknown key)\n"
        "• qa/lang.yaml:15: vraag lang: onbekende sleutel 'k08xx' (unknown key)\n"
        "• qa/lang.yaml:16: vraag lang: onbekende sleutel 'k09xx' (unknown key)\n"
        "… en nog 1 probleem (zie weerthuis kb check)\n"
    )
