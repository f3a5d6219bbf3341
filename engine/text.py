"""Text from files made safe for the places it goes: terminals and names people compare.

Project files come from clients and colleagues.  Two rules live here, used everywhere:

* :func:`terminal_safe` — every string from a file that reaches a terminal (the CLI's text
  output and its error messages) goes through it: control characters (ESC, CR, LF, BEL, NUL,
  DEL, the C1 range) and the invisible formatting characters that reorder or hide text (bidi
  overrides and isolates, zero-width spaces) are written as visible escapes (``\\x1b``,
  ``\\u202e``), so a file can neither drive the terminal nor forge a line of output.
* :func:`clean_name` — scenario names are normalised to NFC (so "Café" typed two ways is one
  name) and names with invisible characters are refused with a message that says which one
  (so three scenarios that look identical cannot exist).  Files saved before this rule are
  normalised on load instead (:func:`normalised_name`), see engine.fileformat.
"""

from __future__ import annotations

import unicodedata

# Format characters that are part of writing some scripts and emoji sequences; every other
# format (Cf) character is invisible and only hides or reorders text in a name.
_JOINERS = frozenset({"\u200c", "\u200d"})  # zero-width non-joiner (Persian), joiner (emoji)


def _is_hidden(ch: str) -> bool:
    """A character that does not show as itself: controls, line/paragraph separators,
    invisible format characters (zero-width space, bidi overrides, BOM, soft hyphen)."""
    category = unicodedata.category(ch)
    if category in ("Cc", "Zl", "Zp"):
        return True
    return category == "Cf" and ch not in _JOINERS


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every hidden character written as a visible escape (``\\x1b``).  With
    ``keep_newlines`` the line breaks of a multi-line message the program itself composed stay;
    every other control character (CR included) is escaped."""
    out = []
    for ch in text:
        if keep_newlines and ch == "\n":
            out.append(ch)
        elif _is_hidden(ch) or 0xD800 <= ord(ch) <= 0xDFFF:  # lone surrogates: undecodable
            out.append(_escape(ch))
        else:
            out.append(ch)
    return "".join(out)


def hidden_characters(text: str) -> list[str]:
    """The hidden characters in ``text``, as 'U+200B ZERO WIDTH SPACE', each once."""
    seen: list[str] = []
    for ch in text:
        if _is_hidden(ch):
            label = f"U+{ord(ch):04X} {unicodedata.name(ch, 'control character')}"
            if label not in seen:
                seen.append(label)
    return seen


def clean_name(value: str) -> str:
    """A name as it is kept: NFC; raises ValueError naming the first invisible character."""
    hidden = hidden_characters(value)
    if hidden:
        more = f" (and {len(hidden) - 1} more)" if len(hidden) > 1 else ""
        raise ValueError(f"contains an invisible character, {hidden[0]}{more}; remove it")
    return unicodedata.normalize("NFC", value)


def normalised_name(value: str) -> str:
    """A name from an older file: NFC, line breaks and tabs made spaces, other invisible
    characters dropped, spaces collapsed (what :func:`clean_name` would accept)."""
    out = []
    for ch in unicodedata.normalize("NFC", value):
        if ch in "\t\n\r\v\f\x85\u2028\u2029":
            out.append(" ")
        elif not _is_hidden(ch):
            out.append(ch)
    return " ".join("".join(out).split())


def one_line(text: str) -> str:
    """``text`` on one line for a title or a PDF's metadata: line breaks and tabs become
    spaces, other hidden characters are dropped."""
    return normalised_name(text)
