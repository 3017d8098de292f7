"""Exercises (docs/hooks/exercises.py): every content page has them, both languages agree,
and every answer on the built pages is what the package computes now.

Content pages are the teaching pages. Not counted: the home page (an overview whose one
example each later page teaches and exercises), the fixed notebook (the notebook of the
PyTorch page, run as a notebook), the playground (itself a place to try numbers), the
glossary, the API reference and the teachers' page.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
sys.path.insert(0, str(DOCS / "hooks"))

import exercises  # noqa: E402
from page_numbers import typed_numbers  # noqa: E402

CONTENT_PAGES = [
    "notation.md",
    "forward.md",
    "loss.md",
    "backward.md",
    "matrix-form.md",
    "gradient-descent.md",
    "pytorch.md",
    "learning.md",
    "deeper.md",
    "pytorch-errors.md",
]
PAGES_WITH_EXERCISES = sorted(
    p.relative_to(DOCS).as_posix()
    for p in DOCS.glob("*.md")
    if not p.name.endswith(".zh.md") and "```exercise" in p.read_text(encoding="utf-8")
)
FORM = re.compile(r"<form [^>]*data-exercise=[^>]*>")
ATTR = re.compile(r'([\w-]+)="([^"]*)"')


def found(page: str, language: str = "en") -> list[exercises.Exercise]:
    source = exercises._source(page, language)
    return [e for _, _, e in exercises.exercises_in(source.read_text(encoding="utf-8"), page)]


@pytest.mark.parametrize("page", CONTENT_PAGES)
def test_content_page_has_three_exercises_two_checked(page: str) -> None:
    for language in ("en", "zh"):
        listed = found(page, language)
        assert len(listed) >= 3, f"{page} ({language}): {len(listed)} exercises, want ≥ 3"
        checked = [e.id for e in listed if e.checked]
        assert len(checked) >= 2, f"{page} ({language}): checked {checked}, want ≥ 2"


@pytest.mark.parametrize("page", PAGES_WITH_EXERCISES)
def test_languages_agree(page: str) -> None:
    """Same ids, answers, decimals, choices and code in both; only the prose is translated."""
    english = [e.key() for e in found(page, "en")]
    chinese = [e.key() for e in found(page, "zh")]
    assert chinese == english


def parse(text: str) -> exercises.Exercise:
    return exercises.parse(text, "test")


def test_a_typed_answer_fails() -> None:
    with pytest.raises(exercises.ExerciseError, match="typed in"):
        parse("id: a\ntitle: t\nquestion: q\nsolution: s\nanswer: '0.25'\n")
    with pytest.raises(exercises.ExerciseError, match="typed in"):
        parse("id: a\ntitle: t\nquestion: q\nsolution: s\nanswer: '[1, -2]'\n")


def test_bad_fences_fail_clearly() -> None:
    with pytest.raises(exercises.ExerciseError, match="'solution' is required"):
        parse("id: a\ntitle: t\nquestion: q\n")
    with pytest.raises(exercises.ExerciseError, match="unknown keys"):
        parse("id: a\ntitle: t\nquestion: q\nsolution: s\nanwser: x\n")
    with pytest.raises(exercises.ExerciseError, match="lowercase words"):
        parse("id: A b\ntitle: t\nquestion: q\nsolution: s\n")
    with pytest.raises(exercises.ExerciseError, match="choices without an answer"):
        parse("id: a\ntitle: t\nquestion: q\nsolution: s\nchoices: [x, y]\n")


def test_answers_need_decimals_and_must_be_a_choice() -> None:
    namespace = {"x": 0.125, "word": "b"}
    fractional = parse("id: a\ntitle: t\nquestion: q\nsolution: s\nanswer: x\n")
    with pytest.raises(exercises.ExerciseError, match="decimals"):
        exercises.compute_answer(fractional, namespace, "test")
    choice = parse("id: a\ntitle: t\nquestion: q\nsolution: s\nanswer: word\nchoices: [a, c]\n")
    with pytest.raises(exercises.ExerciseError, match="not one of"):
        exercises.compute_answer(choice, namespace, "test")


def test_snippet_helpers() -> None:
    fence = "id: a\ntitle: t\nquestion: q\nsolution: s\nanswer: failing_line()\n"
    fence += 'code: "a = 1\\nb = a / 0"'
    broken = parse(fence)
    assert exercises.compute_answer(broken, {}, "test") == 2
    printing = parse(
        "id: a\ntitle: t\nquestion: q\nsolution: s\nanswer: output()\ncode: print(2 + 2)\n"
    )
    assert exercises.compute_answer(printing, {}, "test") == "4"


def built_forms(site: Path, page: str, language: str) -> list[dict[str, str]]:
    folder = "" if page == "index.md" else page.removesuffix(".md") + "/"
    path = site / ("zh/" if language == "zh" else "") / folder / "index.html"
    forms = FORM.findall(path.read_text(encoding="utf-8"))
    return [{k: html.unescape(v) for k, v in ATTR.findall(form)} for form in forms]


@pytest.mark.build
@pytest.mark.parametrize("page", PAGES_WITH_EXERCISES)
def test_built_answers_are_what_the_package_computes(built_site: Path, page: str) -> None:
    """Each data-answer on the built page equals the answer expression evaluated now in the
    page's namespace (its code run as the doc tests run it), in both languages."""
    namespace = exercises.evaluation_namespace(exercises.page_namespace(DOCS / page))
    expected = {
        e.id: exercises.compute_answer(e, namespace, page) for e in found(page) if e.checked
    }
    assert expected, f"{page}: no checked exercise"
    for language in ("en", "zh"):
        forms = built_forms(built_site, page, language)
        shown = {form["data-exercise"]: json.loads(form["data-answer"]) for form in forms}
        assert shown == expected, language
        for form in forms:
            assert int(form["data-decimals"]) == (
                next(e for e in found(page) if e.id == form["data-exercise"]).decimals or 0
            )


