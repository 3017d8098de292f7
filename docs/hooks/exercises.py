"""Exercises: ```exercise fences (YAML) rendered with answers computed at build time.

A page writes, usually in a final "## Exercises" section:

    ```exercise
    id: zero-gradients                 # anchor #ex-zero-gradients, the same in both languages
    title: How many gradients are 0?   # a short name (heading, teachers' list)
    question: |                        # Markdown, {{ expr }} markers allowed
      How many of the 13 gradients are exactly 0?
    code: |                            # optional snippet shown under the question
      print(grads.weights[0][2])
    answer: sum(1 for p in parameters(net) if p.gradient(grads) == 0)
    decimals: 0                        # numbers: the decimals the reader must give
    choices: [a, b]                    # optional: radio buttons, one per value
    solution: |                        # Markdown, folded away; its numbers are {{ markers }}
      ...
    solution_code: |                   # optional: shown atop the solution, run before its
      nudged = ...                     # markers, which may use what it defines
    ```

`answer` is a Python expression evaluated in the page's namespace: the page's ```python
blocks run first, in order, with the doc tests' Sybil configuration (tests/doc_examples.py),
so an exercise can only ask about what the page computed; the package's public names are
there too. For a `code` snippet, `output()` is what it prints, `failing_line()` the
number of the line that raises, `raised()` the exception and `scope()` its names after it
ran; the question and solution may quote `{{ answer }}` and these too. An answer that is a
literal (typed in) fails the build, as does a doctest on the page whose output differs.
Without `answer` the exercise is not checked: the reader compares with the folded solution.

The checked form follows the contract the browser tests use: an element with
`data-exercise` and `data-answer` (JSON) holding a text input or radio inputs whose values
are the choices; docs/assets/exercises.js sets its `data-state` to "correct" or "incorrect".

The Chinese twin carries the same fences with the prose translated; tests/test_exercises.py
checks that ids, answers, decimals, choices and code agree.

`<!-- exercises: index -->` renders the list of every page's exercises (the teachers' page);
`<!-- exercises: notebooks -->` the notebooks a reader can download.

Why a hook and not only a superfences custom fence: a fence formatter is not told which page
it renders, and the answer needs that page's namespace; the solution is Markdown with math
and details, which the page's own Markdown run renders when the hook hands it over as text.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import html
import importlib.util
import io
import json
import math
import re
import traceback
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from _fences import blocks
from facts import number as facts_number
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PACKAGE = ROOT / "src" / "backpropdoc"
SCRIPT = "assets/exercises.js"

KEYS = {
    "id",
    "title",
    "question",
    "code",
    "answer",
    "decimals",
    "choices",
    "unordered",
    "solution",
    "solution_code",
}
ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MARKER = re.compile(r"\{\{\s*(?P<expr>.+?)\s*\}\}")
MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$", re.DOTALL)
INDEX = "<!-- exercises: index -->"
NOTEBOOKS = "<!-- exercises: notebooks -->"

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "exercise": "Exercise",
        "colon": ": ",
        "solution": "Solution",
        "answer": "Your answer",
        "decimals": "to {n} decimals",
        "decimal": "to 1 decimal",
        "list": "separate the values with commas",
        "choose": "Choose one",
        "check": "Check",
        "correct": "Correct.",
        "incorrect": "Not this one. Try again, or open the solution below.",
        "precision": "Give at least {n} decimals.",
        "number": "Type a number, such as 0.25 (with a point before the decimals).",
        "count": "Give {n} values, separated by commas.",
        "none": "Choose an answer first.",
        "checked": "checked on the page",
        "unchecked": "worked solution only",
        "page": "Page",
        "exercises": "Exercises",
    },
    "zh": {
        "exercise": "练习",
        "colon": "：",
        "solution": "解答",
        "answer": "你的答案",
        "decimals": "保留 {n} 位小数",
        "decimal": "保留 1 位小数",
        "list": "各值之间用逗号分隔",
        "choose": "选择一项",
        "check": "检查",
        "correct": "正确。",
        "incorrect": "不对。再试一次，或展开下面的解答。",
        "precision": "请至少保留 {n} 位小数。",
        "number": "请输入一个数，例如 0.25（小数部分前用小数点“.”）。",
        "count": "请给出 {n} 个值，用逗号分隔。",
        "none": "请先选择一个答案。",
        "checked": "可在页面上检查",
        "unchecked": "仅附解答",
        "page": "页面",
        "exercises": "练习",
    },
}


class ExerciseError(PluginError):
    pass


# ---------------------------------------------------------------------------
# The page's namespace


def _doc_examples() -> Any:
    spec = importlib.util.spec_from_file_location("doc_examples", ROOT / "tests/doc_examples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_namespaces: dict[tuple[str, str], dict[str, Any]] = {}


def _package_digest() -> str:
    digest = hashlib.sha256()
    for source in sorted(PACKAGE.rglob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()


def page_namespace(path: Path) -> dict[str, Any]:
    """The namespace of the page's ```python blocks after they ran, as the doc tests run them.

    Cached on the page text and the package source. A doctest whose output differs fails the
    build. (A Chinese page runs its English twin: their code is the same, tests/test_parity.py.)
    """
    english = path.with_name(path.name.replace(".zh.md", ".md"))
    key = (str(english), hashlib.sha256(english.read_bytes()).hexdigest() + _package_digest())
    if key not in _namespaces:
        examples = _doc_examples()
        document = examples.sybil().parse(english)
        examples.setup(document.namespace)
        for example in document:
            try:
                example.evaluate()
            except Exception as error:
                raise ExerciseError(
                    f"{english.relative_to(DOCS)}, line {example.line}: the page's code "
                    f"failed while computing exercise answers:\n{error}"
                ) from error
        _namespaces[key] = document.namespace
    return _namespaces[key]


def evaluation_namespace(page: dict[str, Any]) -> dict[str, Any]:
    """`math` and the package's public names, then the page's names on top."""
    import backpropdoc

    names = {name: getattr(backpropdoc, name) for name in backpropdoc.__all__}
    return {"math": math, **names, **page}


# ---------------------------------------------------------------------------
# Parsing


@dataclass
class Exercise:
    id: str
    title: str
    question: str
    solution: str
    answer: str | None = None
    code: str | None = None
    decimals: int | None = None
    choices: list[Any] | None = None
    unordered: bool = False
    labels: list[str] = field(default_factory=list)
    solution_code: str | None = None

    @property
    def checked(self) -> bool:
        return self.answer is not None

    def key(self) -> tuple[Any, ...]:
        """What must agree between the two languages: everything but the prose."""
        values = None if self.choices is None else [json.dumps(c) for c in self.choices]
        return (
            self.id,
            self.answer,
            self.code,
            self.decimals,
            values,
            self.unordered,
            self.solution_code,
        )


def parse(source: str, where: str = "exercise") -> Exercise:
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as error:
        raise ExerciseError(f"{where}: not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise ExerciseError(f"{where}: expected a YAML mapping with id, title, question, ...")
    unknown = set(data) - KEYS
    if unknown:
        raise ExerciseError(f"{where}: unknown keys {sorted(unknown)} (known: {sorted(KEYS)})")
    for key in ("id", "title", "question", "solution"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise ExerciseError(f"{where}: '{key}' is required (a non-empty string)")
    if not ID.match(data["id"]):
        raise ExerciseError(f"{where}: id {data['id']!r} must be lowercase words joined by '-'")
    where = f"{where} {data['id']!r}"
    answer = data.get("answer")
    if answer is not None:
        if not isinstance(answer, str):
            raise ExerciseError(
                f"{where}: 'answer' must be a Python expression (a string), got {answer!r}"
            )
        try:
            tree = ast.parse(answer, mode="eval")
        except SyntaxError as error:
            raise ExerciseError(f"{where}: answer {answer!r} is not an expression") from error
        try:
            ast.literal_eval(tree)
        except ValueError:
            pass
        else:
            raise ExerciseError(
                f"{where}: answer {answer!r} is typed in; compute it from the page's code"
            )
    decimals = data.get("decimals")
    if decimals is not None and (
        isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0
    ):
        raise ExerciseError(f"{where}: 'decimals' must be a whole number ≥ 0, got {decimals!r}")
    choices = data.get("choices")
    labels: list[str] = []
    if choices is not None:
        if not isinstance(choices, list) or len(choices) < 2:
            raise ExerciseError(f"{where}: 'choices' must be a list of at least two values")
        values = []
        for choice in choices:
            # A choice is a value, or {value: label} when the label differs (math, translation).
            if isinstance(choice, dict) and len(choice) == 1:
                ((value, label),) = choice.items()
            else:
                value, label = choice, choice
            if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                raise ExerciseError(f"{where}: choice {value!r} must be a string or a number")
            values.append(value)
            labels.append(str(label))
        if len({json.dumps(v) for v in values}) != len(values):
            raise ExerciseError(f"{where}: choices repeat")
        choices = values
        if answer is None:
            raise ExerciseError(f"{where}: choices without an answer")
    code = data.get("code")
    if code is not None and not isinstance(code, str):
        raise ExerciseError(f"{where}: 'code' must be a string (a YAML block: `code: |`)")
    solution_code = data.get("solution_code")
    if solution_code is not None and not isinstance(solution_code, str):
        raise ExerciseError(f"{where}: 'solution_code' must be a string (`solution_code: |`)")
    return Exercise(
        id=data["id"],
        title=data["title"].strip(),
        question=data["question"].strip("\n"),
        solution=data["solution"].strip("\n"),
        answer=answer,
        code=None if code is None else code.rstrip("\n"),
        decimals=decimals,
        choices=choices,
        unordered=bool(data.get("unordered", False)),
        labels=labels,
        solution_code=None if solution_code is None else solution_code.rstrip("\n"),
    )


def exercises_in(markdown: str, where: str = "page") -> Iterator[tuple[int, int, Exercise]]:
    """(first line, line after the closing fence, exercise) for each ```exercise fence."""
    lines = markdown.split("\n")
    for block in blocks(lines):
        if block.info == "exercise":
            if block.indent:
                raise ExerciseError(f"{where}: an ```exercise fence must not be indented")
            end = block.opening + len(block.lines) + 2
            yield block.opening, end, parse("\n".join(block.lines), where)


