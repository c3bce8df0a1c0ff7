"""The patterns of issue #12 on small cases, on the real knowledge files: a thing one region has,
an organisation or a place for its region, a follow-up, a combined question, everyday words,
compounds and "what is X" questions, each with its opposite."""

from __future__ import annotations

import pytest
from conftest import REPO

from bot.knowledge import asking, commonness
from bot.knowledge.asking import ask, split_question
from bot.knowledge.base import load_knowledge
from bot.knowledge.search import (
    SearchIndex,
    _typo_fixes,
    definition_subject,
    join_separable,
    looks_english,
    question_kind,
    split_pronominal,
    stem,
    words,
)


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build(load_knowledge(REPO / "knowledge"))


def _answered(reply) -> list[str]:
    return [r.entry.id for r in reply.results if r.found]


# --- a region's own things, and the names that point at a region ------------------------------


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        # Only IJmond en Zuid-Kennemerland has a pact, only Zuidoost-Drenthe Johan's blog.
        ("wat houdt het pact van uitstroom in", "ijzk-pact"),
        ("wat is het pact", "ijzk-pact"),
        ("wie schreef de blog over johan", "zod-blog-johan"),
        # A corporation of the region's parties names the region.
        ("hoeveel mensen staan er bij woonopmaat op de wachtlijst", "ijzk-wachtlijst"),
        ("wat spraken domesta en lefier af", "zod-afspraak"),
        # A year is no sign of another subject.
        ("wat hebben de partijen in emmen in 2021 afgesproken", "zod-afspraak"),
        ("welke regio's doen mee in 2024", "regios-welke"),
        # The organisation names the region; what is asked is in the other words ...
        ("wanneer hebben lefier en woonservice getekend", "zod-intentieverklaring"),
        ("hoe staat het met het convenant van lefier", "zod-uitstroomconvenant"),
        # ... unless an entry is about the organisation itself.
        ("wat doet pre wonen voor uitstromers", "haarlem-pre-wonen"),
        # A former municipality, a town, a municipality of the region.
        ("hoeveel woningen per jaar in slochteren", "mg-woningen-per-jaar"),
        ("hoeveel woningen komen er per jaar in hoogezand", "mg-woningen-per-jaar"),
        ("wat doen ze in oud-beijerland", "hoeksche-waard-maatwerk"),
        ("wie helpt de corporaties in velsen bij zwaar sociaal beheer", "ijzk-wijkteams"),
        # The municipality's own entry before its region's.
        ("wat is er in haarlem afgesproken over woonbegeleiding", "haarlem-woonbegeleiding"),
    ],
)
def test_a_region_is_known_by_its_things_organisations_and_places(index, question, entry_id):
    reply = ask(index, question)
    assert (_answered(reply), reply.main.which_region) == ([entry_id], False)


def test_an_organisation_keeps_other_regions_out(index):
    """Asked by someone in Midden-Groningen, a question naming Woonopmaat is about IJmond en
    Zuid-Kennemerland: Midden-Groningen's homes per year are not its answer."""
    reply = ask(
        index, "hoeveel woningen stelt woonopmaat per jaar beschikbaar", region="midden-groningen"
    )
    assert "mg-woningen-per-jaar" not in _answered(reply)
    assert {index.kb.entry(i).region for i in _answered(reply)} <= {"ijmond-zuid-kennemerland"}


def test_a_named_region_wins_over_an_organisations_region(index):
    """Lefier works in Zuidoost-Drenthe, but the question asks about Midden-Groningen."""
    for question in (
        "welke afspraken heeft Lefier in Midden-Groningen",
        "hoeveel woningen levert Lefier in Hoogezand",
    ):
        reply = ask(index, question)
        regions = {index.kb.entry(i).region for i in _answered(reply)}
        regions |= {index.kb.entry(s.entry_id).region for s in reply.main.suggestions}
        assert "zuidoost-drenthe" not in regions, question


@pytest.mark.parametrize(
    "question",
    ["wat is het weer morgen in Haarlem", "hoe laat is het in Haarlem", "hoe groot is Haarlem"],
)
def test_a_place_and_an_everyday_question_get_no_answer(index, question):
    """Only 'what does the region do' gets the region's main entry; these ask something the
    knowledge base does not know."""
    assert not ask(index, question).found


def test_places_outside_the_regions_are_known_too(index):
    """Utrecht and Tilburg are no regions of the programme: no region's agreement answers for
    them, and an entry that mentions one such place is not about another."""
    assert not ask(index, "hoeveel woningen reserveert Utrecht per jaar").found
    reply = ask(index, "is er een matchpunt in tilburg")
    assert [index.kb.entry(i).region for i in _answered(reply)] in ([], [None])
    assert "slotbijeenkomst-2018" not in _answered(reply)


# --- follow-ups ---------------------------------------------------------------------------------


def test_a_follow_up_that_names_a_region_asks_the_question_before_for_it(index):
    first = "wat gebeurt er in limburg als het na de verhuizing misgaat"
    reply = ask(index, "en in ijmond?", previous=first)
    assert (_answered(reply), reply.follows, reply.region) == (
        ["ijzk-zachte-landing"],
        first,
        "ijmond-zuid-kennemerland",
    )
    # An organisation does as well as a region.
    reply = ask(index, "en bij pré wonen?", previous=first)
    assert _answered(reply) == ["ijzk-zachte-landing"]


def test_a_follow_up_without_a_question_before_gets_the_regions_main_entry(index):
    assert _answered(ask(index, "en in ijmond?")) == ["ijzk-pact"]
    assert _answered(ask(index, "emmen?")) == ["zod-afspraak"]
    # After a question that only named a region, too; "de regio" asks nothing of its own.
    reply = ask(index, "en in de regio emmen", previous="wat doen ze in rivierenland")
    assert _answered(reply) == ["zod-afspraak"]


def test_a_question_about_a_region_itself_is_no_follow_up(index):
    """'wat doet Den Haag' asks about Den Haag, whatever came before."""
    reply = ask(index, "wat doet den haag", previous="hoeveel uitstromers verwacht ijmond")
    assert (_answered(reply), reply.follows) == (["den-haag-training"], None)


def test_a_follow_up_the_region_has_no_answer_for_is_not_answered(index):
    """Emmen has no count of uitstromers: suggestions (Emmen's entries first, no other
    region's), no answer."""
    reply = ask(index, "en in emmen?", previous="hoeveel uitstromers verwacht ijmond")
    assert not reply.found
    regions = [index.kb.entry(s.entry_id).region for s in reply.main.suggestions]
    assert regions[0] == "zuidoost-drenthe"
    assert set(regions) <= {"zuidoost-drenthe", None}


@pytest.mark.parametrize(
    ("previous", "question", "entry_id"),
    [
        # The general answer to the question before is not what the region did.
        ("welke regio's doen mee", "en wat is er gebeurd in tiel?", "rivierenland-ervaring"),
        ("which regions take part", "and what happened in culemborg?", "rivierenland-ervaring"),
        # "welke afspraken" asked what Assen does, as its main entry said: so for Velsen too.
        ("welke afspraken gelden in de regio assen", "en in velsen?", "ijzk-pact"),
    ],
)
def test_a_follow_up_on_what_a_region_did_gets_its_main_entry(index, previous, question, entry_id):
    assert _answered(ask(index, question, previous=previous)) == [entry_id]


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("welke gemeenten vallen onder deze regio?", "ijzk-gemeenten"),
        ("hoeveel uitstromers verwachten ze daar?", "ijzk-uitstromers"),
    ],
)
def test_this_region_is_the_region_of_the_answer_before(index, question, entry_id):
    """The Pact van uitstroom is IJmond and Zuid-Kennemerland's, though not said so."""
    reply = ask(index, question, previous="wat houdt het pact van uitstroom in")
    assert _answered(reply) == [entry_id]


