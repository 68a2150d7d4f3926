"""Read an admin form page the way a browser would submit it."""

import re

from bs4 import BeautifulSoup


def form_data(html: str | bytes, form_id: str | None = None) -> dict:
    """Return the fields of the admin page's model form (or `form_id`) as a browser would post them, files aside."""
    soup = BeautifulSoup(html, "html.parser")
    form = soup.find("form", id=form_id or re.compile(r"_form\Z"))
    data: dict = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.name == "input" and field.get("type") in ("submit", "file", "button"):
            continue
        if field.name == "textarea":
            data[name] = field.text.lstrip("\n")
        elif field.name == "select":
            chosen = [o.get("value", o.text) for o in field.find_all("option") if o.has_attr("selected")]
            if field.has_attr("multiple"):
                data[name] = chosen
            elif chosen:
                data[name] = chosen[0]
            else:
                first = field.find("option")
                data[name] = first.get("value", "") if first else ""
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        else:
            data[name] = field.get("value", "")
    return data
