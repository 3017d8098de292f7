"""Run the docs' code blocks as tests (Sybil); the configuration is in tests/doc_examples.py."""

from tests.doc_examples import sybil

pytest_collect_file = sybil().pytest()