@pytest.mark.parametrize(
    ("previous", "question", "entry_id"),
    [
        # Only a question and words pointing back, and no other answer: the answer before
        # says more than the question before asked.
        ("wat is een bestuurlijk drietal?", "wie zitten daarin?", "begrip-bestuurlijk-drietal"),
        ("hoe werkt een check-in na de verhuizing?", "wie krijgt die?", "bot-check-ins"),
        # Only the language: the answer before, in it.
        (
            "welke organisaties zitten achter weer thuis?",
            "and in english?",
            "programma-initiatiefnemers",
        ),
        ("what is the soft landing?", "in het nederlands graag", "begrip-zachte-landing"),
        # "In welke regio?" after a term: the region whose entries are about it.
        ("wat is het regionale matchpunt?", "in welke regio?", "ijzk-matchpunt"),
        ("omklapwoningen", "welke regio?", "eindhoven-omklapwoningen"),
        ("wat zijn uitstroomprofielen?", "waar?", "assen-uitstroomprofielen"),
        ("wat zijn uitstroomprofielen?", "waar hebben ze die", "assen-uitstroomprofielen"),
        ("what is the matchpunt?", "which region has that?", "ijzk-matchpunt"),
    ],
)
def test_a_short_follow_up_asks_more_of_the_answer_before(index, previous, question, entry_id):
    assert _answered(ask(index, question, previous=previous)) == [entry_id]


def test_a_short_follow_up_of_another_kind_is_not_the_answer_before(index):
    """ "en wanneer is dat begonnen?" asks when: the programme's start, not what it is."""
    reply = ask(index, "en wanneer is dat begonnen?", previous="wat is weer thuis eigenlijk?")
    assert _answered(reply) == ["programma-start"]


def test_which_region_is_the_region_of_the_answer_before(index):
    """Alone, a fact several regions have asks which region; after the Pact van uitstroom it
    is its region's."""
    assert ask(index, "verdeling over de wijken?").main.which_region
    reply = ask(index, "verdeling over de wijken?", previous="wat is het pact van uitstroom")
    assert _answered(reply) == ["ijzk-verdeling"]


@pytest.mark.parametrize(
    ("previous", "question", "entry_id"),
    [
        # Everyday words only: it goes on from the answer before, to what that points on to.
        ("wat is weer thuis eigenlijk", "waar vind ik meer info?", "programma-meer-informatie"),
        ("hoe nodig ik een collega uit", "en als ze later vertrekt?", "bot-toegang-intrekken"),
    ],
)
def test_a_follow_up_of_everyday_words_goes_on_from_the_answer_before(
    index, previous, question, entry_id
):
    assert _answered(ask(index, question, previous=previous)) == [entry_id]


@pytest.mark.parametrize(
    ("previous", "question", "entry_id"),
    [
        ("kan ik de bot in een groepsapp gebruiken", "waarom niet?", "bot-groepen"),
        ("hoe stel ik een vraag aan de bot", "which commands are there besides that?", "bot-help"),
    ],
)
def test_a_follow_up_of_a_question_word_asks_it_of_the_subject_before(
    index, previous, question, entry_id
):
    assert _answered(ask(index, question, previous=previous)) == [entry_id]


def test_the_reason_for_a_question_is_not_what_it_asks(index):
    """ "…, want …" says why it is asked; the question before it is what to answer. A reason
    about a subject the knowledge base does not cover still declines."""
    reply = ask(
        index,
        "en wat is dan doorstroom, want bij ons in het team halen ze die twee steeds door elkaar",
        previous="wat betekent uitstroom, want collega's gebruiken het woord verschillend",
    )
    assert _answered(reply) == ["begrip-doorstroom"]
    reply = ask(index, "hoe vraag ik dat aan, want mijn cliënt wil huurtoeslag")
    assert (reply.found, reply.main.outside) == (False, "huurtoeslag")


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        # Who asks and why, then the question: the question is what is asked.
        (
            "ik werk bij een kleine gemeente en we willen graag meedoen. bij wie meld je je als"
            " regio aan?",
            "deelname-aanmelden",
        ),
        (
            "ik ben net begonnen bij het matchpunt. welke gemeenten horen bij ijmond en"
            " zuid-kennemerland?",
            "ijzk-gemeenten",
        ),
        # The opposite: the question is about the one the situation tells of ("hem") ...
        (
            "ik heb een client die al twee jaar in beschermd wonen zit en nu klaar is om zelfstandig"
            " te wonen. hoe meld ik hem aan in de bot?",
            "bot-kandidaat-aanmelden",
        ),
        # ... or about the region it names.
        (
            "Bij Woonopmaat staan heel veel woningzoekenden ingeschreven. Is er voor alle"
            " uitstromers wel een woning?",
            "ijzk-wachtlijst",
        ),
    ],
)
def test_a_situation_then_a_question_of_its_own(index, text, entry_id):
    assert _answered(ask(index, text)) == [entry_id]


def test_what_a_term_named_before_means(index):
    """A term in the message, then "wat betekent dat?": the glossary entry for it; not when
    the message names two."""
    reply = ask(index, "in het overleg zeiden ze steeds 'bw'. wat betekent dat?")
    assert _answered(reply) == ["begrip-bw"]
    text = "iedereen heeft het over een intentieverklaring en ik weet niet eens wat dat is"
    assert _answered(ask(index, text)) == ["begrip-intentieverklaring"]
    assert not ask(index, "in het overleg zeiden ze steeds 'bw' en 'mo'. wat betekent dat?").found


def test_a_term_after_another_kind_of_question_is_not_what_it_means(index):
    """ "en voor een corporatie?" after "wat kan ik met deze bot": the question before for a
    corporation, not what a corporation is; the definition is only offered."""
    reply = ask(index, "en voor een corporatie?", previous="wat kan ik met deze bot")
    assert (reply.found, [s.entry_id for s in reply.main.suggestions]) == (
        False,
        ["begrip-corporatie"],
    )


def test_a_question_for_the_word_for_a_thing_gets_the_glossary(index):
    """Described in everyday words, and asked what it is called: the glossary entry, not the
    one region's agreement about such homes."""
    for text in (
        "hoe heet het als de zorg de woning eerst een jaar huurt en de bewoner daarna het contract krijgt",
        "hoe noem je dat, als de zorgaanbieder de woning het eerste jaar huurt en de cliënt daarna"
        " zelf huurder wordt",
    ):
        assert _answered(ask(index, text)) == ["begrip-omklapwoning"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("whats new", ["what", "is", "new"]),
        ("my code doesnt work", ["my", "code", "does", "not", "work"]),
        ("i cant get in", ["i", "can", "not", "get", "in"]),
        ("im new", ["i", "am", "new"]),
        # Dutch words that look alike stay themselves.
        ("hij woont in de kant", ["hij", "woont", "in", "de", "kant"]),
    ],
)
def test_english_contractions_typed_without_the_apostrophe(text, found):
    assert words(text) == found


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("and in english?", True),
        ("in het engels graag", True),
        ("in het nederlands graag", False),
        ("what is the soft landing in dutch", False),
        ("what is a soft landing", True),
    ],
)
def test_a_language_asked_for_is_the_language_of_the_answer(text, english):
    assert looks_english(text) is english


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        # What the bot (or one with it) can do is the verb: no entry says it.
        ("kan de bot een huurcontract voor de omklapwoning opstellen", None),
        ("kan de bot een kandidaat met huurschuld automatisch afwijzen?", None),
        ("mag de verhuurder het huurcontract opzeggen als een huurder overlast geeft", None),
        # The opposite: an entry that says it, or an everyday verb.
        ("kan ik de bot in onze teamgroep zetten", "bot-groepen"),
        ("kan ik zien welke vragen de bot niet kon beantwoorden", "bot-onbeantwoord"),
    ],
)
def test_whether_one_can_is_answered_by_an_entry_that_says_the_verb(index, question, entry_id):
    assert _answered(ask(index, question)) == ([entry_id] if entry_id else [])


def test_an_abbreviation_is_its_group_and_nothing_more(index):
    """ "wt" is written in one alternate, and is no rarer word than Weer Thuis for that."""
    assert _answered(ask(index, "meer info over wt, waar moet ik zijn?")) == [
        "programma-meer-informatie"
    ]


