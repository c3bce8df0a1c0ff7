"""Question answering on the real knowledge files: a labelled set of staff questions, every
entry's own phrasings, out-of-domain questions declined, and fuzzing that never breaks it."""

from __future__ import annotations

import pytest
import yaml
from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.knowledge.base import load_knowledge
from bot.knowledge.search import MAX_REGION_CHOICES, SearchIndex

LABELLED = yaml.safe_load(
    (REPO / "tests" / "data" / "labelled_questions.yaml").read_text(encoding="utf-8")
)
OFF_TOPIC = [q["q"] if isinstance(q, dict) else q for q in LABELLED["out_of_domain"]]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build(load_knowledge(REPO / "knowledge"))


def test_labelled_set_is_big_enough():
    # Four in five of the single-entry questions spelt right became alternates (knowledge/README.md).
    assert len(LABELLED["answerable"]) >= 1050
    assert len(LABELLED["followups"]) >= 480
    assert len(LABELLED["combined"]) >= 140
    assert len(LABELLED["ask_region"]) >= 21
    assert len(LABELLED["out_of_domain"]) >= 720


def test_labelled_questions_find_the_right_entry(index):
    """The top answer is the confident answer, or else the first "bedoelde je…?" suggestion."""
    outcome = {"answered": 0, "suggested first": 0, "wrong answer": 0, "other": 0}
    misses = []
    for item in LABELLED["answerable"]:
        result = index.search(item["q"], region=item.get("region"))
        if result.found:
            kind = "answered" if result.entry.id == item["id"] else "wrong answer"
        elif result.suggestions and result.suggestions[0].entry_id == item["id"]:
            kind = "suggested first"
        else:
            kind = "other"
        outcome[kind] += 1
        if kind in ("wrong answer", "other"):
            top = result.entry.id if result.entry else None
            misses.append(f"{item['q']!r}: wanted {item['id']}, {kind} {top} ({result.score:.0f})")
    total = len(LABELLED["answerable"])
    top_right = (outcome["answered"] + outcome["suggested first"]) / total
    print(f"\n{outcome}; top answer right {top_right:.1%} of {total}; misses:")
    print("\n".join(misses))
    # Floors under today's figures (bench/qa.py gives them per kind): a change that makes the
    # search worse on the team's own set fails here. (94.5% and 92.1% once the set grew with
    # a probe written from the seed texts alone, harder than the others.)
    assert top_right >= 0.935, "\n".join(misses)
    assert outcome["answered"] / total >= 0.91
    assert outcome["wrong answer"] / total <= 0.025


def test_out_of_domain_questions_are_declined(index):
    answered = []
    for question in OFF_TOPIC:
        result = index.search(question)
        if result.found:
            answered.append(f"{question!r} → {result.entry.id} ({result.score:.0f})")
    declined = 1 - len(answered) / len(OFF_TOPIC)
    print(f"\ndeclined {declined:.1%} of {len(OFF_TOPIC)}; answered anyway:")
    print("\n".join(answered))
    assert declined >= 0.95, "\n".join(answered)


def test_every_entry_is_found_by_its_own_question_and_alternates(index):
    misses = []
    for entry in index.kb.entries:
        for phrasing in (entry.question, *entry.alternates):
            result = index.search(phrasing, region=entry.region)
            if result.entry is None or result.entry.id != entry.id:
                misses.append(
                    f"{entry.id}: {phrasing!r} → {result.entry.id if result.entry else None}"
                )
    assert not misses, "\n".join(misses)


def test_a_named_municipality_ranks_its_region_first(index):
    regional = [e for e in index.kb.entries if e.region]
    assert regional
    region = index.kb.regions[regional[0].region]
    place = region.municipalities[0].name if region.municipalities else region.name
    result = index.search(f"wat is er afgesproken in {place}")
    assert result.region == region.id
    top = result.entry or index.kb.entry(result.suggestions[0].entry_id)
    assert top.region == region.id


def test_result_json_shape(index):
    data = index.search("wat is een omklapwoning").as_json()
    assert set(data) == {
        "question",
        "found",
        "answer",
        "entry_id",
        "score",
        "region",
        "entry_region",
        "which_region",
        "outside",
        "suggestions",
    }


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.one_of(
        st.text(max_size=300),
        st.text(alphabet=st.characters(categories=["So", "Sk", "Cs", "Co"]), max_size=50),
        st.just(""),
        st.just("🏠" * 5000),
        st.just("woning " * 15000),
        st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
        # Long runs of glued, misspelt domain words: the most work typo correction can get.
        st.lists(
            st.sampled_from(
                ["uitstroom", "omklapwoning", "corporatie", "begeleiding", "huurschuld"]
            ),
            min_size=20,
            max_size=60,
        ).map(lambda ws: " ".join(a + b[::-1] for a, b in zip(ws, reversed(ws), strict=True))),
    )
)
def test_fuzzed_questions_never_raise(index, question):
    # How fast search stays on such input is measured by bench/qa.py, not asserted here.
    result = index.search(question)
    assert isinstance(result.found, bool)
    assert not result.found or result.entry is not None  # an answer comes with its entry
    assert len(result.suggestions) <= (MAX_REGION_CHOICES if result.which_region else 3)


@pytest.mark.parametrize(
    ("question", "asker_region", "entry_id"),
    [
        # Only Midden-Groningen has homes per year, only IJmond en Zuid-Kennemerland a
        # matchpunt of its own: answered, for an asker anywhere (the chat names the region).
        ("hoeveel woningen per jaar", "limburg", "mg-woningen-per-jaar"),
        ("komt er een matchpunt", "limburg", "ijzk-matchpunt"),
        ("wat houdt het pact van uitstroom in", None, "ijzk-pact"),
        ("wie schreef de blog over johan", None, "zod-blog-johan"),
    ],
)
def test_a_fact_of_one_region_only_is_answered(index, question, asker_region, entry_id):
    result = index.search(question, region=asker_region)
    assert (result.found, result.entry.id, result.which_region) == (True, entry_id, False)


