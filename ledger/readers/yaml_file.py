"""Reading YAML claim files into records, naming file, line and field in every error."""

from __future__ import annotations

from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ledger.core.errors import InvalidClaimFile
from ledger.core.records import Bundle, Location
from ledger.readers.fields import (
    ATTRIBUTE_FIELDS,
    CLAIM_FIELDS,
    ENTITY_FIELDS,
    SOURCE_FIELDS,
    SURROGATE,
    FieldReader,
    attribute_record,
    claim_record,
    entity_record,
    source_record,
)
from ledger.drafts import refuse_unfinished_draft

SECTIONS = ("sources", "entities", "attributes", "claims")
_NULL_TAG = "tag:yaml.org,2002:null"
_BOOL_TAG = "tag:yaml.org,2002:bool"


def _missing(node: Node | None) -> bool:
    """A field left out, or written as null (``~``, ``null``, nothing)."""
    return node is None or (isinstance(node, ScalarNode) and node.tag == _NULL_TAG)


class _Record(FieldReader):
    """One mapping of a section, with typed accessors that fail naming the field."""

    def __init__(self, node: MappingNode, location: Location, allowed: set[str]):
        self.location = location
        self.fields: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if key not in allowed:
                raise self.unknown_field(key, allowed)
            if key in self.fields:
                raise self.error(key, "is given twice")
            self.fields[key] = value_node

    def text(self, name: str, required: bool = False) -> str | None:
        """A scalar exactly as written (``2012`` stays the text "2012")."""
        node = self.fields.get(name)
        if _missing(node):
            return self.checked_text(name, None, required)
        if not isinstance(node, ScalarNode):
            raise self.error(name, "must be a single value (text), not a list or mapping")
        return self.checked_text(name, node.value, required)

    def flag(self, name: str) -> bool | None:
        node = self.fields.get(name)
        if _missing(node):
            return None
        if not isinstance(node, ScalarNode) or node.tag != _BOOL_TAG:
            raise self.error(name, "must be true or false")
        return node.value.lower() in ("true", "yes", "on", "y")

    def texts(self, name: str) -> tuple[str, ...]:
        node = self.fields.get(name)
        if _missing(node):
            return ()
        if not isinstance(node, SequenceNode) or not all(
            isinstance(item, ScalarNode) and item.value.strip() for item in node.value
        ):
            raise self.error(name, "must be a list of names, e.g. [Wagner, Wagner Group]")
        return self.checked_names(name, [item.value for item in node.value])


def load_claim_file(path: Path) -> Bundle:
    """Read a YAML claim file; raise InvalidClaimFile naming file, line and field."""
    label = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidClaimFile(f"{label}: cannot read the file ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidClaimFile(
            f"{label}: byte {exc.start} is not UTF-8: save the file as UTF-8"
        ) from None
    root = _compose(text, label)
    refuse_unfinished_draft(root, label)
    bundle = Bundle()
    if root is None:
        return bundle
    if not isinstance(root, MappingNode):
        raise InvalidClaimFile(
            f"{label}:{root.start_mark.line + 1}: expected a mapping with sections "
            f"{', '.join(SECTIONS)}"
        )
    for key_node, section in root.value:
        name = key_node.value if isinstance(key_node, ScalarNode) else None
        if name == "draft":  # a finished draft says `draft: false`
            continue
        if name not in SECTIONS:
            raise InvalidClaimFile(
                f"{label}:{key_node.start_mark.line + 1}: unknown section {name!r}; "
                f"expected {', '.join(SECTIONS)}"
            )
        if isinstance(section, ScalarNode) and section.tag == _NULL_TAG:
            continue
        if not isinstance(section, SequenceNode):
            raise InvalidClaimFile(
                f"{label}:{section.start_mark.line + 1}: section {name} must be a list of records"
            )
        for index, node in enumerate(section.value):
            location = Location(label, f"{name}[{index}]", node.start_mark.line + 1)
            if not isinstance(node, MappingNode):
                raise InvalidClaimFile(f"{location.at()}: must be a mapping of fields")
            _READERS[name](node, location, path.parent, bundle)
    return bundle


def _compose(text: str, label: str) -> Node | None:
    """Parse with the safe loader only; anchors and aliases are refused (alias bombs)."""
    try:
        loader = yaml.SafeLoader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark else ""
        raise InvalidClaimFile(f"{label}{line}: not valid YAML ({_one_line(exc.problem or exc)})") from None
    except yaml.reader.ReaderError as exc:  # a control character: its str() spans two lines
        line = text.count("\n", 0, exc.position) + 1
        raise InvalidClaimFile(
            f"{label}:{line}: not valid YAML (character {exc.character!r} is not allowed in YAML); remove it"
        ) from None
    except yaml.YAMLError as exc:
        raise InvalidClaimFile(f"{label}: not valid YAML ({_one_line(exc)})") from None
    except RecursionError:
        raise InvalidClaimFile(f"{label}: nesting too deep to be a claim file") from None
    if root is not None:
        _refuse_tags_and_aliases(root, label)
    return root


def _one_line(message) -> str:
    """Errors are one line: PyYAML's messages may hold newlines and indented context."""
    return " ".join(str(message).split())


_PLAIN_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}


def _refuse_tags_and_aliases(root: Node, label: str) -> None:
    """Refuse any tag but the plain ones, any node reached twice (an alias), and lone surrogates."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise InvalidClaimFile(
                f"{label}:{node.start_mark.line + 1}: YAML anchors and aliases are not "
                "supported in claim files; write each value out"
            )
        seen.add(id(node))
        if node.tag not in _PLAIN_TAGS:
            raise InvalidClaimFile(
                f"{label}:{node.start_mark.line + 1}: YAML tag {node.tag!r} is not allowed; "
                "claim files hold plain text, numbers, lists and mappings"
            )
        if isinstance(node, ScalarNode) and (half := SURROGATE.search(node.value)):
            # an escape such as "\ud800" on its own: not a character, and no database can store it
            raise InvalidClaimFile(
                f"{label}:{node.start_mark.line + 1}: {half.group()!r} is half of a UTF-16 surrogate pair, "
                "not a character; write the character itself"
            )
        if isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                stack.extend((key_node, value_node))


def _read_source(node: MappingNode, location: Location, base: Path, bundle: Bundle) -> None:
    bundle.sources.append(source_record(_Record(node, location, SOURCE_FIELDS), base))


def _read_entity(node: MappingNode, location: Location, _base: Path, bundle: Bundle) -> None:
    bundle.entities.append(entity_record(_Record(node, location, ENTITY_FIELDS)))


def _read_attribute(node: MappingNode, location: Location, _base: Path, bundle: Bundle) -> None:
    bundle.attributes.append(attribute_record(_Record(node, location, ATTRIBUTE_FIELDS)))


def _read_claim(node: MappingNode, location: Location, _base: Path, bundle: Bundle) -> None:
    bundle.claims.append(claim_record(_Record(node, location, CLAIM_FIELDS)))


_READERS = {
    "sources": _read_source,
    "entities": _read_entity,
    "attributes": _read_attribute,
    "claims": _read_claim,
}