def test_a_follow_up_asking_what_the_region_does_gets_its_main_entry(index):
    """The Hoeksche Waard has no count of homes; asked how it does it, its main entry answers.
    Its name is two words, and the follow-up is short all the same."""
    reply = ask(
        index,
        "en hoe doen ze het in de hoeksche waard",
        previous="hoeveel woningen stelt midden-groningen beschikbaar",
    )
    assert (_answered(reply), reply.region) == (["hoeksche-waard-maatwerk"], "hoeksche-waard")


@pytest.mark.parametrize(
    ("previous", "question", "entry_id"),
    [
        # The question before, about the term the follow-up names instead of its own.
        ("hoe meld ik een vrijkomende woning aan", "en een kandidaat?", "bot-kandidaat-aanmelden"),
        ("waar staat bw voor?", "en mo?", "begrip-mo"),
        # The answer may be the one before, when it knows the new term too.
        ("wat zijn de afspraken over huurschulden", "en overlast?", "resultaten-procesafspraken"),
        # A place outside the regions, instead of none.
        (
            "hoe meld ik een vrijkomende woning aan",
            "en een kandidaat in utrecht?",
            "bot-kandidaat-aanmelden",
        ),
        # The question before has no answer about the new term: the term alone, not the
        # answer before.
        ("hoeveel uitstromers verwacht ijmond", "en een omklapwoning?", "begrip-omklapwoning"),
        (
            "hoeveel omklapwoningen stelt midden-groningen beschikbaar",
            "en een kandidaat?",
            "begrip-kandidaat",
        ),
    ],
)
def test_a_follow_up_naming_another_term_asks_the_question_before_for_it(
    index, previous, question, entry_id
):
    assert _answered(ask(index, question, previous=previous)) == [entry_id]


@pytest.mark.parametrize(
    ("previous", "question"),
    [
        # "daarna" is no question about what came after the programme ...
        ("wat is een omklapwoning", "en daarna?"),
        # ... and a question about something else gets no region's main entry.
        ("hoe vraag ik zorgtoeslag aan", "hoe werkt dat in emmen?"),
        ("wie wint de eredivisie", "en hoe doen ze het in de hoeksche waard"),
        # Small talk after a question is no question about its subject.
        ("wanneer is weer thuis gestart", "hoe gaat het met je?"),
    ],
)
def test_a_follow_up_is_not_answered_with_what_it_does_not_ask(index, previous, question):
    assert _answered(ask(index, question, previous=previous)) == []


def test_a_follow_up_of_an_unanswered_question_gets_no_main_entry(index):
    reply = ask(index, "en in Haarlem?", previous="wie wint de eredivisie")
    assert not reply.found


def test_a_message_of_many_questions_says_what_it_leaves(index):
    text = "wat is een omklapwoning? wat is een matchpunt? wat is een wijkteam? wat is een bw"
    assert split_question(text) == [
        "wat is een omklapwoning",
        "wat is een matchpunt",
        "wat is een wijkteam wat is een bw",
    ]


def test_a_follow_up_that_refers_back_keeps_the_region(index):
    reply = ask(
        index, "om hoeveel mensen gaat het daar", previous="wat is het pact van uitstroom in ijmond"
    )
    assert _answered(reply) == ["ijzk-uitstromers"]


# --- combined questions -------------------------------------------------------------------------


def test_a_question_that_asks_two_things_gets_both_answers(index):
    reply = ask(
        index,
        "wat is een omklapwoning en hoeveel woningen stelt midden-groningen per jaar beschikbaar",
    )
    assert (_answered(reply), reply.unanswered) == (
        ["begrip-omklapwoning", "mg-woningen-per-jaar"],
        (),
    )


def test_a_clause_that_refers_back_is_read_with_the_clause_before(index):
    # "die" is the uitstroomprofiel: alone, "hoe gebruiken ze die in assen" is no question.
    reply = ask(index, "wat is een uitstroomprofiel en hoe gebruiken ze die in assen")
    assert (_answered(reply), reply.unanswered) == (
        ["begrip-uitstroomprofiel", "assen-uitstroomprofielen"],
        (),
    )


def test_a_clause_that_refers_back_to_what_the_answer_says_is_answered_by_it(index):
    reply = ask(index, "wat is een omklapwoning en wie betaalt de huur daarvan")
    assert (_answered(reply), reply.unanswered) == (["begrip-omklapwoning"], ())


@pytest.mark.parametrize(
    "question",
    [
        # "het" is Weer Thuis: the clause has no subject of its own, so it is the one before.
        "wie zitten er achter weer thuis en wanneer is het gestart",
        # "erachter" is "er achter": who is behind it.
        "wanneer is weer thuis gestart en wie zitten erachter",
        "wie zitten achter weer thuis en wanneer is het van start gegaan",
    ],
)
def test_a_clause_without_a_subject_of_its_own_is_about_the_one_before(index, question):
    reply = ask(index, question)
    assert (sorted(_answered(reply)), reply.unanswered) == (
        ["programma-initiatiefnemers", "programma-start"],
        (),
    )


def test_a_clause_of_only_a_question_word_is_about_the_clause_before(index):
    """ "voor wie is het bedoeld": its one word is "wie", and the target group is asked so."""
    reply = ask(index, "wat is het doel van weer thuis en voor wie is het bedoeld")
    assert (_answered(reply), reply.unanswered) == (["programma-doel", "programma-doelgroep"], ())


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        (
            "wat doen ze in den haag en ook in limburg?",
            ["den-haag-training", "limburg-vroeg-contact"],
        ),
        (
            "kan ik de bot in een groepschat zetten en ook: waar haalt hij zijn antwoorden vandaan",
            ["bot-groepen", "bot-bronnen"],
        ),
    ],
)
def test_another_region_or_a_colon_after_en_ook_is_a_second_question(index, question, answered):
    assert _answered(ask(index, question)) == answered


def test_a_clause_going_on_about_the_asker_is_no_question(index):
    """ "… en moet een notitie schrijven.": a verb without a subject, then a full stop, goes
    on about "ik"; the message asks one thing, and "de gemeente" is not it."""
    text = "ik zit bij de gemeente en moet een notitie schrijven. wat wil weer thuis bereiken?"
    assert len(split_question(text)) == 1
    assert _answered(ask(index, text)) == ["programma-doel"]
    assert split_question("wat is bw en is er een convenant.") == [
        "wat is bw",
        "is er een convenant.",
    ]


def test_a_clause_of_a_question_word_and_a_place_is_about_the_clause_before(index):
    reply = ask(index, "wat is een omklapwoning en hoeveel zijn er in eindhoven")
    assert (_answered(reply), reply.unanswered) == (
        ["begrip-omklapwoning", "eindhoven-resultaat"],
        (),
    )


@pytest.mark.parametrize(
    ("question", "answered", "unanswered"),
    [
        # The opposite: a clause whose own words the answer does not know stays unanswered.
        (
            "wie zitten achter weer thuis en hoeveel kost het",
            ["programma-initiatiefnemers"],
            ("hoeveel kost het",),
        ),
        ("wat doet het matchpunt en waar zit het", ["begrip-matchpunt"], ("waar zit het",)),
        # Another region's answer is none: IJmond's pact, not Emmen's intentieverklaring.
        (
            "wat is het pact in ijmond en wanneer is het getekend",
            ["ijzk-pact"],
            ("wanneer is het getekend",),
        ),
        (
            "hoeveel uitstromers verwacht ijmond en hoe zit het",
            ["ijzk-uitstromers"],
            ("hoe zit het",),
        ),
    ],
)
def test_a_clause_without_words_the_answer_knows_is_not_answered(
    index, question, answered, unanswered
):
    reply = ask(index, question)
    assert (_answered(reply), reply.unanswered) == (answered, unanswered)


