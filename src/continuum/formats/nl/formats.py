"""Dates and times as Continuum shows them in Dutch: 7 dec 2026, 09:30."""

DATE_FORMAT = "j N Y"
DATETIME_FORMAT = "j N Y, H:i"
SHORT_DATE_FORMAT = "d-m-Y"
SHORT_DATETIME_FORMAT = "D j N Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j N"
YEAR_MONTH_FORMAT = "F Y"
