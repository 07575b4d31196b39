import os

from django.core.wsgi import get_wsgi_application

from continuum.lib.env import load_default_env_file

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "continuum.settings")
load_default_env_file()
application = get_wsgi_application()