def test_a_pronominal_adverb_is_its_preposition():
    assert split_pronominal(words("wie zitten erachter")) == ["wie", "zitten", "er", "achter"]
    assert split_pronominal(words("wat staat daarin")) == ["wat", "staat", "daar", "in"]
    # "ermee" keeps its particle for the verb; "ervaring", "waarom" and "daarna" are words.
    assert split_pronominal(words("ermee ervaring waarom daarna")) == [
        "ermee",
        "ervaring",
        "waarom",
        "daarna",
    ]


def test_a_combined_question_says_which_part_is_not_answered(index):
    reply = ask(index, "wat is een omklapwoning en wie wint de eredivisie dit jaar")
    assert (_answered(reply), reply.unanswered) == (
        ["begrip-omklapwoning"],
        ("wie wint de eredivisie dit jaar",),
    )


@pytest.mark.parametrize(
    ("question", "entry_ids"),
    [
        # The clause asks its own question ("voor wie", "welke") about the subject of the
        # clause before, which the clause before's answer does not answer.
        (
            "wat is het doel van weer thuis en voor wie is dat precies bedoeld",
            ["programma-doel", "programma-doelgroep"],
        ),
        ("hoeveel regios doen mee plus welke zijn dat", ["regios-aantal", "regios-welke"]),
        # A yes/no clause opens with its verb and then its subject.
        (
            "hoeveel regio's doen mee en verschillen ze veel van elkaar",
            ["regios-aantal", "regio-verschillen"],
        ),
        # "what counts as X" asks what X is.
        (
            "what is passend toewijzen and what counts as a sociale huurwoning?",
            ["begrip-passend-toewijzen", "begrip-sociale-huurwoning"],
        ),
    ],
)
def test_a_clause_asks_its_own_question_of_the_subject_before(index, question, entry_ids):
    reply = ask(index, question)
    assert (_answered(reply), reply.unanswered) == (entry_ids, ())


def test_a_follow_up_asks_its_own_question_of_the_subject_before(index):
    reply = ask(index, "welke zijn dat?", previous="hoeveel regio's doen er mee?")
    assert (_answered(reply), reply.follows) == (["regios-welke"], "hoeveel regio's doen er mee?")
    # The opposite: without a question before, it asks nothing the bot can answer.
    assert not ask(index, "welke zijn dat?").found


@pytest.mark.parametrize(
    ("previous", "question", "entry_id"),
    [
        # What the answer before points on to (its follow_ups): whether the programme goes
        # on after when it started, how the homes are spread after what the matchpunt does.
        ("wanneer is het programma gestart", "loopt het nu nog door?", "programma-vervolg"),
        (
            "wat doet het matchpunt in ijmond en zuid-kennemerland",
            "en hoe verdelen ze over de buurten?",
            "ijzk-verdeling",
        ),
    ],
)
def test_a_follow_up_leans_to_what_the_answer_before_points_on_to(
    index, previous, question, entry_id
):
    assert _answered(ask(index, question, previous=previous)) == [entry_id]
    # Alone, the question says too little to be answered.
    assert _answered(ask(index, question)) == []


def test_a_question_of_its_own_does_not_lean_to_the_answer_before(index):
    # After how to invite a colleague, the roles entry is next to the answer; a question with
    # a subject of its own is not pulled to it (it would be a confident wrong answer): it
    # gets what it gets alone, how to have one's details (the role) put right (the roles
    # entry is a close second alone: whether it is sure depends on the alternates).
    question = "mijn rol in de bot klopt niet, ik ben coordinator en geen woonbegeleider"
    before = index.search("hoe nodig ik een nieuwe collega uit")
    assert "bot-rollen" in index.neighbours(before.entry)
    assert index.search(question, near=index.neighbours(before.entry)).entry.id == "bot-rollen"
    reply, alone = (
        ask(index, question, previous="hoe nodig ik een nieuwe collega uit"),
        ask(index, question),
    )
    assert (reply.main.entry.id, reply.found) == (alone.main.entry.id, alone.found)
    assert reply.main.entry.id == "bot-gegevens-wijzigen"


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        # Two things of one question stay one question.
        ("afspraken over huurschulden en overlast", ["afspraken over huurschulden en overlast"]),
        ("IJmond en Zuid-Kennemerland", ["IJmond en Zuid-Kennemerland"]),
        (
            "hoeveel uitstromers verwachten ze in ijmond en zijn er wel genoeg woningen",
            ["hoeveel uitstromers verwachten ze in ijmond", "zijn er wel genoeg woningen"],
        ),
        (
            "welke ministeries zijn betrokken en op welk rapport is het gebaseerd",
            ["welke ministeries zijn betrokken", "op welk rapport is het gebaseerd"],
        ),
        (
            "wat is een omklapwoning? hoeveel uitstromers verwacht ijmond",
            ["wat is een omklapwoning", "hoeveel uitstromers verwacht ijmond"],
        ),
        # "en ook" is one joiner, and other ways to join two questions.
        (
            "wat is het doel van weer thuis en ook voor wie is het bedoeld",
            ["wat is het doel van weer thuis", "voor wie is het bedoeld"],
        ),
        (
            "wat is een omklapwoning en ook, hoeveel woningen geeft midden-groningen",
            ["wat is een omklapwoning", "hoeveel woningen geeft midden-groningen"],
        ),
        (
            "hoeveel regios doen mee plus welke zijn dat",
            ["hoeveel regios doen mee", "welke zijn dat"],
        ),
        (
            "op welk rapport is het gebaseerd / loopt het nog door",
            ["op welk rapport is het gebaseerd", "loopt het nog door"],
        ),
        (
            "hoe kom ik in de bot, hoe pas ik mijn rol aan",
            ["hoe kom ik in de bot", "hoe pas ik mijn rol aan"],
        ),
        # A statement, then its question, is one question.
        (
            "ik heb een cliënt met schulden, hoe meld ik hem aan",
            ["ik heb een cliënt met schulden, hoe meld ik hem aan"],
        ),
        ("bw/mo", ["bw/mo"]),
        # An inverted verb opens a yes/no question; "sinds wanneer" a question of time.
        (
            "hoeveel regio's doen mee en verschillen ze veel van elkaar",
            ["hoeveel regio's doen mee", "verschillen ze veel van elkaar"],
        ),
        (
            "welke gemeenten horen bij ijmond en sinds wanneer doet pre wonen mee",
            ["welke gemeenten horen bij ijmond", "sinds wanneer doet pre wonen mee"],
        ),
        # The opposite: a small word then a pronoun opens no question.
        (
            "hoe meld ik een kandidaat aan en als het kan vandaag nog",
            ["hoe meld ik een kandidaat aan en als het kan vandaag nog"],
        ),
        # A sign joins only before a question of its own.
        ("hoeveel woningen zijn er voor bw + mo", ["hoeveel woningen zijn er voor bw + mo"]),
        (
            "hoe meld ik een kandidaat aan voor bw / mo",
            ["hoe meld ik een kandidaat aan voor bw / mo"],
        ),
    ],
)
def test_a_message_splits_into_its_questions(text, parts):
    assert split_question(text) == parts


# --- everyday words, compounds, separable verbs, "what is X" ---------------------------------


