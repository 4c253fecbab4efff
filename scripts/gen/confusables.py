#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Generates src/common/skeleton_table.inc: the fold from Unicode look-alikes to ASCII used by
the prompt scanner (src/common/memory_scan.cpp).

Each entry maps one code point to at most three lowercase ASCII characters. It is the
compatibility decomposition (NFKD, the half of NFKC that matters for matching) with
combining marks dropped, followed by a hand-made confusable map for the Cyrillic, Greek,
Armenian, Cherokee and Latin letters that look like Latin letters (the part of Unicode's
confusables.txt skeleton that attacks on English phrases use). Only results that end up
entirely ASCII are kept.

Run: python3 scripts/gen/confusables.py > src/common/skeleton_table.inc
"""
import unicodedata

# Look-alikes with no decomposition: first the letter, then the ASCII it passes for.
CONFUSABLE = {
    # Cyrillic
    "а": "a", "в": "b", "г": "r", "д": "d", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o",
    "п": "n", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ь": "b", "ѕ": "s", "і": "i",
    "ј": "j", "ԁ": "d", "һ": "h", "ԛ": "q", "ԝ": "w", "ѡ": "w", "ѵ": "v", "ү": "y", "ұ": "y",
    "ҝ": "k", "қ": "k", "ҡ": "k", "ң": "h", "ҫ": "c", "ҳ": "x", "ӏ": "l", "ө": "o", "ɵ": "o",
    "ђ": "h", "ћ": "h", "є": "e", "ә": "e", "ԍ": "g", "ԧ": "h", "ӽ": "x", "ӿ": "x",
    "А": "a", "В": "b", "Е": "e", "К": "k", "М": "m", "Н": "h", "О": "o", "Р": "p", "С": "c",
    "Т": "t", "У": "y", "Х": "x", "Ѕ": "s", "І": "i", "Ј": "j", "Һ": "h", "Ӏ": "i", "Ԛ": "q",
    "Ԝ": "w", "Ѡ": "w", "Ѵ": "v", "Ү": "y", "Ԁ": "d", "Ь": "b", "Ꙅ": "s", "ꙅ": "s",
    # Greek
    "α": "a", "β": "b", "γ": "y", "ε": "e", "ζ": "z", "η": "n", "ι": "i", "κ": "k", "μ": "u",
    "ν": "v", "ο": "o", "π": "n", "ρ": "p", "σ": "o", "ς": "c", "τ": "t", "υ": "u", "χ": "x",
    "ω": "w", "ϲ": "c", "ϳ": "j", "ϵ": "e", "ϱ": "p", "ϰ": "k", "ϐ": "b", "ϒ": "y",
    "Α": "a", "Β": "b", "Ε": "e", "Ζ": "z", "Η": "h", "Ι": "i", "Κ": "k", "Μ": "m", "Ν": "n",
    "Ο": "o", "Ρ": "p", "Τ": "t", "Υ": "y", "Χ": "x", "Ϲ": "c", "Ϳ": "j",
    # Armenian
    "օ": "o", "ս": "u", "հ": "h", "ո": "n", "ց": "g", "զ": "q", "Տ": "s", "Օ": "o", "Ս": "u",
    # Cherokee
    "Ꭺ": "a", "Ᏼ": "b", "Ꮯ": "c", "Ꭼ": "e", "Ꮋ": "h", "Ꭻ": "j", "Ꮶ": "k", "Ꮮ": "l", "Ꮇ": "m",
    "Ꮲ": "p", "Ꮪ": "s", "Ꭲ": "t", "Ꮃ": "w", "Ꮓ": "z", "Ꮑ": "n", "Ꭰ": "d", "Ꮐ": "g",
    # Latin letters without a decomposition
    "ı": "i", "ȷ": "j", "ɑ": "a", "ɡ": "g", "ɩ": "i", "ɪ": "i", "ʏ": "y", "ᴀ": "a", "ʙ": "b",
    "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ꜰ": "f", "ɢ": "g", "ʜ": "h", "ᴊ": "j", "ᴋ": "k", "ʟ": "l",
    "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ʀ": "r", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v",
    "ᴡ": "w", "ᴢ": "z", "ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
    "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "ħ": "h", "Ħ": "h", "ŧ": "t",
    "Ŧ": "t", "ƀ": "b", "ɨ": "i", "ƚ": "l", "ð": "d", "Ð": "d", "ŋ": "n", "ɓ": "b", "ɗ": "d",
    "ƒ": "f", "ɦ": "h", "ɱ": "m", "ɲ": "n", "ʋ": "v", "ʂ": "s", "ʐ": "z", "ɾ": "r",
    # Punctuation that reads as ASCII
    "\u2018": "'", "\u2019": "'", "\u201A": "'", "\u201B": "'", "\u2032": "'", "\u02BC": "'",
    "\u02B9": "'", "\u201C": '"', "\u201D": '"', "\u201E": '"', "\u201F": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u2043": "-", "\uFE58": "-", "\u2024": ".", "\u2027": ".", "\u00B7": ".",
    "\u2044": "/", "\u2215": "/", "\u29F8": "/", "\u2216": "\\", "\u29F9": "\\",
}

RANGES = [
    (0x00A0, 0x058F), (0x13A0, 0x13F5), (0x1D00, 0x1DBF), (0x1E00, 0x1FFF), (0x2010, 0x2052),
    (0x2070, 0x209F), (0x2100, 0x218F), (0x2212, 0x2216), (0x2460, 0x24FF), (0x29F8, 0x29F9),
    (0x2C60, 0x2C7F), (0xA640, 0xA69F), (0xA720, 0xA7FF), (0xFB00, 0xFB06), (0xFE58, 0xFE58),
    (0xFF01, 0xFF5E), (0x1D400, 0x1D7FF), (0x1F100, 0x1F1FF),
]


def fold(ch):
    if ch in CONFUSABLE:
        return CONFUSABLE[ch]
    out = ""
    for part in unicodedata.normalize("NFKD", ch):
        if unicodedata.category(part) == "Mn":
            continue
        part = CONFUSABLE.get(part, part)
        out += part
    return out.lower()


def c_string(text):
    return '"' + "".join("\\\\" if c == "\\" else '\\"' if c == '"' else c for c in text) + '"'


def main():
    rows = []
    for first, last in RANGES:
        for code in range(first, last + 1):
            ch = chr(code)
            if unicodedata.category(ch) in ("Cn", "Mn", "Cf", "Cc"):
                continue
            result = fold(ch)
            if not result or len(result) > 3 or not all(32 < ord(c) < 127 for c in result):
                continue
            rows.append((code, result))
    # Negative circled and negative squared Latin capitals (no decomposition).
    for base in (0x1F150, 0x1F170):
        for k in range(26):
            rows.append((base + k, chr(ord("a") + k)))
    rows = sorted(dict(rows).items())
    print("// SPDX-License-Identifier: MIT")
    print(f"// Generated by scripts/gen/confusables.py from Unicode {unicodedata.unidata_version}; do not edit.")
    for code, result in rows:
        print(f"{{0x{code:04X}, {c_string(result)}}},")


main()
