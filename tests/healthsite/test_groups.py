"""The staff groups come from one list in code, applied after every migrate."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from healthsite import groups

pytestmark = pytest.mark.django_db


def held(name: str) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=name).permissions.select_related("content_type")}


def test_every_group_holds_exactly_its_listed_permissions_after_migrate():
    assert {g.name for g in Group.objects.all()} >= set(groups.GROUPS)
    for name, codenames in groups.GROUPS.items():
        assert held(name) == set(codenames), name
    assert "comments.moderate_comment" in held("Moderators")
    assert "articles.change_any_article" in held("Editors") and "articles.change_any_article" not in held("Authors")


def test_a_permission_granted_by_hand_is_taken_back_at_the_next_migrate():
    editors = Group.objects.get(name="Authors")
    editors.permissions.add(Permission.objects.get(codename="delete_article"))
    call_command("migrate", verbosity=0)
    assert "articles.delete_article" not in held("Authors")


def test_applying_twice_changes_nothing():
    groups.apply(apps=apps)
    before = {name: held(name) for name in groups.GROUPS}
    groups.apply(apps=apps)
    assert {name: held(name) for name in groups.GROUPS} == before


def test_a_deleted_group_comes_back():
    Group.objects.filter(name="Moderators").delete()
    groups.apply(apps=apps)
    assert held("Moderators") == set(groups.GROUPS["Moderators"])
