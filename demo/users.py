"""Demo accounts shared by every app's demo data. All use DEMO_PASSWORD and have verified emails."""

import functools

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from portal.models import User

DEMO_PASSWORD = "glasshouse-demo"  # noqa: S105  (published on purpose: demo data only)
# The demo staff accounts' authenticator app (staff need a second factor): add it to any TOTP app, or run
# `oathtool --totp -b <secret>`. Published on purpose, like the password.
DEMO_TOTP_SECRET = "GLASSHOUSEDEMOSTAFFTOTPSECRET234"  # noqa: S105
DEMO_DOMAIN = "demo.glasshouse.test"

ARTIST_NAMES = [
    "Amara Okafor",
    "Bao Nguyen",
    "Camila Reyes",
    "Dmitri Volkov",
    "Elin Andersson",
    "Farah Haddad",
    "Gabriel Silva",
    "Hana Sato",
    "Ines Duarte",
    "Jonas Weber",
    "Kavya Iyer",
    "Liam O'Connor",
    "Mei Lin",
    "Nadia Benali",
    "Oskar Nowak",
    "Priya Raman",
    "Quentin Dubois",
    "Rosa Martínez",
    "Samuel Mensah",
    "Tomás Herrera",
    "Uma Krishnan",
    "Valentina Rossi",
    "Wei Zhang",
    "Ximena Torres",
    "Yusuf Demir",
    "Zoe Papadopoulos",
    "Aiko Tanaka",
    "Bruno Costa",
    "Chloé Martin",
    "Dara Kelly",
]
REVIEWER_NAMES = ["Renee Park", "Malik Johnson", "Sofia Lindqvist"]
ANONYMOUS_ARTIST = "Hana Sato"  # chose, when she joined, to be credited publicly as an anonymous artist
STAFF_NAME = "Grace Achebe"  # a superuser
PROGRAM_STAFF_NAME = "Jonas Berg"  # program staff only: the demo program's seed grants the role (and admin rights)
# How some people read the portal (profile page): their language, time zone, pronouns, links and optional mail
# turned off. Everyone else keeps the defaults (English, UTC, every optional mail).
READING = {
    "Camila Reyes": {
        "language": "es",
        "time_zone": "America/Mexico_City",
        "pronouns": "ella",
        "portfolio_url": "https://camilareyes.example/",
    },
    "Rosa Martínez": {"language": "es", "time_zone": "Europe/Madrid", "mail_digests": False},
    "Tomás Herrera": {"language": "es", "time_zone": "America/Bogota", "mail_decisions": False},
    "Quentin Dubois": {"language": "fr", "time_zone": "Europe/Paris", "pronouns": "il"},
    "Chloé Martin": {
        "language": "fr",
        "time_zone": "Europe/Paris",
        "social_url": "https://social.example/@chloemartin",
        "mail_decisions": False,
    },
    "Aiko Tanaka": {"time_zone": "Asia/Tokyo", "pronouns": "she/her"},
    "Hana Sato": {"time_zone": "Asia/Tokyo"},
    "Dara Kelly": {"time_zone": "Europe/Dublin", "pronouns": "they/them", "portfolio_url": "https://dara.example/"},
    "Malik Johnson": {"time_zone": "America/New_York", "pronouns": "he/him"},
    "Sofia Lindqvist": {"language": "fr", "time_zone": "Europe/Stockholm", "mail_reminders": False},
}


@functools.cache
def _demo_password_hash() -> str:
    """One hash for every demo account: they share a published password, and hashing it 40 times (1.5M PBKDF2
    iterations each) would be most of the time seed_demo takes."""
    return make_password(DEMO_PASSWORD)


def email_for(name: str) -> str:
    local = "".join(ch for ch in name.lower().replace(" ", ".") if ch.isalnum() or ch == ".")
    return f"{local}@{DEMO_DOMAIN}"


def demo_user(
    name: str, *, is_staff: bool = False, is_superuser: bool = False, credit: str = "", anonymous: bool = False
) -> User:
    """Get or create a demo account, with a verified primary email so it can log in at once."""
    email = email_for(name)
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "display_name": name,
            "credit_name": credit,
            "credit_anonymous": anonymous,
            "is_staff": is_staff,
            "is_superuser": is_superuser,
            **READING.get(name, {}),
        },
    )
    if created:
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def demo_second_factor(user: User) -> User:
    """Give a demo staff account the published authenticator secret (once)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


def demo_people() -> dict[str, list[User]]:
    staff = [demo_user(STAFF_NAME, is_staff=True, is_superuser=True), demo_user(PROGRAM_STAFF_NAME)]
    return {
        "staff": [demo_second_factor(user) for user in staff],
        "reviewers": [demo_user(name) for name in REVIEWER_NAMES],
        "artists": [demo_user(name, credit=name, anonymous=name == ANONYMOUS_ARTIST) for name in ARTIST_NAMES],
    }
