"""Language identification, offline, on paragraphs written for these tests."""

from __future__ import annotations

from dateline.clean import clean
from dateline.clean.language import detect_language, identify_language
from dateline.record import RawDoc

FRENCH = (
    "Les ministres des affaires étrangères se sont réunis mardi à Vienne. Ils ont décidé de "
    "reprendre les négociations sur le gazoduc et de se revoir au mois de mai."
)
GERMAN = (
    "Die Außenminister trafen sich am Dienstag in Wien. Sie beschlossen, die Verhandlungen über "
    "die Pipeline wieder aufzunehmen und sich im Mai erneut zu treffen."
)
ENGLISH = "The foreign ministers met in Vienna on Tuesday and agreed to resume talks on the pipeline."


def test_languages() -> None:
    assert detect_language(FRENCH) == "fr"
    assert detect_language(GERMAN) == "de"
    assert detect_language(ENGLISH) == "en"


def test_too_little_text_keeps_the_declared_language() -> None:
    assert detect_language("", "en-GB") == "en"
    assert detect_language("12 345", None) is None
    assert detect_language("Oui.", "fr") == "fr"


def test_clean_marks_a_non_english_article() -> None:
    record = clean(RawDoc("fr", f"Reprise des négociations\n\n{FRENCH}"))
    assert record.language == "fr"
    assert record.title == "Reprise des négociations"
    assert record.repairs == []


# Short news articles written for these tests, two sentences each: other languages stay marked.
OTHER_LANGUAGES = {
    "fr": "Le gouvernement a annoncé mardi une nouvelle réforme des retraites. Les syndicats ont appelé "
    "à une grève générale dans tout le pays à partir de jeudi.",
    "de": "Die Bundesregierung hat am Mittwoch neue Sanktionen gegen mehrere Unternehmen beschlossen. "
    "Der Außenminister sagte, man werde den Druck weiter erhöhen.",
    "es": "El presidente se reunió el lunes con los líderes de la oposición en Madrid. Acordaron crear "
    "una comisión para estudiar la reforma de la ley electoral.",
    "pt": "O governo anunciou nesta terça-feira um novo pacote de medidas para conter a inflação. O "
    "ministro disse que os preços devem cair até o fim do ano.",
    "ru": "Министр иностранных дел заявил во вторник, что Москва готова продолжить переговоры. По его "
    "словам, следующая встреча может состояться в Женеве.",
    "ar": "أعلنت الحكومة يوم الثلاثاء عن خطة جديدة لدعم الاقتصاد. وقال وزير المالية إن الخطة تهدف إلى خفض "
    "التضخم.",
    "zh": "外交部发言人周二表示，中方愿意同各方一道推动和平谈判。他说，双方将于下个月在北京举行新一轮会谈。",
    "tr": "Dışişleri Bakanı salı günü yaptığı açıklamada, Ankara'nın müzakerelere devam etmeye hazır "
    "olduğunu söyledi.",
    "id": "Pemerintah mengumumkan pada hari Selasa bahwa harga bahan bakar akan naik bulan depan. Menteri "
    "keuangan mengatakan kebijakan itu diperlukan.",
}

# One-sentence English wire items of the kind that read as pcm or bcl before issue 12.
SHORT_ENGLISH = (
    "Kenyan police arrested twelve protesters in Nairobi on Friday.",
    "Punjab government imposed blockades in Lahore, Rawalpindi, Multan and Faisalabad.",
    "U.S. Lifts Travel Ban to Lebanon.",
    "Erdogan meets Aliyev in Baku.",
    "Obasanjo, Atiku visit Kano emir",
)


def test_other_languages_stay_marked() -> None:
    for language, text in OTHER_LANGUAGES.items():
        decision = identify_language(text)
        assert (decision.language, decision.reason) == (language, "identified"), language
        assert decision.confidence is not None and decision.confidence > 0.5


def test_short_english_items_are_english() -> None:
    for text in SHORT_ENGLISH:
        assert identify_language(text).language == "en", text


def test_an_unsure_call_keeps_the_declared_language() -> None:
    decision = identify_language("Erdogan meets Aliyev in Baku for Nagorno talks", "tr")
    assert decision.language == "tr"


def test_the_decision_goes_into_the_record() -> None:
    record = clean(RawDoc("wire", "Kenyan police arrested twelve protesters in Nairobi on Friday."))
    assert record.language == "en" and record.language_reason in ("identified", "short", "english words")
    assert record.language_confidence is not None
    french = clean(RawDoc("fr", FRENCH))
    assert (french.language, french.language_reason) == ("fr", "identified")
