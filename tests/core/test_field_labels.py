"""Every label says required or optional from the field's own rule, never from hand-written text."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

from django import forms
from django.template import Context, Template

import section307
from section307.core.templatetags.fieldmarks import field_marker

SRC = Path(section307.__file__).parent


def _all_form_classes() -> list[type[forms.BaseForm]]:
    for info in pkgutil.walk_packages([str(SRC)], prefix="section307."):
        if info.name.rsplit(".", 1)[-1] in {"forms", "petition_forms"} or ".forms" in info.name:
            importlib.import_module(info.name)
    seen: list[type[forms.BaseForm]] = []
    stack: list[type[forms.BaseForm]] = [forms.Form, forms.ModelForm]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("section307.") and sub not in seen:
                seen.append(sub)
            stack.append(sub)
    return seen


def test_no_form_field_label_says_optional_by_hand() -> None:
    classes = _all_form_classes()
    assert len(classes) > 20  # the project's forms were found
    offenders = [
        f"{cls.__module__}.{cls.__name__}.{name}: {field.label}"
        for cls in classes
        for name, field in cls.base_fields.items()
        if field.label and re.search(r"\(\s*optional|\(if any\)|\(for \w+", str(field.label), re.I)
    ]
    assert offenders == []


def test_no_template_label_says_optional_by_hand() -> None:
    offenders = []
    for path in SRC.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"<(label|legend)[^>]*>(.*?)</\1>", text, re.S):
            if re.search(r"optional\)", m.group(2)) and "optional_marker" not in m.group(2):
                offenders.append(f"{path.relative_to(SRC)}: {m.group(2)[:80]}")
    assert offenders == []


def test_marker_follows_the_field_rule() -> None:
    class Sample(forms.Form):
        needed = forms.CharField()
        extra = forms.CharField(required=False)

    form = Sample()
    assert str(field_marker(form["needed"])) == ""
    assert "(optional)" in str(field_marker(form["extra"]))
    # Each shared field partial renders it from the same tag.
    for partial in ("cases/_field.html", "ports/_field.html", "allegations/_field.html"):
        html = Template("{% include partial %}").render(Context({"partial": partial, "field": form["extra"]}))
        assert "(optional)" in html, partial
        html = Template("{% include partial %}").render(Context({"partial": partial, "field": form["needed"]}))
        assert "(optional)" not in html, partial