# ---------------------------------------------------------------------------
# Answers


def run_code(
    code: str, namespace: dict[str, Any]
) -> tuple[dict[str, Any], str, BaseException | None]:
    """Run code in a copy of the page's namespace (so it cannot change what later exercises
    see): its scope, what it printed, and the exception it raised, if any. Warnings (such as
    reading .grad of a non-leaf) are the snippet's business, not the build's."""
    printed = io.StringIO()
    scope = dict(namespace)
    error: BaseException | None = None
    with contextlib.redirect_stdout(printed), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            exec(compile(code, "<exercise>", "exec"), scope)
        except Exception as raised:
            error = raised
    return scope, printed.getvalue(), error


def snippet_helpers(code: str | None, namespace: dict[str, Any]) -> dict[str, Callable[..., Any]]:
    """For an answer: `output()` (what the snippet prints), `failing_line()` (the snippet's
    line that raises), `raised()` (the exception it raises), `scope()` (its names after it
    ran) and `run(code)` (the names after running any code)."""

    def snippet() -> str:
        if code is None:
            raise ExerciseError("output() and failing_line() need a `code` snippet")
        return code

    def output() -> str:
        _, printed, error = run_code(snippet(), namespace)
        if error is not None:
            raise ExerciseError(f"the snippet raised {error!r}; ask for failing_line() instead")
        return printed.rstrip("\n")

    def failing_line() -> int:
        _, _, error = run_code(snippet(), namespace)
        if error is None:
            raise ExerciseError("the snippet ran without an error: no failing line")
        if isinstance(error, SyntaxError) and error.lineno is not None:
            return error.lineno
        frames = traceback.extract_tb(error.__traceback__)
        lines = [f.lineno for f in frames if f.filename == "<exercise>" and f.lineno]
        if not lines:
            raise ExerciseError(f"the snippet raised {error!r} outside its own lines")
        return int(lines[-1])  # the snippet's innermost frame: the line the reader wrote

    def scope() -> dict[str, Any]:
        names, _, error = run_code(snippet(), namespace)
        if error is not None:
            raise ExerciseError(f"the snippet raised {error!r}")
        return names

    def raised() -> BaseException:
        _, _, error = run_code(snippet(), namespace)
        if error is None:
            raise ExerciseError("the snippet ran without an error: nothing raised")
        return error

    def run(source: str) -> dict[str, Any]:
        scope, _, error = run_code(source, namespace)
        if error is not None:
            raise ExerciseError(f"run({source!r}) raised {error!r}")
        return scope

    return {
        "output": output,
        "failing_line": failing_line,
        "scope": scope,
        "raised": raised,
        "run": run,
    }


