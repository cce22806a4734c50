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
from submissions.models.direct_uploads import DIRECT_UPLOAD_PREFIX
from submissions.services.direct_uploads import MAX_PARTS
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
        values = {**paths_and_limits(folder), **listening(), **tls(), "BUCKET_PROXY": bucket_proxy()}
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


def bucket_proxy() -> str:
    """With S3_UPLOAD_PROXY_PATH: a location passing the browser's presigned requests for direct uploads on to the
    bucket, so they stay on the portal's origin (no CORS on the bucket, connect-src 'self'). The signature covers
    the bucket's host and path: proxy_pass restores both and passes the query (the signature) unchanged."""
    proxy = settings.S3_UPLOAD_PROXY_PATH
    endpoint = settings.STORAGES["default"].get("OPTIONS", {}).get("endpoint_url")
    if not (proxy and settings.USE_S3):
        return ""
    if not endpoint:
        raise CommandError("S3_UPLOAD_PROXY_PATH needs S3_ENDPOINT_URL (the bucket's endpoint nginx passes to).")
    bucket = settings.STORAGES["default"]["OPTIONS"]["bucket_name"]
    prefix = f"/{bucket}/{DIRECT_UPLOAD_PREFIX}/"
    part_limit = max(settings.DIRECT_UPLOAD_PART_BYTES, -(-settings.UPLOAD_MAX_BYTES // MAX_PARTS)) + 1024 * 1024
    tls_upstream = "            proxy_ssl_server_name on;\n" if endpoint.startswith("https:") else ""
    return (
        "        # Direct uploads: the browser's presigned requests, passed to the bucket as they are (parts\n"
        "        # stream through, nothing is kept here); the portal's cookies never leave.\n"
        f"        location ^~ {proxy}{prefix} {{\n"
        f"            client_max_body_size {part_limit};\n"
        "            proxy_request_buffering off;\n"
        "            proxy_buffering off;\n"
        "            proxy_http_version 1.1;\n"
        '            proxy_set_header Connection "";\n'
        '            proxy_set_header Cookie "";\n'
        '            proxy_set_header Authorization "";\n'
        "            proxy_send_timeout 300s;\n"
        "            proxy_read_timeout 300s;\n"
        f"{tls_upstream}"
        f"            proxy_pass {endpoint.rstrip('/')}{prefix};\n"
        "        }\n"
    )


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