@pytest.mark.parametrize(
    "question",
    [
        # One or two everyday words shared with an entry answer nothing.
        "wanneer beginnen de zomervakanties",
        "wat voor weer wordt het morgen",
        "wanneer ging het zwembad open",
        # Contact details are never in the knowledge base.
        "wat is het telefoonnummer van domesta",
        "wat zijn de openingstijden van het matchpunt",
        # A compound whose known half is not what it is about.
        "wat is huurtoeslag",
        "hoe vraag ik huurtoeslag aan",
    ],
)
def test_everyday_words_and_a_known_half_carry_no_answer(index, question):
    assert not ask(index, question).found


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        # The opposite: everyday words around one word of the knowledge base still find it.
        ("hoe kan ik een gesprek met de bot stoppen", "bot-annuleren"),
        ("wanneer is het programma gestart", "programma-start"),
        # Asking whether the bot keeps contact details is no request for them.
        ("bewaart de bot adressen van cliënten", "bot-privacy"),
        # Compounds the entries do not contain as such.
        ("uitstroomafspraken in emmen", "zod-afspraak"),
        # "doet … mee" is meedoen.
        ("doet culemborg ook mee", "rivierenland-ervaring"),
        # "What is X" goes to the glossary entry for X.
        ("wat verstaan jullie onder doorstroom", "begrip-doorstroom"),
        ("wat bedoelen jullie met spreiding", "begrip-spreiding"),
        # The opposite: "wat zijn de afspraken over X" is no question what X means.
        ("wat zijn de afspraken over overlast", "resultaten-procesafspraken"),
        ("meerjarenagenda bw/mo wat is dat", "begrip-meerjarenagenda"),
        # Asked as "wat is uitstroom": the frame's words are no reason to answer with the
        # glossary entry whose alternates use the same frame.
        ("wat verstaan jullie onder uitstroom", "begrip-uitstroom"),
        # "gebeurd" (for "gebeurt") is an everyday word, and the region is named.
        ("wat gebeurd er in rivierland", "rivierenland-ervaring"),
        # A greeting or a lead-in is no part of what is asked.
        ("hoi, wanneer is weer thuis gestart?", "programma-start"),
        ("vraagje: wanneer is het programma gestart", "programma-start"),
        ("kun je me vertellen hoeveel regio's meedoen", "regios-aantal"),
        # ... nor is the formal way of asking, in Dutch or English.
        (
            "Op welke wijze kan ik als zorgaanbieder een kandidaat aanmelden?",
            "bot-kandidaat-aanmelden",
        ),
        (
            "Graag verneem ik in het kader van mijn werk wat een omklapwoning is",
            "begrip-omklapwoning",
        ),
        ("what is weer thuis in a nutshell?", "programma-wat"),
        ("what can I actually do with this bot?", "bot-wat-kan-ik"),
        ("how many homes per year does midden-groningen set aside?", "mg-woningen-per-jaar"),
        ("hi, my invite code doesnt work anymore, now what", "bot-code-ongeldig"),
        # What an official does is answered; only their name is not.
        ("wat doet de wethouder in emmen", "zod-waarom"),
        # "in het programma" says nothing of its own: what the region does in it.
        ("wat doet emmen in het programma", "zod-afspraak"),
        ("wat doen culemborg en neder betuwe in dit programa?", "rivierenland-ervaring"),
    ],
)
def test_the_word_that_matters_is_found(index, question, entry_id):
    assert _answered(ask(index, question)) == [entry_id]


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        # Staff abbreviate regions, organisations and units (the knowledge files list them:
        # aliases in regions/*.yaml, synonyms and aliases in glossary.yaml).
        ("hoeveel won. per jr in MG", "mg-woningen-per-jaar"),
        ("ijm/zk aantal uitstromers 10 jr?", "ijzk-uitstromers"),
        ("ehv omklap wie huurt 1e jr", "eindhoven-omklapwoningen"),
        ("ijzk pact, wat staat erin?", "ijzk-pact"),
        ("welke corpo's zitten in emmen bij weer thuis", "zod-afspraak"),
        ("ldh, wat doen die in dit programma", "begrip-leger-des-heils"),
        ("wat houdt ambu begeleiding aan huis in", "begrip-woonbegeleiding"),
        ("hoe meld ik als mw zorg een clt aan", "bot-kandidaat-aanmelden"),
        ("welke cmd's heb ik", "bot-help"),
        ("met hoeveel streken is het begonnen", "regios-aantal"),
    ],
)
def test_staff_abbreviations_read_as_what_they_stand_for(index, question, entry_id):
    assert _answered(ask(index, question)) == [entry_id]


def test_an_abbreviation_is_no_stem_of_an_everyday_word(index):
    # "won." is typed for woningen, but "won" is also the stem of "wonen" (to live): it is
    # not made a synonym of woning, so "gaan wonen" stays about living, not about a home.
    assert "woning" not in index.analyse("de mensen die daar zijn gaan wonen").tokens
    assert "jaar" in index.analyse("per jr").tokens


def test_compounds_split_into_known_parts(index):
    assert index._compound_parts("begeleidingsafspraken") == ["begeleiding", "afspraken"]
    assert index._compound_parts("uitstroomafspraken") == ["uitstroom", "afspraken"]
    # The known head, and the unknown tail kept as an unknown word.
    assert index._compound_parts("huurtoeslag") == ["huur", "toeslag"]
    # Too short an unknown part: no split.
    assert index._compound_parts("woningnet") == []
    # Three words in one, and the longest known head (an organisation's name here).
    assert index._compound_parts("omklapsuccespercentage") == ["omklap", "succes", "percentage"]
    assert index._compound_parts("woonopmaatwachtrij") == ["woonopmaat", "wachtrij"]


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("wat is het omklapslagingspercentage in eindhoven", "eindhoven-resultaat"),
        ("hoeveel woningzoekenden in de woonopmaatwachtrij", "ijzk-wachtlijst"),
        ("omklaphuurperiode eindhoven", "eindhoven-omklapwoningen"),
    ],
)
def test_a_compound_of_three_words_is_read_by_its_parts(index, question, entry_id):
    assert _answered(ask(index, question)) == [entry_id]


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        # A compound typed as two words is the compound ("prestatie" alone is no word here,
        # and was "corrected" into "presentatie").
        ("wat zijn prestatie afspraken precies", "begrip-prestatieafspraken"),
        ("welke sleutel partijen zijn er nodig", "programma-sleutelpartijen"),
        # A typo an alternate has is the word it misspells, not a word of that entry alone.
        ("sinds wanneer loopt het programa", "programma-start"),
    ],
)
def test_a_split_compound_and_a_known_typo_read_as_the_word(index, question, entry_id):
    assert _answered(ask(index, question)) == [entry_id]


def test_two_words_join_only_into_a_known_compound(index):
    assert index._join_split_compounds(words("wie zijn de sleutel partijen")) == [
        "wie",
        "zijn",
        "de",
        "sleutelpartijen",
    ]
    # A phrase stays a phrase, a stop word joins nothing, an unknown pair stays two words.
    assert index._join_split_compounds(words("weer thuis")) == ["weer", "thuis"]
    assert index._join_split_compounds(words("hoe lang")) == ["hoe", "lang"]
    assert index._join_split_compounds(words("groene appels")) == ["groene", "appels"]


def test_the_knowledge_bases_own_typos(index):
    fixes = index._typos
    assert (fixes["programa"], fixes["uitsroom"], fixes["waart"]) == (
        "programma",
        "uitstroom",
        "waard",  # not the small word "waar"
    )
    # A typo of a longer word, of two forms of one word, of a longer small word.
    assert (fixes["toegan"], fixes["doelgroepn"], fixes["percies"]) == (
        "toegang",
        "doelgroep",
        "precies",
    )
    # Another form of a word, a real Dutch word and an English word are no typos.
    assert not {"uitstroomt", "financier", "three"} & set(fixes)


