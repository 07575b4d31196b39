from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "continuum.families"
    label = "families"
    verbose_name = "Families and children"

    def ready(self) -> None:
        from continuum.families.models import counselled_persons
        from continuum.sharing.engine import register_person_team

        # A family file's counsellors work with its clients, who often have no case of their own:
        # they record and read those clients' consents (R3) like a case team would.
        register_person_team(counselled_persons)
