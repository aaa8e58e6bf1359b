"""Text people write into scenarios and check files: the one rule it must meet.

Titles, descriptions, notes and names are free text; `text_problem` says what, if anything,
is wrong with one, for the models (`paymodel.scenario`), the check files
(`paymodel.checks`), the report's title and the messages that explain a refusal
(`paymodel.messages`). How text is then shown on a terminal is
`paymodel.display.terminal_text`'s job.
"""

from __future__ import annotations

import unicodedata

__all__ = ["text_problem"]


def text_problem(text: str, *, name: bool = False) -> str | None:
    r"""What is wrong with text a user wrote, in words, or ``None`` when it is fine.

    The one rule for every piece of free text in scenarios and check files (titles,
    descriptions, notes, names of layers): it must be text, so a lone surrogate (``"\udfff"``
    in JSON, half of a UTF-16 pair) is refused, as it can be neither printed nor written as
    UTF-8. A name (of a layer) is one line that shows something: no control characters (a
    newline, a tab, an escape sequence) and not only spaces. Control and bidirectional
    characters in other text are kept, and shown escaped wherever text reaches a terminal
    (`paymodel.display.terminal_text`).

    Parameters
    ----------
    text
        The text.
    name
        Whether it names something (stricter, see above).

    Returns
    -------
    str or None
        The rule broken, e.g. ``"must not be blank"``.

    Examples
    --------
    >>> text_problem("state treasury", name=True) is None, text_problem("   ", name=True)
    (True, 'must not be blank')
    >>> print(text_problem("a\udfff"))
    must not hold a lone surrogate ('\udfff', character 2); text files are UTF-8
    >>> print(text_problem("state\n", name=True))
    must be one line without control characters (got '\n' at character 6)
    """
    for index, character in enumerate(text):
        if "\ud800" <= character <= "\udfff":
            return (
                f"must not hold a lone surrogate ({character!r}, character {index + 1}); "
                "text files are UTF-8"
            )
    if name:
        for index, character in enumerate(text):
            if unicodedata.category(character) == "Cc":
                return (
                    "must be one line without control characters "
                    f"(got {character!r} at character {index + 1})"
                )
        if not text.strip():
            return "must not be blank"
    return None