def test_a_typo_is_a_word_written_rarely_near_a_word_written_often():
    texts = [
        *[["programma", "aanmelden", "move", "woning"]] * 3,
        ["programa"],  # a typo
        ["aanmelde"],  # another form of aanmelden
        ["moved"],  # (English) another form of move
        ["wonen"],  # everyday Dutch, no typo of woning
        ["programmaa", "programmaa"],  # written twice, the word only three times: meant so
        *[["uitstroom"]] * 20,
        ["uitsroom"],
        ["uitsroom"],  # written twice, the word twenty times: a typo
    ]
    assert _typo_fixes(texts, commonness.everyday_zipf()) == {
        "programa": "programma",
        "uitsroom": "uitstroom",
    }


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("met hoeveel regio's begon het", "number"),
        ("how many regions", "number"),
        ("sinds wanneer loopt het", "time"),
        ("in welk jaar begon het", "time"),
        ("wie zitten erachter", "who"),
        ("waarom duurt het zo lang", "why"),
        # "hoe", "wat" and "waar" ask for too many things alike ("waar staat bw voor").
        ("hoe meld ik een woning aan", None),
        ("wat is een omklapwoning", None),
        ("waar staat bw voor", None),
        # Only the word a question opens with: "per jaar" and "een aantal" ask no time or number.
        ("wat kost een omklapwoning per jaar", None),
        ("een aantal regio's", None),
        ("en wie doet dat", "who"),
        ("om hoeveel mensen gaat het", "number"),
        ("since when does it exist", "time"),
        ("which year did it start", "time"),
        # A lead-in asks nothing itself: the question word after it does.
        ("weet iemand hoeveel regio's meedoen", "number"),
        ("vraagje: wanneer is het gestart", "time"),
        ("ik vroeg me af wie erachter zitten", "who"),
        ("do you know when it started", "time"),
        ("wie weet hoeveel regio's er meedoen", "number"),
        ("who knows when it started", "time"),
        ("wie weet dat", "who"),
        # After its subject and a comma, as alternates are often written.
        ("signaal na de verhuizing, wie pakt het op", "who"),
        # ... but a verb that asks something is no lead-in.
        ("kan ik zien wie mijn kandidaat begeleidt", None),
        # "welke regio" asks for one region's answer; "welke regio's" for all of them.
        ("in welke regio komt het convenant", "region"),
        ("which region signed in 2019", "region"),
        ("welke regio's doen mee", None),
    ],
)
def test_a_question_word_says_what_kind_of_answer_is_asked(question, kind):
    assert question_kind(question) == kind


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        # One region's agreement, not what a convenant or an uitstroomprofiel is.
        (
            "in welke regio wordt er nog aan een uitstroomconvenant gewerkt",
            "zod-uitstroomconvenant",
        ),
        ("welke regio maakt uitstroomprofielen", "assen-uitstroomprofielen"),
        # A number the knowledge base says is what the question is about.
        ("over welke regio gaat het bij 1780 mensen", "ijzk-uitstromers"),
    ],
)
def test_which_region_asks_for_a_regions_own_answer(index, question, entry_id):
    assert _answered(ask(index, question)) == [entry_id]


def test_which_region_leaves_the_definition_to_what_is(index):
    assert _answered(ask(index, "wat is een uitstroomconvenant")) == ["begrip-uitstroomconvenant"]


def test_bij_ons_is_one_region_not_said(index):
    # "bij ons" is the asker's region: from someone of no region the bot asks which one.
    reply = ask(index, "welke corporaties doen er bij ons mee")
    assert reply.main.which_region and not reply.found
    # From the asker in Zuidoost-Drenthe: its answer.
    reply = ask(index, "welke corporaties doen er bij ons mee", region="zuidoost-drenthe")
    assert _answered(reply) == ["zod-afspraak"]


def test_the_entry_asked_for_that_kind_of_answer_goes_first(index):
    # A number, not a start date: the words alone are as near to the programme's start.
    reply = ask(index, "met hoeveel regio's is het programma begonnen")
    assert _answered(reply) == ["regios-aantal"]


def test_separable_verbs_and_definition_questions_are_read_as_dutch():
    assert join_separable(words("doet culemborg ook mee")) == ["meedoen", "culemborg", "ook"]
    assert join_separable(words("hoe zeg ik de huur op")) == ["hoe", "opzeggen", "ik", "de", "huur"]
    assert join_separable(words("wie pakt dat op")) == ["wie", "oppakken", "dat"]
    assert join_separable(words("wat staat er op de site")) == [
        "wat",
        "staat",
        "er",
        "op",
        "de",
        "site",
    ]
    assert definition_subject(words("wat verstaan jullie onder doorstroom")) == ["doorstroom"]
    assert definition_subject(words("bzk, welk ministerie is dat")) == ["bzk"]
    assert definition_subject(words("hoeveel woningen zijn er")) is None
    assert definition_subject(words("wat is de rol van het wijkteam")) is None


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        # The same question for another glossary term, after "en".
        ("wat is aedes, en de vng?", ["begrip-aedes", "begrip-vng"]),
        ("eh wat is ggz. en n ribw?", ["begrip-ggz", "begrip-ribw"]),
        ("wat betekent bw en mo", ["begrip-bw", "begrip-mo"]),
        # The difference between two terms: what each of them is.
        ("wat is het verschil tussen bw en mo", ["begrip-bw", "begrip-mo"]),
        ("what's the difference between bw and mo", ["begrip-bw", "begrip-mo"]),
        # One term, between two parties, or working together: one question.
        ("hoe verloopt de samenwerking tussen ggz en corporaties", ["programma-elkaar-begrijpen"]),
        (
            "wat zijn prestatieafspraken tussen gemeente en corporatie",
            ["begrip-prestatieafspraken"],
        ),
        # Two things of one agreement are no two terms.
        ("wat zijn de afspraken over huurschulden en overlast", ["resultaten-procesafspraken"]),
    ],
)
def test_a_second_term_after_en_gets_its_own_answer(index, question, answered):
    assert _answered(ask(index, question)) == answered


@pytest.mark.parametrize(
    ("question", "token"),
    [
        # A real word is no typo of a word several letters away ...
        ("verslaving", "verslav"),
        # ... but a word with a slip of the finger is, and so is a longer form of a word.
        ("uitstoom", "uitstroom"),
        ("analyseren", "analy"),  # the stem of "analyse"
        # "pas ... aan" is aanpassen.
        ("hoe pas ik mijn rol aan", "aanpass"),
        # Two letters the wrong way round are one slip, in a short word or a place.
        ("beschermd woenn", "bw"),
        ("het matchpunt in haarlme", "@gemeente:haarlem"),
        # ... but a real word is no swap of another ("straten" is no "starten").
        ("in welke straten komen de woningen", "strat"),
    ],
)
def test_what_a_word_reads_as(index, question, token):
    assert token in index.analyse(question).tokens


def test_an_everyday_word_is_not_read_as_the_publication(index):
    """ "verslaving" used to be "corrected" to "verslag" and answered with the publication."""
    assert _answered(ask(index, "hulp bij verslaving")) == []


def test_a_question_of_the_commonest_verbs_gets_no_answer(index):
    assert _answered(ask(index, "hoe zit het")) == []


@pytest.mark.parametrize(
    "question",
    [
        # A person's name or a contact is never in the knowledge base ...
        "hoe heet de wethouder wonen in Emmen",
        "wie is de contactpersoon voor Weer Thuis bij de VNG",
        "wie is de beleidsadviseur van woonopmaat",
        "welk adres heeft de woning van kandidaat K-12?",
        "hoe heet die wethouder",
        # ... and a clause that refers back to a subject it does not cover is about that.
        "kan een uitstromer huurtoeslag krijgen en hoe vraag je dat aan",
        "wie is de wethouder",
        # One everyday word is no question of one region's ("which region?" nor an answer).
        "wonen",
    ],
)
def test_what_the_knowledge_base_never_holds_is_not_answered(index, question):
    assert _answered(ask(index, question)) == []
    assert not ask(index, question).main.which_region


def test_a_clause_with_a_subject_of_its_own_after_an_outside_one_is_answered(index):
    reply = ask(index, "mijn cliënt heeft een uitkering en hoe meld ik die aan als kandidaat")
    assert _answered(reply) == ["bot-kandidaat-aanmelden"]


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        # Eindhoven has its own entries on omklapwoningen: one of them, not the definition.
        ("en hoe gaat dat in eindhoven", ("eindhoven-resultaat", "eindhoven")),
        # Assen has none: the definition again, as before.
        ("en in assen?", ("begrip-omklapwoning", None)),
    ],
)
def test_a_follow_up_naming_a_region_gets_that_regions_entry_on_the_subject(
    index, question, answer
):
    reply = ask(index, question, previous="wat is een omklapwoning")
    assert reply.found
    assert (reply.main.entry.id, reply.main.entry.region) == answer


