"""A plain-language diff between two agreement texts: which paragraphs changed, and which words."""

import difflib
import re
from dataclasses import dataclass, field

_WORDS = re.compile(r"\S+")


@dataclass(frozen=True)
class Segment:
    kind: str  # "same", "added" or "removed"
    text: str


@dataclass
class Block:
    kind: str  # "same" (a run of unchanged paragraphs, one segment each), "added", "removed" or "changed"
    segments: list[Segment] = field(default_factory=list)


@dataclass
class AgreementDiff:
    blocks: list[Block]

    def count(self, kind: str) -> int:
        """Paragraphs of this kind (a run of unchanged paragraphs is one block)."""
        return sum(len(block.segments) if kind == "same" else 1 for block in self.blocks if block.kind == kind)

    @property
    def has_changes(self) -> bool:
        return any(block.kind != "same" for block in self.blocks)

    @property
    def summary(self) -> str:
        parts = [
            f"{n} paragraph{'s' if n != 1 else ''} {label}"
            for label, n in (
                ("changed", self.count("changed")),
                ("added", self.count("added")),
                ("removed", self.count("removed")),
            )
            if n
        ]
        if not parts:
            return "The text is the same."
        unchanged = self.count("same")
        return ", ".join(parts) + f"; {unchanged} unchanged."


def paragraphs(text: str) -> list[str]:
    """Paragraphs separated by blank lines, with runs of spaces and line breaks inside each made one space."""
    return [" ".join(chunk.split()) for chunk in re.split(r"\n\s*\n", text.strip()) if chunk.strip()]


def _word_diff(old: str, new: str) -> list[Segment]:
    old_words, new_words = _WORDS.findall(old), _WORDS.findall(new)
    segments = []
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("same", " ".join(old_words[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            segments.append(Segment("removed", " ".join(old_words[i1:i2])))
        if tag in ("insert", "replace"):
            segments.append(Segment("added", " ".join(new_words[j1:j2])))
    return segments


def agreement_diff(old_text: str, new_text: str) -> AgreementDiff:
    """Compare paragraph by paragraph; paragraphs that were edited get a word-level comparison."""
    old, new = paragraphs(old_text), paragraphs(new_text)
    blocks: list[Block] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            blocks.append(Block("same", [Segment("same", text) for text in old[i1:i2]]))
            continue
        removed, added = old[i1:i2], new[j1:j2]
        paired = min(len(removed), len(added)) if tag == "replace" else 0
        blocks += [Block("changed", _word_diff(a, b)) for a, b in zip(removed[:paired], added[:paired], strict=True)]
        blocks += [Block("removed", [Segment("removed", text)]) for text in removed[paired:]]
        blocks += [Block("added", [Segment("added", text)]) for text in added[paired:]]
    return AgreementDiff(blocks)
