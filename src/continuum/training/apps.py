from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "continuum.training"
    label = "training"
    verbose_name = "Staff training"

    def ready(self) -> None:
        from continuum.assessments.warnings import register_assessor_check
        from continuum.training.actions import missing_training_of_assessors

        # Opening an assessment warns (never refuses) when an assessor lacks a required course.
        register_assessor_check(missing_training_of_assessors)
