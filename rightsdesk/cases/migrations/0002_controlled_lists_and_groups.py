"""The controlled lists' starting entries and the cases desk's editor groups."""
from django.db import migrations

GROUPS = {
    # Researchers enter and edit records; their records stay drafts until a verifier checks them.
    "Case researchers": ["add_act", "change_act", "view_act", "add_person", "change_person", "view_person",
                         "view_actkind", "view_charge", "view_province", "view_ethnicity", "view_prison",
                         "add_reportingorganisation", "view_reportingorganisation", "view_publishedcount"],
    # Verifiers also verify others' records, withdraw and merge.
    "Case verifiers": ["add_act", "change_act", "view_act", "add_person", "change_person", "view_person",
                       "verify_act", "withdraw_act", "merge_act", "view_actkind", "view_charge", "view_province",
                       "view_ethnicity", "view_prison", "add_reportingorganisation", "change_reportingorganisation",
                       "view_reportingorganisation", "add_publishedcount", "change_publishedcount",
                       "view_publishedcount", "add_savedfilter", "change_savedfilter", "view_savedfilter"],
    # List editors keep the controlled lists (English and Persian names, spellings).
    "Case list editors": [f"{verb}_{model}" for model in ("actkind", "charge", "province", "ethnicity", "prison",
                                                          "reportingorganisation")
                          for verb in ("add", "change", "view")],
}


def forwards(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    from rightsdesk.cases import seed

    seed.load(apps)
    app_config = apps.get_app_config("cases")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admin_access = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="cases", codename__in=codenames))
        group.permissions.add(*admin_access)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_records_and_lists"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
