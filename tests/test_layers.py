"""What the layers contract (pyproject.toml, ``[tool.importlinter]``) asks of code that crosses no import."""

from continuum.accounts.choices import Role
from continuum.audit.policy import DPO_ROLE, can_read_audit_log


def test_audit_layer_names_the_data_protection_officer_as_accounts_does():
    # The audit log sits below accounts and so spells the role out; it must stay the same role.
    assert DPO_ROLE == Role.DPO


def test_only_the_data_protection_officer_reads_the_audit_log(django_user_model):
    dpo = django_user_model(username="x", role=Role.DPO, is_active=True)
    coordinator = django_user_model(username="y", role=Role.COORDINATOR, is_active=True)
    assert can_read_audit_log(dpo)
    assert not can_read_audit_log(coordinator)
