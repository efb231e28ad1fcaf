"""The facts the release states only in passing (faq/details.yaml) reach a delegate who
asks for them, in English, French and Spanish."""

from __future__ import annotations

import pytest

from bot.engine.index import FaqIndex
from bot.engine.loader import load_faq
from bot.engine.models import Outcome
from bot.engine.multilingual import MultilingualIndex
from bot.settings import SHIPPED_FAQ_DIR

HEADLINE = "Identifies Key Challenges"
"""The release's own headline words, quoted in every language's answer."""


@pytest.fixture(scope="module")
def languages() -> MultilingualIndex:
    return MultilingualIndex(FaqIndex(load_faq(SHIPPED_FAQ_DIR)))


def _assert_answers(
    languages: MultilingualIndex, question: str, language: str, entry_id: str, fact: str
) -> None:
    reply = languages.answer(question, fallback=language)
    assert reply.language == language, question
    assert reply.answer.outcome is Outcome.ANSWERED, question
    best = reply.answer.best
    assert best is not None and best.entry.id == entry_id, (question, best and best.entry.id)
    assert fact.casefold() in best.entry.answer.casefold(), (question, fact)


@pytest.mark.parametrize(
    ("question", "language", "entry_id", "fact"),
    [
        ("who gave the closing speech at the dialogue", "en", "dialogue-closing", "Presidency"),
        ("qui a prononcé la clôture du dialogue ?", "fr", "dialogue-closing", "Présidence"),
        ("quién cerró el diálogo?", "es", "dialogue-closing", "Presidencia"),
        ("who opened the stakeholder dialogue?", "en", "dialogue-opening", "does not say"),
        ("qui a ouvert le dialogue ?", "fr", "dialogue-opening", "ne dit pas"),
        ("quién abrió el diálogo?", "es", "dialogue-opening", "no dice"),
        ("who were the speakers at the dialogue?", "en", "dialogue-speakers", "names no"),
        ("qui a pris la parole au dialogue ?", "fr", "dialogue-speakers", "ne nomme aucun"),
        ("quién habló en el diálogo?", "es", "dialogue-speakers", "no nombra"),
        ("any good quotes in the press release?", "en", "release-quotes", "terrorize civilians"),
        ("une citation à retenir du communiqué ?", "fr", "release-quotes", "terrorisent"),
        ("alguna cita del comunicado?", "es", "release-quotes", "aterrorizan"),
        ("who talked about the echo chamber?", "en", "presidency-closing", "Presidency"),
        ("qui a parlé de chambre d'écho ?", "fr", "presidency-closing", "Présidence"),
        ("quién habló de la cámara de eco?", "es", "presidency-closing", "Presidencia"),
    ],
)
def test_who_closed_opened_spoke_and_is_quoted_at_the_dialogue(
    languages: MultilingualIndex, question: str, language: str, entry_id: str, fact: str
) -> None:
    _assert_answers(languages, question, language, entry_id, fact)


@pytest.mark.parametrize(
    ("question", "language", "fact"),
    [
        ("who wrote the protection of civilians report?", "en", "Secretary-General"),
        ("qui est l'auteur du rapport sur la protection des civils ?", "fr", "Secrétaire général"),
        (
            "quién es el autor del informe sobre la protección de los civiles?",
            "es",
            "Secretario General",
        ),
    ],
)
def test_whose_report_the_release_cites(
    languages: MultilingualIndex, question: str, language: str, fact: str
) -> None:
    _assert_answers(languages, question, language, "unsg-report-author", fact)


def test_a_question_about_the_secretary_general_himself_is_not_answered_by_the_report(
    languages: MultilingualIndex,
) -> None:
    reply = languages.answer("who is the current un secretary general", fallback="en")
    assert reply.answer.outcome is not Outcome.ANSWERED


@pytest.mark.parametrize(
    ("question", "language", "fact"),
    [
        ("what wider implications were discussed?", "en", "humanitarian disarmament"),
        ("quelles conséquences plus larges ont été examinées ?", "fr", "désarmement humanitaire"),
        ("qué implicaciones más amplias se trataron?", "es", "desarme humanitario"),
    ],
)
def test_the_wider_implications_of_the_dialogue(
    languages: MultilingualIndex, question: str, language: str, fact: str
) -> None:
    _assert_answers(languages, question, language, "wider-implications", fact)


@pytest.mark.parametrize(
    ("question", "language", "entry_id", "fact"),
    [
        ("which organisations are attending?", "en", "organisations-attending", "Red Cross"),
        ("quelles organisations participent ?", "fr", "organisations-attending", "CICR"),
        ("qué organizaciones asisten a la reunión?", "es", "organisations-attending", "CICR"),
        ("list of acronyms please", "en", "acronyms", "international humanitarian law"),
        ("liste des sigles svp", "fr", "acronyms", "droit international humanitaire"),
        ("lista de siglas por favor", "es", "acronyms", "derecho internacional humanitario"),
    ],
)
def test_which_organisations_attend_and_what_the_acronyms_mean(
    languages: MultilingualIndex, question: str, language: str, entry_id: str, fact: str
) -> None:
    _assert_answers(languages, question, language, entry_id, fact)


@pytest.mark.parametrize(
    ("question", "language", "entry_id", "fact"),
    [
        ("headline of the press release?", "en", "release-headline", HEADLINE),
        ("quel est le titre du communiqué ?", "fr", "release-headline", HEADLINE),
        ("cuál es el título del comunicado?", "es", "release-headline", HEADLINE),
    ],
)
def test_the_releases_headline(
    languages: MultilingualIndex, question: str, language: str, entry_id: str, fact: str
) -> None:
    _assert_answers(languages, question, language, entry_id, fact)


@pytest.mark.parametrize(
    ("question", "language", "fact"),
    [
        ("how many countries are in the ccm altogether?", "en", "does not say"),
        ("combien de membres compte la convention ?", "fr", "ne dit pas"),
        ("cuántos miembros tiene la convención?", "es", "no dice"),
    ],
)
def test_the_conventions_total_membership_is_not_stated_but_the_112_attending_are(
    languages: MultilingualIndex, question: str, language: str, fact: str
) -> None:
    _assert_answers(languages, question, language, "membership-count", fact)
    assert "112" in languages.faqs[language].by_id["membership-count"].answer


def test_attendance_still_gets_the_attendance_count(languages: MultilingualIndex) -> None:
    _assert_answers(
        languages, "how many states parties will attend?", "en", "states-parties-count", "112"
    )


@pytest.mark.parametrize(
    ("question", "language", "entry_id", "fact"),
    [
        ("which PO Box do we put on a letter to the ISU?", "en", "isu-po-box", "PO Box 1300"),
        ("boîte postale de l'UAA ?", "fr", "isu-po-box", "PO Box 1300"),
        ("what street is the ISU on?", "en", "isu-street", "Chemin Eugène-Rigot 2C"),
        ("l'UAA est à quel numéro du chemin Eugène-Rigot ?", "fr", "isu-street", "2C"),
        ("en qué calle está la DAA?", "es", "isu-street", "Chemin Eugène-Rigot 2C"),
    ],
)
def test_the_isus_po_box_and_street(
    languages: MultilingualIndex, question: str, language: str, entry_id: str, fact: str
) -> None:
    _assert_answers(languages, question, language, entry_id, fact)


def test_a_spanish_po_box_question_gets_the_po_box(languages: MultilingualIndex) -> None:
    reply = languages.answer("apartado postal de la DAA?", fallback="es")
    assert reply.language == "es" and reply.answer.best is not None
    assert "PO Box 1300" in reply.answer.best.entry.answer