def test_a_clause_pointing_back_is_not_answered_by_an_entry_that_knows_nothing_of_it(index):
    # "daarvan" is the omklapwoning; who pays rent in general is not asked. Offered only.
    reply = ask(index, "wie betaalt de huur daarvan", previous="wat is een omklapwoning")
    assert not reply.found


@pytest.mark.parametrize(
    ("text", "points_back"),
    [
        ("wie betaalt de huur daarvan", True),
        ("hoe lang duurt dat", True),
        ("en wat doen ze daar mee", True),
        ("wat staat er in dat blog", False),
        ("wat doen die regio's", False),
        ("wie betaalt de huur", False),
    ],
)
def test_a_word_that_points_back_stands_on_its_own(text, points_back):
    assert asking._points_back(text) is points_back


@pytest.mark.parametrize(
    ("text", "points_back"),
    [
        ("wat hebben de regio's daarover afgesproken", True),
        ("wie zit erbij", True),
        ("hoe gaat het daarmee verder", True),
        ("wat hebben de regio's over huurschulden afgesproken", False),
    ],
)
def test_a_pronominal_adverb_always_points_back(text, points_back):
    assert asking._points_back(text) is points_back


def test_a_question_pointing_back_is_asked_about_the_subject_before(index):
    # "daarover" is the huurschuld: the regions' agreements on rent arrears and nuisance,
    # not what they agreed in general.
    reply = ask(
        index, "wat hebben de regio's daarover afgesproken?", previous="wat is een huurschuld"
    )
    assert _answered(reply) == ["resultaten-procesafspraken"]


@pytest.mark.parametrize(
    ("previous", "question", "entry_id"),
    [
        # Assen's main entry answered what Assen does: Eindhoven's main entry is what it does.
        ("wat doen ze in assen met de uitstroom", "en eindhoven dan?", "eindhoven-omklapwoningen"),
        ("what did limburg agree on?", "and midden groningen?", "mg-woningen-per-jaar"),
    ],
)
def test_after_a_regions_main_entry_a_region_gets_its_main_entry(
    index, previous, question, entry_id
):
    assert _answered(ask(index, question, previous=previous)) == [entry_id]


def test_after_another_answer_a_region_named_alone_is_not_its_main_entry(index):
    # The question before was about the omklapwoning (a definition): Assen has no answer
    # on it, and its main entry (the outflow profiles) is not one.
    reply = ask(index, "en in assen?", previous="wat is een omklapwoning")
    assert reply.main.entry.id == "begrip-omklapwoning"


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        # "heben" shares its stem only with the small word "heb": a slip for "hebben".
        ("wat heben ze in assen afgesproken?", "assen-uitstroomprofielen"),
        ("what has assen done", "assen-uitstroomprofielen"),
    ],
)
def test_a_slip_in_a_small_word_or_an_english_verb_still_asks_what_the_region_does(
    index, question, entry_id
):
    assert _answered(ask(index, question)) == [entry_id]


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        # A phrase of the glossary typed as one word.
        ("wat bedoelen ze met zachtelanding", "begrip-zachte-landing"),
        ("wat houdt maatschappelijkeopvang in", "begrip-mo"),
        # A word cut short, as on a phone; "tg" is Telegram.
        ("hoe meld ik een kand aan", "bot-kandidaat-aanmelden"),
        ("werkt de bot ook in een tg groep", "bot-groepen"),
    ],
)
def test_a_phrase_typed_as_one_word_and_a_word_cut_short(index, question, entry_id):
    assert _answered(ask(index, question)) == [entry_id]


@pytest.mark.parametrize(
    ("word", "read_as"),
    [
        ("kand", "kandidaat"),  # all the words it starts go on as "kandida…"
        ("ver", "ver"),  # too short to be a cut
        ("maak", "maak"),  # an everyday word
        ("verk", "verk"),  # "verklaring", "verkeerd", …: no one word
    ],
)
def test_a_word_is_completed_only_when_it_cuts_one_word_short(index, word, read_as):
    assert stem(index._correct(word)) == stem(read_as)


def test_opening_hours_are_never_in_the_knowledge_base(index):
    reply = ask(index, "hoe laat is het leger des heils in emmen open")
    assert not reply.found


@pytest.mark.parametrize(
    ("previous", "question", "entry_id"),
    [
        # The region of the question before, not a question back which region.
        ("wat gebeurt er in rivierenland", "welke gemeentes doen mee?", "rivierenland-ervaring"),
        # Zuidoost-Drenthe's own answer on what comes after its intention statement.
        (
            "wanneer is de intentieverklaring in zuidoost drenthe getekend",
            "ok en wat komt er daarna",
            "zod-uitstroomconvenant",
        ),
    ],
)
def test_a_follow_up_naming_no_region_is_about_the_region_before(
    index, previous, question, entry_id
):
    assert _answered(ask(index, question, previous=previous)) == [entry_id]


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("welke afspraken gelden in Heemstede?", "ijzk-pact"),
        ("mijn cliënt wil graag naar Heemstede, welke afspraken gelden daar?", "ijzk-pact"),
        ("wat is er in Haarlem afgesproken?", "haarlem-woonbegeleiding"),
    ],
)
def test_what_was_agreed_in_a_town_is_its_main_entry(index, question, entry_id):
    assert _answered(ask(index, question)) == [entry_id]


@pytest.mark.parametrize(
    ("previous", "question", "entry_id"),
    [
        # A town with entries of its own: its main entry, not its region's (the Pact).
        ("wat doet regio den haag", "en haarlem?", "haarlem-woonbegeleiding"),
        ("wat is er in Den Haag afgesproken?", "en in Haarlem?", "haarlem-woonbegeleiding"),
        # A town without entries of its own: its region's main entry.
        ("wat doet regio den haag", "en velsen?", "ijzk-pact"),
        # From the town to another region: that region's main entry.
        ("wat is er in haarlem afgesproken", "en in assen?", "assen-uitstroomprofielen"),
    ],
)
def test_a_follow_up_naming_a_town_gets_the_towns_own_main_entry(
    index, previous, question, entry_id
):
    assert _answered(ask(index, question, previous=previous)) == [entry_id]


def test_another_regions_answer_after_a_question_about_one_region_is_only_offered(index):
    # Alone, "hoeveel woningen per jaar" is Midden-Groningen's (only it has such a number).
    assert _answered(ask(index, "hoeveel woningen per jaar?")) == ["mg-woningen-per-jaar"]
    # After a question about Den Haag it is no answer about Den Haag: offered only.
    reply = ask(index, "hoeveel woningen per jaar?", previous="wat doet den haag")
    assert not reply.found
    assert [s.entry_id for s in reply.main.suggestions] == ["mg-woningen-per-jaar"]


@pytest.mark.parametrize(
    ("previous", "question", "entry_id"),
    [
        # Only a question word: a question about the subject before, which may be the same
        # answer ("hoe dan?") or another on it.
        (
            "kan ik als corporatie een voorgestelde kandidaat weigeren",
            "hoe dan?",
            "bot-voorstel-beoordelen",
        ),
        ("what is weer thuis", "wanneer is het begonnen", "programma-start"),
        # "daar" is the region the question before named (by its corporation), and "ze" are
        # the parties there: not a subject that the answer must know.
        (
            "hoe lang is de wachtlijst bij woonopmaat",
            "en hoe verdelen ze het daar over de gemeenten en buurten",
            "ijzk-verdeling",
        ),
    ],
)
def test_a_follow_up_of_a_question_word_or_a_place_pointer(index, previous, question, entry_id):
    assert _answered(ask(index, question, previous=previous)) == [entry_id]


def test_a_question_word_alone_without_a_question_before_gets_no_answer(index):
    assert not ask(index, "hoe dan?").found
    assert not ask(index, "wanneer is het begonnen").found


@pytest.mark.parametrize(
    ("text", "place", "points_back"),
    [
        ("hoe gaat het daar", True, True),
        ("hoe gaat het daar", False, False),  # "daar" is the region before
        ("hoe verdelen ze het", True, False),  # "ze" are the parties, not a subject
        ("wie betaalt de huur daarvan", False, True),
    ],
)
def test_what_points_back_at_a_subject(text, place, points_back):
    assert asking._points_back(text, place=place) is points_back


