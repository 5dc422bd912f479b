"""SPEC 11: a questionnaire page's form is compiled once per block, locale and question set."""
from __future__ import annotations

from app.registry import default_questionnaire
from app.web.assess_forms import block_form, strategic_form


def test_the_form_class_is_compiled_once_per_page_and_locale(app):
    with app.test_request_context("/"):
        q = default_questionnaire()
        block = q.blocks[0]
        first = block_form(block, "da", {}, {})
        again = block_form(block, "da", {}, {})
        assert type(first) is type(again) and first is not again
        assert type(block_form(block, "en", {}, {})) is not type(first)  # labels per locale
        assert len(block.questions) > 1, block.questions
        fewer = block_form(block, "da", {}, {}, questions=block.questions[:1])
        assert type(fewer) is not type(first) and len(list(fewer)) == 4
        assert type(strategic_form(q, "da", {}, {})) is type(strategic_form(q, "da", {}, {}))


def test_a_reused_form_class_keeps_each_requests_data_apart(app):
    with app.test_request_context("/"):
        block = default_questionnaire().blocks[0]
        qid = block.questions[0].id
        from app.core.answers import Answer
        one = block_form(block, "da", {qid: Answer(level=2, comment="one")}, {qid: 3})
        two = block_form(block, "da", {}, {})
        assert one[f"{qid}-answer"].data == "2" and one[f"{qid}-comment"].data == "one"
        assert one[f"{qid}-version"].data == "3"
        assert two[f"{qid}-answer"].data is None and not two[f"{qid}-comment"].data
        assert two[f"{qid}-version"].data == "0"
        assert one[f"{qid}-answer"].label.text == two[f"{qid}-answer"].label.text
