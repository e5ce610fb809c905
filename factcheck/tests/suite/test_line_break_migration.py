"""The migration that made every article's line breaks LF moved each claim's offsets with its text."""

import importlib
import random

migration = importlib.import_module("factcheck.migrations.0007_canonical_text_and_anchors")


def test_each_offset_lands_on_the_same_character_once_crlf_becomes_lf():
    generator = random.Random(15)
    for _ in range(300):
        text = "".join(generator.choice(["a", "b", " ", "\r\n", "\n", "\r", "é"]) for _ in range(80))
        canonical = migration._canonical(text)
        for start in range(len(text)):
            if text[start] == "\r" and text.startswith("\r\n", start):
                continue  # a quote never starts on the half of a line break that goes
            quote = migration._canonical(text[start : start + 12])
            moved = migration._new_offset(text, start)
            assert canonical[moved : moved + len(quote)] == quote, (text, start)
