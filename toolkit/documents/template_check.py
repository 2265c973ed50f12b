"""Structural checks of a .docx template before Jinja sees it, with Danish messages.

Word editing can break a template in ways docxtpl does not notice or reports in English
without a location. This module reads the template's paragraphs (body, headers, footers)
and refuses, quoting the paragraph, when

* a paragraph or row tag (``{%p …%}``, ``{%tr …%}``) shares its paragraph with other text
  — one backspace in Word merges ``{%p endif %}`` into the paragraph above, and docxtpl
  would then silently delete that paragraph from every document;
* a field is not closed in its paragraph (``{{ navn }`` or ``{% if x }``);
* an ``if``/``for`` is never closed, or an ``endif``/``endfor``/``else`` has no opening.

:func:`jinja_message` puts a Jinja syntax error that gets past these checks into Danish.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from lxml import etree

from toolkit.errors import UserError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PART = re.compile(r"word/(document|header\d*|footer\d*)\.xml")
_TAG = re.compile(r"\{%-?\s*(?:(p|tr|tc|r)\s+)?(\w+)(.*?)-?%\}", re.DOTALL)
_BLOCK_TAG = re.compile(r"\{%-?\s*(p|tr)\s")
OPENERS = {"if": "endif", "for": "endfor"}
CLOSERS = {"endif": "if", "endfor": "for"}
QUOTE = 160


@dataclass(frozen=True)
class Paragraph:
    part: str
    text: str


class TemplateProblem(UserError):
    """A Danish description of what is wrong, with the paragraph it is in."""


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return "»" + (text if len(text) <= QUOTE else text[: QUOTE - 1] + "…") + "«"


def _where(part: str) -> str:
    if part.startswith("word/header"):
        return " i sidehovedet"
    if part.startswith("word/footer"):
        return " i sidefoden"
    return ""


def paragraphs(data: bytes) -> list[Paragraph]:
    """Every paragraph's text, in document order (body first, then headers and footers)."""
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = sorted(
            (n for n in z.namelist() if _PART.fullmatch(n)),
            key=lambda n: (n != "word/document.xml", n),
        )
        for name in names:
            root = etree.fromstring(z.read(name))
            for p in root.iter(f"{W}p"):
                text = "".join(t.text or "" for t in p.iter(f"{W}t"))
                out.append(Paragraph(name, text))
    return out


def check_structure(data: bytes) -> None:
    """Raise :class:`TemplateProblem` (Danish) at the first structural fault."""
    stack: list[tuple[str, str, Paragraph]] = []  # (opener, the tag as written, paragraph)
    for para in paragraphs(data):
        text = para.text
        _check_braces(para)
        for m in _BLOCK_TAG.finditer(text):
            tag = _TAG.match(text, m.start())
            written = tag.group(0) if tag else text[m.start() : m.start() + 20]
            if text.strip() != written:
                raise TemplateProblem(
                    f"Feltet {written} står i samme afsnit som anden tekst{_where(para.part)}: "
                    f"{_quote(text)}. Et {{%p …%}}- eller {{%tr …%}}-felt skal stå alene i sit "
                    "eget afsnit, ellers forsvinder hele afsnittet fra dokumenterne. Sæt "
                    "markøren foran feltet i Word og tryk Enter."
                )
        for m in _TAG.finditer(text):
            word = m.group(2)
            if word in OPENERS:
                stack.append((word, m.group(0), para))
            elif word in CLOSERS:
                if not stack or stack[-1][0] != CLOSERS[word]:
                    expected = f"{{% {OPENERS[stack[-1][0]]} %}}" if stack else "intet"
                    raise TemplateProblem(
                        f"Feltet {m.group(0)}{_where(para.part)} i afsnittet {_quote(text)} "
                        f"lukker noget, der ikke er åbnet (her ventede skabelonen {expected}). "
                        "Slet feltet, eller sæt det tilhørende {% if … %}/{% for … %} ind igen."
                    )
                stack.pop()
            elif word in ("else", "elif") and not any(s[0] in ("if", "for") for s in stack):
                raise TemplateProblem(
                    f"Feltet {m.group(0)}{_where(para.part)} i afsnittet {_quote(text)} står "
                    "uden et {% if … %} foran sig."
                )
    if stack:
        word, written, para = stack[-1]
        raise TemplateProblem(
            f"Feltet {written}{_where(para.part)} i afsnittet {_quote(para.text)} lukkes aldrig: "
            f"der mangler et {{%{'p ' if written.startswith('{%p') else ' '}{OPENERS[word]} %}}"
            " længere nede. Sæt det ind igen i sit eget afsnit."
        )


