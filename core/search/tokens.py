"""Turning values into search tokens: words, suffixes, pinyin and pinyin initials."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from pypinyin import lazy_pinyin
from pypinyin.seg.simpleseg import seg

MAX_TOKEN = 64
# Suffixes start within the first characters of a run only: a name's tail is
# found from its start, a long description does not explode into tokens.
MAX_SUFFIX_STARTS = 16
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[0-9a-z\u00c0-\u024f]+")


def normalise(text: str) -> str:
    """Lower case, full-width forms folded (ＡＢＣ１ → abc1)."""
    return unicodedata.normalize("NFKC", text or "").lower().strip()


def _suffixes(parts: list[str]) -> set[str]:
    return {"".join(parts[start:])[:MAX_TOKEN] for start in range(min(len(parts), MAX_SUFFIX_STARTS))}


@lru_cache(maxsize=32_768)  # a few MB at most: words, not names
def _word_pinyin(word: str) -> tuple[str, ...]:
    """The syllables of one word of pypinyin's segmentation, converted once per word.

    Names share their words (城市, 有限公司, 科技...): converting each distinct word
    once instead of per row was most of an import's time (#22).
    """
    return tuple(lazy_pinyin(word, errors="ignore"))


def syllables(run: str) -> list[str]:
    """The pinyin of a run of Chinese characters, as `lazy_pinyin(run)` reads it:
    pypinyin's phrase segmentation keeps heteronyms right (重庆 → chong qing)."""
    return [syllable for word in seg(run) for syllable in _word_pinyin(word)]


def _chinese(run: str) -> set[str]:
    """A run of Chinese characters: its suffixes, pinyin and initials (and their suffixes)."""
    characters = list(run)
    pinyin = syllables(run)
    initials = [syllable[0] for syllable in pinyin if syllable]
    return _suffixes(characters) | _suffixes(pinyin) | _suffixes(initials)


def tokens_of(values: Iterable[object]) -> set[str]:
    """Every token of `values`: found by a prefix of any of them."""
    found: set[str] = set()
    for value in values:
        if value is None or value == "":
            continue
        text = normalise(str(value))
        compact = re.sub(r"[\s\-()（）]+", "", text)
        if compact and not _CJK.search(compact):
            found.add(compact[:MAX_TOKEN])  # "li.na@example.com", "02583421234"
            if compact.isdigit() and len(compact) > 4:  # a phone number by its last digits
                found |= {compact[start:] for start in range(1, len(compact) - 3)}
        for run in _CJK.findall(text):
            found |= _chinese(run)
        for word in _WORD.findall(text):
            found.add(word[:MAX_TOKEN])
            if word.isdigit() and len(word) > 4:  # a phone number by its last digits
                found |= {word[start:] for start in range(1, len(word) - 3)}
        # Chinese names of many runs ("南京 新星") are also found written together.
        runs = _CJK.findall(text)
        if len(runs) > 1:
            found |= _chinese("".join(runs))
    return {token for token in found if token}


def query_words(query: str) -> list[str]:
    """The words of a query, each matched as a token prefix ("nanjing xinxing" → two)."""
    text = normalise(query)
    words = [word for word in re.split(r"[\s,，;；]+", text) if word]
    return [re.sub(r"[\-()（）]+", "", word)[:MAX_TOKEN] for word in words][:4]
