"""The display-name key, and both look-alike keys recomputed with the fold that now takes in
hamza and alef forms, alef maqsura, ta marbuta and separators.

Names that already exist may now share a key ("احمد" and "أحمد" signed up under the old fold).
Nobody is renamed: the oldest account keeps the plain key and each later one gets the key with
"#<id>" after it, which no name folds to, so the unique constraints hold and new look-alikes of
any of them are still refused (they meet the oldest's key). A key is only recomputed when its
name changes (minbar.accounts.models.User.save), so these stay put.
"""

from django.db import migrations, models

BATCH = 1000


def recompute_keys(apps, schema_editor):
    # The policy's functions are pure, and the fold they apply is the one this migration is
    # about; should the fold change again, a later migration recomputes with the new one.
    from minbar.accounts.policy import display_name_key, username_key

    User = apps.get_model("accounts", "User")
    users = list(User.objects.order_by("pk").only("pk", "username", "display_name"))
    # First a key no name can have, so that no row meets another's old key on the way.
    for user in users:
        user.username_key = f"#{user.pk}"
    User.objects.bulk_update(users, ["username_key"], batch_size=BATCH)
    taken_usernames: set[str] = set()
    taken_display_names: set[str] = set()
    for user in users:
        key = username_key(user.username)
        user.username_key = key if key not in taken_usernames else f"{key}#{user.pk}"
        taken_usernames.add(key)
        shown = display_name_key(user.display_name, own_key=key)
        if shown:
            user.display_name_key = (
                shown if shown not in taken_display_names else f"{shown}#{user.pk}"
            )
            taken_display_names.add(shown)
    User.objects.bulk_update(users, ["username_key", "display_name_key"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="display_name_key",
            field=models.CharField(
                blank=True,
                default="",
                editable=False,
                max_length=150,
                verbose_name="display name key",
            ),
        ),
        migrations.RunPython(recompute_keys, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                condition=models.Q(("display_name_key", ""), _negated=True),
                fields=("display_name_key",),
                name="no_two_readers_show_lookalike_display_names",
            ),
        ),
    ]