def plain(value: Any, where: str) -> Any:
    """A JSON value: tensors become numbers or lists, tuples lists; no NaN or infinity."""
    if hasattr(value, "tolist") and callable(value.tolist):
        value = value.tolist()
    if isinstance(value, bool):
        raise ExerciseError(f"{where}: a yes/no answer needs choices (strings), not {value!r}")
    if isinstance(value, (list, tuple)):
        return [plain(v, where) for v in value]
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ExerciseError(f"{where}: the answer is {value}")
        return value
    if isinstance(value, str):
        return value
    raise ExerciseError(f"{where}: cannot check an answer of type {type(value).__name__}")


def compute_answer(exercise: Exercise, namespace: dict[str, Any], where: str) -> Any:
    assert exercise.answer is not None
    scope = {
        **namespace,
        **snippet_helpers(exercise.code, namespace),
        "choices": exercise.choices,
    }
    try:
        value = eval(compile(exercise.answer, "<answer>", "eval"), scope)
    except ExerciseError as error:
        raise ExerciseError(f"{where}: {error}") from error
    except Exception as error:
        raise ExerciseError(f"{where}: answer {exercise.answer!r} raised {error!r}") from error
    value = plain(value, where)
    numbers = value if isinstance(value, list) else [value]
    for number in numbers:
        if (
            isinstance(number, float)
            and not number.is_integer()
            and exercise.decimals is None
            and exercise.choices is None
        ):
            raise ExerciseError(
                f"{where}: the answer {number!r} is not a whole number: say how many decimals "
                "the reader gives (decimals: N)"
            )
    if exercise.choices is not None and value not in exercise.choices:
        raise ExerciseError(f"{where}: the answer {value!r} is not one of {exercise.choices!r}")
    return value


