"""Per-process caches must belong to the object they describe, never to a reused id or class."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.core.content.templates import TemplateLibrary, load_template
from trainer.domain import DomainContext
from trainer.services import mastery

EXERCISES = Path(__file__).resolve().parents[2] / "exercises"
MENISCUS = EXERCISES / "orthopaedics" / "knee-arthroscopy-meniscectomy"


def _only(template_dir: Path) -> TemplateLibrary:
    template = load_template(template_dir)
    return TemplateLibrary({template.id: template})


def test_the_family_cache_never_serves_one_librarys_families_to_another_at_the_same_id(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """CPython reuses a freed object's id for the next object; here both libraries get the
    same id at once, which is what a reload after the old library was freed looks like."""
    monkeypatch.setattr(mastery, "id", lambda _obj: 1, raising=False)
    first = _only(MENISCUS)
    assert "M23" in mastery.template_families(first)["orthopaedics"][load_template(MENISCUS).id]
    second = TemplateLibrary()
    assert mastery.template_families(second) == {}
    assert mastery.review_chart(second, "orthopaedics", "M23") is None


def test_every_domain_context_has_its_own_lock(tmp_path: Path) -> None:
    one = DomainContext(tmp_path, tmp_path / "index.sqlite")
    two = DomainContext(tmp_path, tmp_path / "index.sqlite")
    with one._lock:  # one app loading its catalog must not hold up another app
        assert two._lock.acquire(blocking=False)
        two._lock.release()
