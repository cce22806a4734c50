"""Render deploy/nginx.conf.template into a prefix folder that `nginx -p PREFIX -c nginx.conf` runs from.

The body limits and paths come from the portal's settings, so nginx and Django agree; where to listen, the
upstream, TLS and the worker user come from the environment (README "Running in production")."""

import os
import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.env import env_str
from submissions.images import screenshots_request_bytes
from submissions.uploads import FORM_OVERHEAD_BYTES

DEPLOY = Path(settings.BASE_DIR) / "deploy"
PLACEHOLDER = re.compile(r"\$\{([A-Z_]+)\}")
TEMP_FOLDERS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
HSTS_SECONDS = 63_072_000  # two years, unless SECURE_HSTS_SECONDS says otherwise


class Command(BaseCommand):
    help = "Write nginx.conf for this portal into --prefix (nginx -p PREFIX -c nginx.conf)."

    def add_arguments(self, parser):
        parser.add_argument("--prefix", required=True, help="the folder nginx runs from (created if missing)")

    def handle(self, *args, prefix: str, **options):
        folder = Path(prefix).resolve()
        for name in TEMP_FOLDERS:
            (folder / name).mkdir(parents=True, exist_ok=True)
        (folder / "proxy.conf").write_text((DEPLOY / "nginx-proxy.conf").read_text())
        values = {**paths_and_limits(folder), **listening(), **tls()}
        (folder / "nginx.conf").write_text(render((DEPLOY / "nginx.conf.template").read_text(), values))
        self.stdout.write(str(folder / "nginx.conf"))


def render(template: str, values: dict[str, str]) -> str:
    missing = sorted({name for name in PLACEHOLDER.findall(template) if name not in values})
    if missing:
        raise CommandError(f"No value for {', '.join(missing)} in the nginx template.")
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def paths_and_limits(folder: Path) -> dict[str, str]:
    accel = settings.PRIVATE_MEDIA_ACCEL_PREFIX or "/_private-media/"
    return {
        "MIME_TYPES": env_str("NGINX_MIME_TYPES", "/etc/nginx/mime.types"),
        "PROXY_INCLUDE": str(folder / "proxy.conf"),
        "STATIC_URL": settings.STATIC_URL,
        "STATIC_ROOT": str(settings.STATIC_ROOT),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "ACCEL_PREFIX": accel.rstrip("/") + "/",
        "FORM_MAX_BODY": str(screenshots_request_bytes()),
        "UPLOAD_MAX_BODY": str(settings.UPLOAD_MAX_BYTES + FORM_OVERHEAD_BYTES),
    }


def listening() -> dict[str, str]:
    # As root, the workers drop to NGINX_USER (Debian's www-data by default); a non-root master keeps its own user.
    user = env_str("NGINX_USER", "www-data") if os.geteuid() == 0 else ""
    return {
        "USER_DIRECTIVE": f"user {user};" if user else "",
        "GUNICORN_BIND": env_str("GUNICORN_BIND", "127.0.0.1:8481"),
        "SERVER_NAME": env_str("NGINX_SERVER_NAME", " ".join(settings.ALLOWED_HOSTS) or "_"),
        "ACCESS_LOG": env_str("NGINX_ACCESS_LOG", "/dev/stdout"),
    }


def tls() -> dict[str, str]:
    """Plain HTTP on NGINX_LISTEN; with TLS_CERTIFICATE and TLS_CERTIFICATE_KEY, HTTPS with HSTS on NGINX_TLS_LISTEN
    and a redirect to it from NGINX_LISTEN."""
    listen = env_str("NGINX_LISTEN", "127.0.0.1:8480")
    certificate, key = env_str("TLS_CERTIFICATE"), env_str("TLS_CERTIFICATE_KEY")
    if bool(certificate) != bool(key):
        raise CommandError("Set both TLS_CERTIFICATE and TLS_CERTIFICATE_KEY, or neither.")
    if not certificate:
        return {"LISTEN_DIRECTIVES": f"        listen {listen};", "TLS_DIRECTIVES": "", "TLS_HSTS": "",
                "TLS_REDIRECT_SERVER": ""}  # fmt: skip
    seconds = settings.SECURE_HSTS_SECONDS or HSTS_SECONDS
    hsts = f'            add_header Strict-Transport-Security "max-age={seconds}; includeSubDomains" always;'
    redirect = (
        f"    server {{\n        listen {listen};\n        server_name _;\n"
        "        return 301 https://$host$request_uri;\n    }\n"
    )
    directives = "\n".join([
        f"        ssl_certificate {certificate};",
        f"        ssl_certificate_key {key};",
        "        ssl_protocols TLSv1.2 TLSv1.3;",
        "        ssl_session_cache shared:glasshouse_tls:10m;",
        hsts.replace("            ", "        ", 1),
    ])  # fmt: skip
    return {
        # `listen … http2` rather than 1.25's `http2 on`: Debian 12 ships nginx 1.22.
        "LISTEN_DIRECTIVES": f"        listen {env_str('NGINX_TLS_LISTEN', '443')} ssl http2;",
        "TLS_DIRECTIVES": directives,
        "TLS_HSTS": hsts,
        "TLS_REDIRECT_SERVER": redirect,
    }
