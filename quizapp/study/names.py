"""The fixed vocabulary's names for the study pages: families, E資格 topics, misconceptions."""
from __future__ import annotations

from exercises.misconceptions import MISCONCEPTIONS
from exercises.spec.syllabus import SYLLABUS
from exercises.spec.vocab import FAMILIES, TOPICS
from quizapp.study.richtext import rich

MISCONCEPTION_NAMES = {mid: m.name for mid, m in MISCONCEPTIONS.items()}


def vocabulary() -> dict:
    """Template context: ``{{ named(family_names, id) }}`` etc. in study/_names.html."""
    return {"family_names": FAMILIES, "topic_names": TOPICS, "syllabus_names": SYLLABUS,
            "misconception_names": MISCONCEPTION_NAMES}


def explanations(misconception_ids, locale: str) -> dict:
    """Each known misconception's explanation as safe HTML in the page's language."""
    return {mid: rich(MISCONCEPTIONS[mid].explanation[locale])
            for mid in misconception_ids if mid in MISCONCEPTIONS}