def test_a_place_outside_the_regions_gets_no_regions_agreement(index):
    result = index.search("hoeveel woningen reserveert Amsterdam per jaar")
    assert not result.found


def test_a_fact_several_regions_have_is_asked_back(index):
    """What "the partners in the region" agreed: every region has something, the question
    names none of them (the asker has no region here). One button per region, at most six."""
    result = index.search("wat hebben de partijen in de regio afgesproken")
    assert (result.found, result.which_region) == (False, True)
    regions = [index.kb.entry(s.entry_id).region for s in result.suggestions]
    assert regions == [
        "zuidoost-drenthe",
        "rivierenland",
        "limburg",
        "hoeksche-waard",
        "ijmond-zuid-kennemerland",
        "den-haag",
    ]
    # Asked about one of them, it is answered.
    named = index.search("wat hebben de partijen in emmen afgesproken")
    assert (named.found, named.entry.id) == (True, "zod-afspraak")


def test_two_regions_answers_alike_ask_which_region(index):
    """Emmen's and Haarlem's start score alike for "de regio": the question back lists
    them, rather than a "bedoelde je…?" that guesses between them."""
    result = index.search("sinds wanneer doet de regio mee")
    assert (result.found, result.which_region) == (False, True)
    regions = {index.kb.entry(s.entry_id).region for s in result.suggestions}
    assert {"zuidoost-drenthe", "ijmond-zuid-kennemerland"} <= regions


def test_an_agreement_is_answered_for_its_own_region(index):
    result = index.search("hoeveel woningen per jaar", region="midden-groningen")
    assert result.found and result.entry.id == "mg-woningen-per-jaar"


def test_a_named_municipality_excludes_another_municipalitys_entry(index):
    for question in ("wat doen ze in Velsen aan woonbegeleiding", "woonbegeleiding in heemstede"):
        result = index.search(question)
        ids = [result.entry.id] if result.found else [s.entry_id for s in result.suggestions]
        assert "haarlem-woonbegeleiding" not in ids, question
    haarlem = index.search("woonbegeleiding in haarlem")
    assert haarlem.found and haarlem.entry.id == "haarlem-woonbegeleiding"


def test_off_topic_questions_mostly_get_no_suggestions_either(index):
    with_suggestions = [q for q in OFF_TOPIC if index.search(q).suggestions]
    assert len(with_suggestions) / len(OFF_TOPIC) <= 0.25, with_suggestions


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("hoe vraag ik zorgtoeslag aan voor mijn cliënt", "zorgtoeslag"),
        ("krijgt een uitstromer huurtoeslag in de nieuwe woning", "huurtoeslag"),
        ("wie regelt de bijstand als iemand uit de opvang komt", "bijstand"),
        # Never "corrected" into a word of the knowledge base (uitkering → uitvoering).
        ("hoe vraag ik een uitkering aan", "uitkeringen"),
        ("participatiewet uitleg", "bijstand"),
        # A compound with one at its head.
        ("huurtoeslagregels voor uitstromers", "huurtoeslag"),
        # A phrase: "housing" alone is a word of the knowledge base.
        ("welke gemeenten werken met housing first", "Housing First"),
        ("alcoholgebruik in beschermd wonen", "verslavingszorg"),
        # Near the programme's own subjects, and not in its sources.
        ("wie betaalt de borgsom van de nieuwe woning", "de waarborgsom"),
        ("kan ik spraakberichten naar de bot sturen", "spraakberichten"),
        ("wat doet de politie als een uitstromer overlast geeft", "politie en aangifte"),
    ],
)
def test_a_subject_outside_the_knowledge_base_is_declined_and_named(index, question, subject):
    result = index.search(question)
    assert (result.found, result.outside, result.suggestions) == (False, subject, ())


def test_near_an_outside_subject_what_the_knowledge_base_knows_is_answered(index):
    # The opposite: the same kind of question, about what is in the knowledge base.
    result = index.search("wie regelt de woning als iemand uit de opvang komt")
    assert result.outside is None
    assert index.search("hoe meld ik een kandidaat aan").found
    # "housing" without "first".
    assert index.search("what was the housing congress about").outside is None
    # An addiction of the candidate's is no question about addiction care.
    result = index.search("hoe meld ik een kandidaat aan die verslaafd is")
    assert (result.found, result.entry.id) == (True, "bot-kandidaat-aanmelden")


def test_a_command_is_a_word_of_its_own():
    from bot.knowledge.search import words

    assert words("commando /mijn, 1/2 en a/b") == [
        "commando",
        "slashmijn",
        "mijn",
        "1",
        "2",
        "en",
        "a",
        "b",
    ]


def test_the_command_list_answers_which_commands_there_are(index):
    # "commando /mijn" is about /mijn, not about commands in general.
    result = index.search("welke commando's zijn er")
    assert (result.found, result.entry.id) == (True, "bot-help")


def test_de_regio_from_someone_of_no_region_is_asked_back_not_answered_in_general(index):
    # Several regions have agreements: which one, rather than the programme's general answer.
    result = index.search("wat is er in de regio afgesproken?")
    assert (result.found, result.which_region) == (False, True)
    assert len(result.suggestions) > 1
    assert all(index.kb.entry(s.entry_id).region for s in result.suggestions)
    # The asker's own region is the one meant.
    own = index.search("wat is er in de regio afgesproken?", region="limburg")
    assert (own.found, own.entry.region) == (True, "limburg")