NODE = shutil.which("node")


@pytest.mark.skipif(NODE is None, reason="node is needed to run exercises.js outside a browser")
@pytest.mark.parametrize(
    ("typed", "answer", "decimals", "verdict"),
    [
        ("0.13", 0.12734, 2, "correct"),
        ("0.127", 0.12734, 2, "correct"),
        ("0.12734", 0.12734, 2, "correct"),
        ("0.12", 0.12734, 2, "incorrect"),
        ("0.125", 0.12734, 2, "incorrect"),
        ("0.1", 0.12734, 2, "precision"),
        ("０.１３", 0.12734, 2, "correct"),  # full-width, from a Chinese input method
        ("−2", -2, 0, "correct"),  # U+2212 minus
        ("-2.0", -2, 0, "correct"),
        ("2", -2, 0, "incorrect"),
        ("0,13", 0.12734, 2, "number"),
        ("abc", 1, 0, "number"),
        ("1, 2", [1, 2], 0, "correct"),
        ("1，2", [1, 2], 0, "correct"),
        ("2, 1", [1, 2], 0, "incorrect"),
        ("1", [1, 2], 0, "count"),
        (" Leaf ", "leaf", 0, "correct"),
    ],
)
def test_checker(typed: str, answer: Any, decimals: int, verdict: str) -> None:
    script = (
        f"const {{check}} = require({json.dumps(str(DOCS / exercises.SCRIPT))});"
        f"const r = check({json.dumps(typed)}, {json.dumps(answer)}, {decimals}, false);"
        "process.stdout.write(r.verdict);"
    )
    result = subprocess.run([NODE, "-e", script], capture_output=True, text=True, check=True)
    assert result.stdout == verdict


def given(exercise: exercises.Exercise) -> set[str]:
    """The numbers a question gives the reader (its data): in its text, code and choices."""
    text = " ".join([exercise.question, exercise.code or "", json.dumps(exercise.choices)])
    return set(re.findall(r"\d+(?:\.\d+)?", text))


@pytest.mark.parametrize("page", PAGES_WITH_EXERCISES)
def test_solutions_type_no_results(page: str) -> None:
    """A solution's numbers come from markers, except the data its question gives (x = (2, 3),
    η = 0.1): the rule of tests/page_numbers.py, applied inside the exercise fences."""
    typed = []
    for language in ("en", "zh"):
        for exercise in found(page, language):
            for part in (exercise.title, exercise.solution):
                for number in typed_numbers(part, f"{page}#{exercise.id}"):
                    if number.number not in given(exercise):
                        typed.append(
                            f"{language} {exercise.id}: {number.number!r} in {number.context!r}"
                        )
    assert not typed, "\n".join(typed)


@pytest.mark.build
@pytest.mark.parametrize("language", ["en", "zh"])
def test_teachers_page_lists_every_exercise_and_notebook(built_site: Path, language: str) -> None:
    """The teachers' page links every exercise of every page (by its anchor, which the page
    has) and every notebook a page offers (the file exists)."""
    root = built_site / ("zh" if language == "zh" else "")
    teachers = (root / "teachers" / "index.html").read_text(encoding="utf-8")
    for page in PAGES_WITH_EXERCISES:
        folder = page.removesuffix(".md")
        built = (root / folder / "index.html").read_text(encoding="utf-8")
        for exercise in found(page, language):
            assert f'href="../{folder}/#ex-{exercise.id}"' in teachers, (page, exercise.id)
            assert f'id="ex-{exercise.id}"' in built, (page, exercise.id)
    hrefs = re.findall(r'<a href="([^"]+\.ipynb)" download>', teachers)
    linked = {(root / "teachers" / href).resolve() for href in hrefs}
    offered = {p.resolve() for p in root.rglob("*.ipynb")}
    if language == "en":
        offered = {p for p in offered if (built_site / "zh") not in p.parents}
    assert linked == offered
