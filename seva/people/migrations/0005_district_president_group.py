"""Data migration: the "District president" group, and the users who reviewed as presidents.

Until now a user reviewed his district's reports when his linked worker record had the role
"district president", a field he could change himself. Review rights now come only from this
group, which the state office grants. The users who held the right the old way (profile
linked to an active district-president worker of the profile's own district) are put in the
group, so nobody loses a right he had; the group's permissions are set after migrate
(``seva/people/roles.py``).
"""

from django.db import migrations

GROUP = "District president"


def create_group_and_keep_presidents(apps, schema_editor):
    group_model = apps.get_model("auth", "Group")
    profile_model = apps.get_model("people", "Profile")
    group, _ = group_model.objects.get_or_create(name=GROUP)
    profiles = profile_model.objects.filter(
        worker__role="district_president", worker__is_active=True, district__isnull=False
    ).select_related("worker", "user")
    for profile in profiles:
        if profile.worker.district_id == profile.district_id:
            profile.user.groups.add(group)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0004_worker_phone_field"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_group_and_keep_presidents, remove_group)]