# ---------------------------------------------------------------------------
# Numbers in the prose: {{ expr }} and {{ expr :fmt }}


def format_number(value: Any, spec: str | None, in_math: bool) -> str:
    """As facts.py writes a number (6 significant digits, −0 is 0, 1e-06 reads 1×10⁻⁶); any
    other value (a list, a message) as its text."""
    if hasattr(value, "tolist") and getattr(value, "numel", lambda: 0)() != 1:
        value = value.tolist()
    if hasattr(value, "item") and callable(value.item):
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return str(value)
    return facts_number(value, spec, math_mode=in_math)


def render_markers(text: str, namespace: dict[str, Any], where: str) -> str:
    def evaluate(match: re.Match[str], in_math: bool) -> str:
        expr, spec = match["expr"], None
        if " :" in expr:
            expr, spec = (part.strip() for part in expr.rsplit(" :", 1))
        try:
            value = eval(compile(expr, "<marker>", "eval"), dict(namespace))
        except Exception as error:
            raise ExerciseError(f"{where}: {{{{ {match['expr']} }}}} raised {error!r}") from error
        return format_number(value, spec, in_math)

    out, place = [], 0
    for math_span in MATH.finditer(text):
        out.append(MARKER.sub(lambda m: evaluate(m, False), text[place : math_span.start()]))
        out.append(MARKER.sub(lambda m: evaluate(m, True), math_span.group(0)))
        place = math_span.end()
    out.append(MARKER.sub(lambda m: evaluate(m, False), text[place:]))
    return "".join(out)


# ---------------------------------------------------------------------------
# Rendering


def inline_math(text: str) -> str:
    """Escape a label for HTML; $...$ becomes arithmatex's markup, which katex.py renders,
    and `code` becomes <code>."""
    out, place = [], 0
    for m in re.finditer(r"\$([^$\n]+?)\$|`([^`\n]+)`", text):
        out.append(html.escape(text[place : m.start()]))
        if m[1] is not None:
            out.append(f'<span class="arithmatex">\\({html.escape(m[1], quote=False)}\\)</span>')
        else:
            out.append(f"<code>{html.escape(m[2])}</code>")
        place = m.end()
    out.append(html.escape(text[place:]))
    return "".join(out)


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def hint(exercise: Exercise, answer: Any, words: dict[str, str]) -> str:
    parts = []
    if exercise.decimals:
        parts.append(
            words["decimal"]
            if exercise.decimals == 1
            else words["decimals"].format(n=exercise.decimals)
        )
    if isinstance(answer, list):
        parts.append(words["list"])
    return "; ".join(parts) if language_of(words) == "en" else "，".join(parts)


def language_of(words: dict[str, str]) -> str:
    return next(lang for lang, w in WORDS.items() if w is words)


