"""The Django project: settings, root URLs and the shared templates and static files."""
