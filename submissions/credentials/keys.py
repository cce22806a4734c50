"""Who signs the portal's Content Credentials, and the certificate verifiers trust.

Production names three files in the environment (C2PA_SIGNER_KEY, C2PA_SIGNER_CERTS, C2PA_TRUST_ANCHOR): the
signer's private key (PKCS#8 PEM), its certificate chain (the signer's certificate first, then its issuers) and the
CA certificate the portal publishes as its trust anchor. A hardware or cloud signer can later stand behind the same
`SigningMaterial`. Without them, the embedded default makes a local demo CA and a demo signer in the media folder
the first time one is needed; their names say "demo" so that no verifier mistakes them for a real publisher.
"""

import datetime as dt
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings

DEMO_ORGANISATION = "Glasshouse demo (not a trusted publisher)"
DEMO_CA_NAME = "Glasshouse demo content credentials CA"
DEMO_SIGNER_NAME = "Glasshouse demo signer"
DEMO_FILES = {"key": "demo-signer-key.pem", "certs": "demo-signer-chain.pem", "anchor": "demo-ca.pem"}
_creating = threading.Lock()


class SignerNotConfigured(Exception):
    """The signer's files named in the environment cannot be read."""


@dataclass(frozen=True)
class SigningMaterial:
    private_key_pem: bytes
    certificate_chain_pem: bytes
    trust_anchor_pem: bytes
    is_demo: bool

    @property
    def signer_certificate(self) -> x509.Certificate:
        return x509.load_pem_x509_certificates(self.certificate_chain_pem)[0]


def signing_material() -> SigningMaterial:
    """The production signer when the environment names one, else the demo signer (made on first use)."""
    paths = configured_paths()
    if paths is None:
        paths = ensure_demo_signer()
        return SigningMaterial(*(_read(paths[part]) for part in ("key", "certs", "anchor")), is_demo=True)
    return SigningMaterial(*(_read(paths[part]) for part in ("key", "certs", "anchor")), is_demo=False)


def trust_anchor_pem(*, create: bool = True) -> bytes:
    """The CA certificate verifiers should trust for files this portal signed. With `create=False` (reading a
    file), no demo signer is made just to read: before the first signing there is nothing it could have signed."""
    paths = configured_paths()
    if paths is None:
        paths = ensure_demo_signer() if create else {"anchor": demo_folder() / DEMO_FILES["anchor"]}
        if not paths["anchor"].is_file():
            return b""
    return _read(paths["anchor"])


def trust_anchor_fingerprint() -> str:
    """The SHA-256 fingerprint of the trust anchor (AB:CD:...), for verifiers to compare; "" before it exists."""
    pem = trust_anchor_pem(create=False)
    if not pem:
        return ""
    digest = x509.load_pem_x509_certificate(pem).fingerprint(hashes.SHA256())
    return ":".join(f"{byte:02X}" for byte in digest)


def configured_paths() -> dict[str, Path] | None:
    key, certs, anchor = settings.C2PA_SIGNER_KEY, settings.C2PA_SIGNER_CERTS, settings.C2PA_TRUST_ANCHOR
    if not key:
        return None
    return {"key": Path(key), "certs": Path(certs), "anchor": Path(anchor)}


def demo_folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "c2pa-demo-signer"


def ensure_demo_signer() -> dict[str, Path]:
    """Make the demo CA and signer once (under the media folder, never in the repository) and return their files."""
    folder = demo_folder()
    paths = {part: folder / name for part, name in DEMO_FILES.items()}
    if all(path.is_file() for path in paths.values()):
        return paths
    with _creating:
        if not all(path.is_file() for path in paths.values()):
            _write_demo_signer(folder, paths)
    return paths


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SignerNotConfigured(f"Cannot read the content credentials file {path}: {exc.strerror}") from exc


def _write_demo_signer(folder: Path, paths: dict[str, Path]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate(_name(DEMO_CA_NAME), _name(DEMO_CA_NAME), ca_key.public_key(), ca_key, now, years=20, ca=True)
    signer_key = ec.generate_private_key(ec.SECP256R1())
    signer = _certificate(_name(DEMO_SIGNER_NAME), ca.subject, signer_key.public_key(), ca_key, now, years=5, ca=False)
    pem = serialization.Encoding.PEM
    key_pem = signer_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    _write_private(paths["key"], key_pem)
    paths["certs"].write_bytes(signer.public_bytes(pem) + ca.public_bytes(pem))
    paths["anchor"].write_bytes(ca.public_bytes(pem))


def _write_private(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEMO_ORGANISATION),
        ]
    )


def _certificate(subject, issuer, public_key, issuer_key, now, *, years: int, ca: bool) -> x509.Certificate:
    """C2PA's profile: a CA that signs certificates only; a leaf that signs, with the email-protection EKU."""
    usage = dict.fromkeys(_KEY_USAGES, False)
    usage.update({"key_cert_sign": True, "crl_sign": True} if ca else {"digital_signature": True})
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .add_extension(x509.KeyUsage(**usage), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    if not ca:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        ).add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


_KEY_USAGES = (
    "digital_signature", "content_commitment", "key_encipherment", "data_encipherment", "key_agreement",
    "key_cert_sign", "crl_sign", "encipher_only", "decipher_only",
)  # fmt: skip