def render_form(exercise: Exercise, answer: Any, words: dict[str, str]) -> str:
    base = f"ex-{exercise.id}"
    messages = {
        "data-msg-correct": words["correct"],
        "data-msg-incorrect": words["incorrect"],
        "data-msg-precision": words["precision"],
        "data-msg-number": words["number"],
        "data-msg-count": words["count"],
        "data-msg-none": words["none"],
    }
    attrs = {
        "class": "bpd-exercise-check",
        "data-exercise": exercise.id,
        "data-answer": json.dumps(answer, ensure_ascii=False),
        "data-decimals": str(exercise.decimals or 0),
        **({"data-unordered": ""} if exercise.unordered else {}),
        **messages,
    }
    opening = "<form " + " ".join(f'{k}="{_attr(v)}"' for k, v in attrs.items()) + ">"
    verdict = f'<p class="bpd-verdict" id="{base}-verdict" role="status" aria-live="polite"></p>'
    button = f'<button type="submit" class="md-button">{html.escape(words["check"])}</button>'
    if exercise.choices is not None:
        options = []
        for i, (value, label) in enumerate(zip(exercise.choices, exercise.labels, strict=True)):
            raw = value if isinstance(value, str) else json.dumps(value)
            options.append(
                f'<label><input type="radio" name="{base}" id="{base}-{i}" value="{_attr(raw)}"> '
                f"{inline_math(label)}</label>"
            )
        field_ = (
            f"<fieldset><legend>{html.escape(words['choose'])}</legend>"
            + "".join(options)
            + "</fieldset>"
        )
    else:
        note = hint(exercise, answer, words)
        label = words["answer"] + (f" ({note})" if note and language_of(words) == "en" else "")
        if note and language_of(words) == "zh":
            label += f"（{note}）"
        numeric = all(
            isinstance(v, (int, float)) for v in (answer if isinstance(answer, list) else [answer])
        )
        mode = ' inputmode="decimal"' if numeric and not isinstance(answer, list) else ""
        field_ = (
            f'<label for="{base}-input">{html.escape(label)}</label> '
            f'<input type="text" id="{base}-input" name="answer"{mode} autocomplete="off" '
            f'spellcheck="false" aria-describedby="{base}-verdict">'
        )
    return f"{opening}\n{field_} {button}\n{verdict}\n</form>"


def indent(text: str) -> str:
    return "\n".join(f"    {line}" if line.strip() else "" for line in text.split("\n"))


def render(
    exercise: Exercise, number: int, namespace: dict[str, Any], words: dict[str, str], where: str
) -> str:
    where = f"{where}, exercise {exercise.id!r}"
    answer = compute_answer(exercise, namespace, where) if exercise.checked else None
    # The prose may quote the snippet's output and the answer itself: {{ answer }}, {{ output() }}.
    scope = {**namespace, **snippet_helpers(exercise.code, namespace), "answer": answer}
    question = render_markers(exercise.question, scope, where)
    if exercise.solution_code is not None:
        # Shown at the top of the solution; what it defines, the solution's markers may use.
        names, _, error = run_code(exercise.solution_code, scope)
        if error is not None:
            raise ExerciseError(f"{where}: solution_code raised {error!r}")
        scope = names
    solution = render_markers(exercise.solution, scope, where)
    title = render_markers(exercise.title, scope, where)
    parts = [
        '<div class="bpd-exercise" markdown="block">',
        "",
        f"### {words['exercise']} {number}{words['colon']}{title} {{#ex-{exercise.id}}}",
        "",
        question,
        "",
    ]
    if exercise.code is not None:
        # Numbered (questions ask "which line"); no copy button: it runs in the page's session.
        parts += ['``` { .py3 .no-copy linenums="1" }', exercise.code, "```", ""]
    if exercise.checked:
        parts += [render_form(exercise, answer, words), ""]
    solution_title = words["solution"]
    parts += [f'??? success "{solution_title}"', ""]
    if exercise.solution_code is not None:
        parts += [indent("``` { .py3 .no-copy }\n" + exercise.solution_code + "\n```"), ""]
    parts += [indent(solution), "", "</div>", ""]
    return "\n".join(parts)


