"""End-to-end: answers, buttons and commands in French and Spanish, and a question in a
language the FAQ is not written in, through the fake Discord."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.engine.loader import load_faq
from bot.engine.models import Faq
from tests.e2e import test_bot_support as support
from tests.e2e.test_bot_support import Channels, embed, start_bot
from tests.fakediscord import FakeDiscord
from tests.fakediscord.process import BotProcess

fake = support.fake
channels = support.channels
faq_dir = support.faq_dir

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(
    fake: FakeDiscord, faq_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[BotProcess]:
    data = tmp_path_factory.mktemp("languages") / "data"
    process = await start_bot(fake, data, env={"FAQ_DIR": str(faq_dir)})
    yield process
    assert await process.stop() == 0
    fake.assert_clean()


@pytest.fixture(scope="module")
def faq(faq_dir: Path) -> Faq:
    return load_faq(faq_dir)


async def test_a_french_user_gets_french_answers_and_french_buttons(
    fake: FakeDiscord, bot: BotProcess, faq: Faq, channels: Channels
) -> None:
    french = faq.translations["fr"]
    ix = await fake.slash(
        "ask", {"question": "Où se tient la 12MSP ?"}, channel=channels.next(), locale="fr"
    )
    message = await ix.response()
    card = embed(message)
    venue = french.by_id["meeting-venue"]
    assert card["title"] == venue.question
    assert card["description"].startswith("**À l'ONU Genève.**")
    assert card["footer"]["text"].startswith("Source (original en anglais) :")
    assert {"Utile", "Pas utile"} <= set(message.button_labels)
    related = [i for i in message.custom_ids if i.startswith("faq:answer:")]
    assert related and all(i.endswith(":fr") for i in related)
    # The related question's button answers in French too (its language is in its id).
    click = await fake.click(message, related[0], user="alice")
    second = await click.response()
    entry_id = related[0].removeprefix("faq:answer:").removesuffix(":fr")
    assert embed(second)["title"] == french.by_id[entry_id].question


async def test_a_click_on_someone_elses_card_is_answered_in_the_clickers_language(
    fake: FakeDiscord, bot: BotProcess, faq: Faq, channels: Channels
) -> None:
    """Carol's public French answer: her own vote is thanked in French; Alice (en-US), who
    did not ask, reads her private replies (thanks, the calendar file's line) in English."""
    ix = await fake.slash(
        "ask", {"question": "Quand a lieu la 12MSP ?"}, channel=channels.next(), user="carol"
    )
    card = await ix.response()
    assert not card.ephemeral and {"Utile", "Pas utile"} <= set(card.button_labels)
    [helpful] = [i for i in card.custom_ids if i.startswith("faq:vote:up:")]
    alices = await (await fake.click(card, helpful, user="alice")).response()
    assert alices.ephemeral and alices.content == "Thanks for the feedback"
    carols = await (await fake.click(card, helpful, user="carol")).response()
    assert carols.ephemeral and carols.content == "Merci pour votre avis"
    [calendar] = [i for i in card.custom_ids if i.startswith("faq:ics:")]
    ics = await (await fake.click(card, calendar, user="alice")).response()
    assert ics.ephemeral and ics.content.startswith("Open this file to add the meeting")
    own = await (await fake.click(card, calendar, user="carol")).response()
    assert own.content.startswith("Ouvrez ce fichier")


async def test_topic_commands_answer_in_the_users_locale(
    fake: FakeDiscord, bot: BotProcess, faq: Faq, channels: Channels
) -> None:
    ix = await fake.slash("dates", channel=channels.next(), locale="es-419")
    message = await ix.response()
    card = embed(message)
    assert card["title"] == faq.translations["es"].by_id["meeting-dates"].question
    assert "10–13 de septiembre de 2024" in card["fields"][0]["value"]
    ics = message.attachments[0]
    assert ics["filename"].endswith(".ics")


async def test_a_spanish_question_from_an_english_client_gets_a_spanish_answer(
    fake: FakeDiscord, bot: BotProcess, faq: Faq, channels: Channels
) -> None:
    ix = await fake.slash(
        "ask",
        {"question": "¿Cuántos Estados Partes participan en la reunión?"},
        channel=channels.next(),
        locale="en-US",
    )
    message = await ix.response()
    card = embed(message)
    assert card["title"] == faq.translations["es"].by_id["states-parties-count"].question
    assert "112 Estados Partes" in card["description"]
    assert {"Útil", "No es útil"} <= set(message.button_labels)


async def test_an_english_question_from_a_french_client_gets_an_english_answer(
    fake: FakeDiscord, bot: BotProcess, faq: Faq, channels: Channels
) -> None:
    ix = await fake.slash(
        "ask",
        {"question": "How many States Parties take part?"},
        channel=channels.next(),
        locale="fr",
    )
    card = embed(await ix.response())
    assert card["title"] == faq.by_id["states-parties-count"].question


async def test_a_german_question_gets_the_languages_i_speak_line(
    fake: FakeDiscord, bot: BotProcess, faq: Faq, channels: Channels
) -> None:
    ix = await fake.slash(
        "ask",
        {"question": "Wann findet das Treffen statt?"},
        channel=channels.next(),
        locale="de",
    )
    message = await ix.response()
    speaks = message.content.splitlines()[0]
    assert speaks.startswith("Ich antworte auf Englisch, ")
    assert "Französisch" in speaks and "Spanisch" in speaks
    assert embed(message)["title"] == faq.by_id["meeting-dates"].question


async def test_a_german_question_with_no_match_is_declined_in_german(
    fake: FakeDiscord, bot: BotProcess, channels: Channels
) -> None:
    ix = await fake.slash(
        "ask",
        {"question": "Wie wird das Wetter morgen in Berlin sein?"},
        channel=channels.next(),
        locale="de",
    )
    message = await ix.response()
    assert message.content.startswith("Ich antworte auf Englisch, ")
    assert "Ich habe in den FAQ nichts zu dieser Frage gefunden." in message.content


async def test_synced_commands_carry_french_and_spanish_localizations(
    fake: FakeDiscord, bot: BotProcess
) -> None:
    commands = {c["name"]: c for c in fake.commands()}
    ask = commands["ask"]
    assert ask["description_localizations"]["fr"] == "Poser une question sur la 12MSP"
    assert ask["description_localizations"]["es-ES"] == "Hacer una pregunta sobre la 12MSP"
    assert ask["description_localizations"]["es-419"] == "Hacer una pregunta sobre la 12MSP"
    assert ask["name_localizations"]["es-ES"] == "preguntar"
    question = next(o for o in ask["options"] if o["name"] == "question")
    assert question["description_localizations"]["fr"].startswith("Votre question")
    admin = commands.get("faq-admin")
    if admin is not None:
        assert not admin.get("description_localizations")
