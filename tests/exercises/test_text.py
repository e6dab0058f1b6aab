"""Text (ja/en) and the one bilingual error base every ja/en error derives from."""
import json
import pathlib
import pickle

import pytest

import exercises

from exercises.errors import ExerciseError, ParamsError, TemplateBroken, UnknownTemplate
from exercises.expr import ExprError, parse
from exercises.grading.answers import AnswerFormatError, parse_number
from exercises.spec import TemplateError, load_template
from exercises.spec.yamlsrc import SourceError, load_with_lines
from exercises.text import BilingualError, Text, pick
from quizapp.services.authoring import PublishRefused
from quizapp.services.ownership import AuthoringError
from quizapp.services.tokens import TokenError

TEMPLATES = pathlib.Path(exercises.__file__).parent / "templates"


def test_text_is_the_plain_ja_en_dict_it_replaces():
    text = Text("微分", "derivative")
    assert text == {"ja": "微分", "en": "derivative"}
    assert json.dumps(text, ensure_ascii=False) == '{"ja": "微分", "en": "derivative"}'
    assert (text.ja, text.en, text.pick("en"), text.pick("ja"), text.pick("fr")) == (
        "微分", "derivative", "derivative", "微分", "微分")
    assert pickle.loads(pickle.dumps(text)) == text
    assert type(pickle.loads(pickle.dumps(text))) is Text


def test_text_of_accepts_mappings_and_strings():
    assert Text.of({"ja": "あ", "en": "a"}) == {"ja": "あ", "en": "a"}
    assert Text.of("x") == {"ja": "x", "en": "x"}
    same = Text("a", "b")
    assert Text.of(same) is same
    assert pick({"ja": "あ", "en": "a"}, "en") == "a"


def test_template_texts_are_text():
    template = load_template((TEMPLATES / "shopping-apple-orange.yaml").read_text(encoding="utf-8"))
    assert isinstance(template.title, Text) and isinstance(template.statement, Text)
    assert template.title.ja and template.title.en


@pytest.mark.parametrize("make", [
    lambda: ExerciseError("あ", "a"), lambda: UnknownTemplate("あ", "a"),
    lambda: ParamsError("あ", "a", field="x"), lambda: TemplateBroken("あ", "a", seed=1),
    lambda: AnswerFormatError("あ", "a", caret="^"), lambda: AuthoringError("あ", "a"),
    lambda: PublishRefused("あ", "a", problems=[{"code": "c"}]),
])
def test_every_bilingual_error_shares_the_base(make):
    err = make()
    assert isinstance(err, BilingualError)
    assert (str(err), err.message("ja"), err.message("en"), err.text) == ("あ", "あ", "a", {"ja": "あ", "en": "a"})
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is type(err) and back.__dict__ == err.__dict__ and str(back) == "あ"


def test_errors_raised_by_the_library_are_bilingual():
    with pytest.raises(ExprError) as expr:
        parse("1 +")
    with pytest.raises(AnswerFormatError) as answer:
        parse_number("")
    with pytest.raises(SourceError) as source:
        load_with_lines("a: [")
    with pytest.raises(TemplateError) as template:
        load_template("slug: 1\n")
    for err in (expr.value, answer.value, source.value, template.value):
        assert isinstance(err, BilingualError)
        assert err.message_ja and err.message_en and err.message_ja != err.message_en
    assert answer.value.to_dict() == {"ja": "回答が空です", "en": "the answer is empty", "caret": None}


def test_token_error_keeps_english_as_its_str():
    err = TokenError("too_many", "多すぎます", "too many")
    assert isinstance(err, BilingualError)
    assert (str(err), err.code, err.message("ja")) == ("too many", "too_many", "多すぎます")

