"""``python -m dashboard``: the development server (production: gunicorn via the Procfile)."""

from dashboard.app import create_app
from dashboard.config import load_settings


def main() -> None:
    """Serve the dashboard on the configured host and port."""
    settings = load_settings()
    app = create_app(settings)
    print(f"Smart Retail dashboard: http://{settings.host}:{settings.port}/  (database {settings.db_path})")
    app.run(host=settings.host, port=settings.port, debug=settings.debug, dev_tools_disable_version_check=True)


main()
