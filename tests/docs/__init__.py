"""The examples of README.md and docs/*.md, run against a real registry (``test_examples.py``)."""