def test_a_case_asking_what_to_do_is_not_answered_with_a_definition(index):
    reply = ask(index, "mijn client heeft een huurachterstand bij lefier wat moet ik doen")
    assert not reply.found
    # The opposite: what the term means is still answered.
    assert _answered(ask(index, "wat is een huurschuld")) == ["begrip-huurschuld"]


@pytest.mark.parametrize(
    ("word", "read_as"),
    [("huisje", "woning"), ("briefje", "brief"), ("meisje", "meisje")],
)
def test_a_diminutive_is_the_word_it_makes_small(index, word, read_as):
    # "meisje": no "meis" in the knowledge base, so the word stays.
    assert index.analyse(word).tokens == (stem(read_as),)


@pytest.mark.parametrize(
    "question",
    [
        "hoe vraag ik een urgentieverklaring aan bij de gemeente",
        "hoe schrijf ik een client in bij woningnet?",
        "hoe maak ik een backup van mijn telegram chats met de bot",
    ],
)
def test_urgency_housing_registration_and_backups_are_outside(index, question):
    reply = ask(index, question)
    assert not reply.found
    assert reply.main.outside is not None


@pytest.mark.parametrize(
    "question",
    [
        # Assen's entry is about outflow profiles: never asked how many, so no number.
        "hoeveel plekken beschermd wonen heeft assen",
        # Nothing says how long one may stay in a shelter.
        "hoe lang mag iemand in de nachtopvang blijven",
    ],
)
def test_an_entry_never_asked_that_kind_of_question_does_not_answer_it(index, question):
    assert not ask(index, question).found


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        # The opposite: entries asked how many, and how long, answer those.
        ("hoeveel woningen per jaar in midden-groningen", "mg-woningen-per-jaar"),
        ("hoe lang krijg ik berichten na de verhuizing", "bot-check-ins"),
    ],
)
def test_an_entry_asked_that_kind_of_question_answers_it(index, question, entry_id):
    assert _answered(ask(index, question)) == [entry_id]


@pytest.mark.parametrize(
    ("text", "kind"),
    [("hoe lang duurt het", "duration"), ("hoelang", "duration"), ("how long", "duration")],
)
def test_how_long_asks_a_duration(text, kind):
    assert question_kind(text) == kind


def test_a_place_outside_the_regions_gets_no_definition_for_how_it_goes_there(index):
    assert not ask(index, "hoe werkt de daklozenopvang in rotterdam").found
    # The opposite: what the word means is the same everywhere.
    assert _answered(ask(index, "wat is een omklapwoning in utrecht")) == ["begrip-omklapwoning"]


@pytest.mark.parametrize(
    "question",
    [
        "wie betaalt de borg bij een omklapwoning?",
        "hoe meld ik iemand bij het meldpunt zorg en overlast",
        "hoe schrijf ik een goed ondersteuningsplan voor een cliënt met autisme",
    ],
)
def test_a_deposit_a_municipal_hotline_or_a_diagnosis_is_outside(index, question):
    reply = ask(index, question)
    assert not reply.found
    assert reply.main.outside is not None


def test_the_neighbours_of_an_answer_are_its_follow_ups_and_its_own_file(index):
    # Its follow-ups and the entries that point to it weigh most; the rest of
    # Zuidoost-Drenthe's own file less, itself a little more; no other region's entries.
    assert index.neighbours(index.kb.entry("zod-intentieverklaring")) == {
        "zod-uitstroomconvenant": 12.0,
        "begrip-intentieverklaring": 12.0,
        "zod-afspraak": 12.0,
        "zod-intentieverklaring": 12.0,
        "zod-waarom": 9.0,
        "zod-blog-johan": 9.0,
    }
    # A definition is not drilled into: itself no more than its file's others.
    near = index.neighbours(index.kb.entry("begrip-omklapwoning"))
    assert near["begrip-omklapwoning"] == near["begrip-corporatie"] == 9.0


@pytest.mark.parametrize(
    ("previous", "question", "entry_id"),
    [
        # A conversation stays on one subject: the bot's check-ins, IJmond's waiting list.
        (
            "krijg ik als woonbegeleider berichten na een verhuizing?",
            "op welke momenten dan?",
            "bot-check-ins",
        ),
        (
            "wat staat er in het pact van uitstroom",
            "ok maar is er dan meteen voor iedereen een huis",
            "ijzk-wachtlijst",
        ),
    ],
)
def test_a_follow_up_leans_to_its_own_part_of_the_knowledge_base(
    index, previous, question, entry_id
):
    assert _answered(ask(index, question, previous=previous)) == [entry_id]


def test_the_next_one_is_not_answered_by_one_of_a_year_gone_by(index):
    assert not ask(index, "wanneer is de volgende landelijke bijeenkomst van weer thuis").found
    # The opposite: the one that was is answered.
    assert _answered(ask(index, "wanneer was de slotbijeenkomst van de eerste ronde")) == [
        "slotbijeenkomst-2018"
    ]


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        # A situation told first, then the question: the question, about that situation.
        (
            "ik heb een client die binnenkort verhuist en daarna nog hulp nodig heeft. wat "
            "houdt een woonbegeleidingstraject in?",
            "begrip-woonbegeleiding",
        ),
    ],
)
def test_a_situation_then_a_question_gets_the_answer_to_the_question(index, question, entry_id):
    assert _answered(ask(index, question)) == [entry_id]


@pytest.mark.parametrize(
    "question",
    [
        # What the situation is about is outside the knowledge base, or the question asks
        # nothing the answer found knows ("hoe werkt dat?").
        "Mijn cliënt krijgt energietoeslag. Hoe werkt dat?",
        "Ik heb een klacht over de corporatie. Hoe werkt dat?",
    ],
)
def test_a_situation_the_base_does_not_cover_then_a_question_is_not_answered(index, question):
    assert not ask(index, question).found


@pytest.mark.parametrize(
    ("previous", "question"),
    [
        ("mijn cliënt wil een borg betalen", "en wie betaalt dat?"),
        ("mijn cliënt heeft een urgentieverklaring", "hoe werkt dat?"),
        # Small talk or a question of its own is no question about the subject before.
        ("wat is een omklapwoning", "hoe is het?"),
        ("wat is een omklapwoning", "hoe kan dat?"),
    ],
)
def test_after_an_outside_question_or_small_talk_nothing_is_answered(index, previous, question):
    assert not ask(index, question, previous=previous).found


def test_a_situation_then_a_question_keeps_what_the_whole_message_offered(index):
    # The whole message offers revoking access; the last sentence alone reads as getting
    # access: it is not answered with that, the offer stays.
    reply = ask(
        index,
        "Een collega van onze afdeling verhuur is per deze maand uit dienst getreden. Hoe kan "
        "haar toegang tot de bot worden ingetrokken?",
    )
    assert not reply.found
    assert [s.entry_id for s in reply.main.suggestions] == ["bot-toegang-intrekken"]


def test_the_situation_beside_an_outside_question_is_not_answered(index):
    reply = ask(
        index,
        "ik heb een client die verhuisd is en zijn energierekening niet kan betalen. heeft hij "
        "recht op energietoeslag?",
    )
    assert not reply.found
    assert reply.main.outside is not None


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("how do I see which commands I'm allowed to use", "i am allowed"),
        ("what's the goal", "what is the goal"),
        ("it’s fine", "it is fine"),
        ("welke regio's doen mee", "welke regios doen mee"),  # a Dutch plural stays one word
    ],
)
def test_english_contractions_are_their_words(text, found):
    assert found in " ".join(words(text))


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("how do I see which commands I'm allowed to use", "bot-help"),
        ("Op welke doelgroep richt het actieprogramma zich percies?", "programma-doelgroep"),
    ],
)
def test_small_words_of_english_and_dutch_say_nothing_of_the_subject(index, question, entry_id):
    assert _answered(ask(index, question)) == [entry_id]
