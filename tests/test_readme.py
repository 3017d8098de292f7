"""The README's Python example is run like a docs page, so the first thing a visitor reads works."""

from pathlib import Path

from doc_examples import sybil

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_examples_run() -> None:
    document = sybil().parse(README)
    examples = list(document)
    assert examples, "the README shows Python; Sybil must find it"
    for example in examples:
        example.evaluate()