def _check_braces(para: Paragraph) -> None:
    text = para.text
    for opening, closing in (("{{", "}}"), ("{%", "%}")):
        depth = 0
        i = 0
        while i < len(text) - 1:
            two = text[i : i + 2]
            if two == opening:
                if depth:
                    break
                depth, i = 1, i + 2
                continue
            if two == closing and depth:
                depth, i = 0, i + 2
                continue
            i += 1
        if depth or text.count(opening) != text.count(closing):
            raise TemplateProblem(
                f"Et felt{_where(para.part)} er ikke lukket rigtigt i afsnittet {_quote(text)}: "
                f"hvert {opening} skal have sit {closing} i samme afsnit. Ret tuborgklammerne "
                "i Word."
            )


_TOKENS = {
    "name": "et navn",
    "end of print statement": "slutningen af feltet (}})",
    "end of statement block": "slutningen af feltet (%})",
    "end of template": "slutningen af skabelonen",
}


def _token(t: str) -> str:
    return _TOKENS.get(t, f"'{t}'")


#: (pattern, Danish text, whether the groups are Jinja token names to translate)
_JINJA_DA = (
    (re.compile(r"Unexpected end of template.*?'(\w+)'", re.S),
     "skabelonen slutter, før et {{% {0} %}} er sat", False),
    (re.compile(r"Encountered unknown tag '(\w+)'"), "ukendt felt '{0}'", False),
    (re.compile(r"unexpected '([^']+)'"), "uventet tegn '{0}'", False),
    (re.compile(r"expected token '([^']+)', got '([^']+)'"), "ventede {0}, men fandt {1}", True),
    (re.compile(r"unexpected end of template", re.I), "skabelonen slutter midt i et felt", False),
)  # fmt: skip


def jinja_message(message: str) -> str:
    """A Jinja syntax error message in Danish (the general one when it is not recognised)."""
    for pattern, danish, tokens in _JINJA_DA:
        m = pattern.search(message)
        if m:
            return danish.format(*(_token(g) if tokens else g for g in m.groups()))
    return "et felt er ikke skrevet, som skabelonsproget kræver"


def paragraph_with(data: bytes, needle: str) -> str:
    """The first paragraph that contains ``needle``, quoted (or "")."""
    for para in paragraphs(data):
        if needle in para.text:
            return f" Feltet står{_where(para.part)} i afsnittet {_quote(para.text)}."
    return ""


_FIELD = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_SMART = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def locate_syntax_error(data: bytes) -> str:
    """The paragraph (quoted) of the first field Jinja cannot read on its own, or ""."""
    from jinja2 import Environment, TemplateSyntaxError

    env = Environment()
    for para in paragraphs(data):
        for m in _FIELD.finditer(para.text):
            field = m.group(0).translate(_SMART)
            tag = _TAG.match(field)
            if tag and tag.group(2) in OPENERS:
                field = f"{{% {tag.group(2)}{tag.group(3)} %}}{{% {OPENERS[tag.group(2)]} %}}"
            elif tag:
                continue  # a closing or middle tag cannot be read alone
            try:
                env.parse(field)
            except TemplateSyntaxError:
                return (
                    f"Feltet {m.group(0)} står{_where(para.part)} i afsnittet {_quote(para.text)}."
                )
    return ""