def render_page(markdown: str, path: Path, language: str) -> tuple[str, int]:
    """The page with its exercise fences rendered, and how many there were."""
    where = str(path.relative_to(DOCS)) if path.is_relative_to(DOCS) else str(path)
    found = list(exercises_in(markdown, where))
    if not found:
        return markdown, 0
    words = WORDS[language]
    namespace = evaluation_namespace(page_namespace(path))
    lines = markdown.split("\n")
    seen: set[str] = set()
    for number, (start, end, exercise) in reversed(list(enumerate(found, start=1))):
        if exercise.id in seen:
            raise ExerciseError(f"{where}: two exercises with the id {exercise.id!r}")
        seen.add(exercise.id)
        lines[start:end] = render(exercise, number, namespace, words, where).split("\n")
    return "\n".join(lines), len(found)


# ---------------------------------------------------------------------------
# The teachers' page: every page's exercises, and the notebooks


def _nav_pages(nav: Any) -> Iterator[str]:
    for entry in nav or []:
        if isinstance(entry, str):
            yield entry
        elif isinstance(entry, dict):
            for value in entry.values():
                yield from (_nav_pages(value) if isinstance(value, list) else [value])


def _source(page: str, language: str) -> Path:
    english = DOCS / page
    twin = english.with_name(f"{english.stem}.zh{english.suffix}")
    return twin if language == "zh" and twin.exists() else english


def _title(text: str) -> str:
    m = re.search(r"^# (.+?)\s*(?:\{[^{}]*\})?\s*$", text, re.M)  # without an { #anchor }
    return m[1].strip() if m else ""


def exercise_index(nav: Any, language: str) -> str:
    words = WORDS[language]
    rows = []
    for page in _nav_pages(nav):
        if not page.endswith(".md"):
            continue
        text = _source(page, language).read_text(encoding="utf-8")
        found = [e for _, _, e in exercises_in(text, page)]
        if not found:
            continue
        rows.append(f"### [{_title(text)}]({page}#{words['exercises'].lower()})")
        rows.append("")
        for number, exercise in enumerate(found, start=1):
            how = words["checked"] if exercise.checked else words["unchecked"]
            title = re.sub(MARKER, "…", exercise.title)
            name = f"{words['exercise']} {number}{words['colon']}{title}"
            rows.append(
                f"{number}. [{name}]({page}#ex-{exercise.id})"
                + (f" ({how})" if language == "en" else f"（{how}）")
            )
        rows.append("")
    return "\n".join(rows)


def notebook_list(nav: Any, language: str, page_url: str) -> str:
    """A download link for each page's notebook (docs/hooks/page_notebooks.py writes them)."""
    items = []
    for page in _nav_pages(nav):
        source = _source(page, language)
        if page.endswith(".md") and "```python" not in source.read_text(encoding="utf-8"):
            continue
        name = Path(page).stem
        folder = "" if name == "index" and "/" not in page else f"{Path(page).with_suffix('')}/"
        target = ("zh/" if language == "zh" else "") + folder + f"{name}.ipynb"
        href = get_relative_url(target, page_url)
        title = _title(source.read_text(encoding="utf-8")) if page.endswith(".md") else page
        if not page.endswith(".md"):
            title = _notebook_title(source)
        items.append(
            f'<li><a href="{_attr(href)}" download>{html.escape(title)}</a> ({name}.ipynb)</li>'
        )
    return '<ul class="bpd-notebooks">\n' + "\n".join(items) + "\n</ul>"


def _notebook_title(source: Path) -> str:
    m = re.search(r"^# # (.+)$", source.read_text(encoding="utf-8"), re.M)
    return m[1].strip() if m else source.stem


# ---------------------------------------------------------------------------
# MkDocs events

_has_exercises: set[str] = set()


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.file.abs_src_path is None or not page.file.src_uri.endswith(".md"):
        return markdown
    language = config.theme["language"]
    markdown, count = render_page(markdown, Path(page.file.abs_src_path), language)
    if count:
        _has_exercises.add(page.file.src_uri)
    if INDEX in markdown:
        markdown = markdown.replace(INDEX, exercise_index(config.nav, language))
    if NOTEBOOKS in markdown:
        markdown = markdown.replace(NOTEBOOKS, notebook_list(config.nav, language, page.url))
    return markdown


def on_page_content(html_: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.file.src_uri not in _has_exercises:
        return html_
    _has_exercises.discard(page.file.src_uri)
    src = get_relative_url(SCRIPT, page.url)
    return html_ + f'\n<script src="{_attr(src)}" defer></script>\n'
