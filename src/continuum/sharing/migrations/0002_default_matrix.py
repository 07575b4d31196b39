"""Load DESIGN.md section 5's default matrix as policy version 1."""

from django.db import migrations

# Frozen copy of the default matrix at the time of this migration (migrations must not import
# code that may change later). Column order: central_point, prison, probation, municipality,
# police, ngo_exit, ngo_family, mental_health, child_welfare, mentoring.
COLUMNS = [
    "central_point", "prison", "probation", "municipality", "police",
    "ngo_exit", "ngo_family", "mental_health", "child_welfare", "mentoring",
]
W, R, N = "write", "read", "none"
MATRIX = {
    "identity": [W, W, W, W, W, R, R, R, R, R],
    "legal": [W, W, W, R, W, R, N, R, R, N],
    "security": [W, W, R, N, W, N, N, N, N, N],
    "risk_assessment": [W, W, W, R, R, R, N, R, R, N],
    "ideology": [W, W, W, N, R, W, N, R, N, N],
    "mental_health": [N, N, N, N, N, N, N, W, N, N],
    "counselling": [N, N, N, N, N, W, W, N, N, N],
    "family": [R, W, W, W, N, W, W, R, W, N],
    "children": [N, N, N, N, N, N, R, R, W, N],
    "daily_life": [R, W, W, W, N, W, R, R, R, R],
    "plan": [W, W, W, W, R, W, R, R, R, R],
    "conference": [W, W, W, W, R, R, R, R, R, N],
}


def load(apps, schema_editor):
    PolicyVersion = apps.get_model("sharing", "PolicyVersion")
    PolicyRule = apps.get_model("sharing", "PolicyRule")
    version = PolicyVersion.objects.create(number=1, note="Default matrix of DESIGN.md section 5.")
    rules = [
        PolicyRule(version=version, org_type=org_type, category=category, access=row[i])
        for category, row in MATRIX.items()
        for i, org_type in enumerate(COLUMNS)
    ]
    rules += [PolicyRule(version=version, org_type="research", category=c, access=N) for c in MATRIX]
    PolicyRule.objects.bulk_create(rules)


def unload(apps, schema_editor):
    apps.get_model("sharing", "PolicyRule").objects.filter(version__number=1).delete()
    apps.get_model("sharing", "PolicyVersion").objects.filter(number=1).delete()


class Migration(migrations.Migration):
    dependencies = [("sharing", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
