"""Builders for pages the tests need: small, explicit, no magic."""

import json
from itertools import count

from knowledge.importer import import_entries

_ids = count(1)


def entry_line(**fields) -> str:
    number = next(_ids)
    data = {
        "source_id": f"t-{number:04d}-fr",
        "kind": "faq",
        "language": "fr",
        "topic": "Collectes",
        "department": "Direction de l'environnement",
        "title": f"Question numéro {number}?",
        "summary": "Une réponse courte.",
        "body": "Un paragraphe de réponse.\n\n- un point\n- un autre point",
    }
    data.update(fields)
    return json.dumps({key: value for key, value in data.items() if value is not None}, ensure_ascii=False)


def import_lines(*lines: str, publish: bool = True):
    return import_entries(list(lines), publish=publish)
