"""Signing a file with a manifest and reading a file's Content Credentials, through the C2PA library.

Reading never reaches the network: remote manifests and certificate status (OCSP) are not fetched, so a file sent
to /verify/ cannot make the portal call an address of the sender's choosing. The portal's own CA is the one trust
anchor: the library calls a file signed under it "Trusted", a well-signed file from anyone else "Valid".
"""

import json
from dataclasses import asdict, dataclass, field

import c2pa

from submissions.credentials.keys import SigningMaterial

ABSENT, INVALID, VALID, TRUSTED, UNREADABLE = "absent", "invalid", "valid", "trusted", "unreadable"
TRAINING_LABEL = "cawg.training-mining"
CREATIVE_WORK_LABEL = "stds.schema-org.CreativeWork"
# Not a defect of the file: the library lists an unknown signer among the failures of a file it still calls Valid.
UNTRUSTED_SIGNER = "signingCredential.untrusted"
SIGNABLE_TYPES = {"video/mp4", "video/quicktime"}


@dataclass(frozen=True)
class Credentials:
    """What a file's Content Credentials say, and whether they hold."""

    state: str
    reasons: tuple[str, ...] = ()  # the library's words for each failure
    title: str = ""
    artist: str = ""
    program: str = ""
    page_url: str = ""
    software_agent: str = ""
    digital_source_type: str = ""
    training: dict[str, str] = field(default_factory=dict)  # "ai_training" -> "allowed" / "notAllowed" / ...
    signer: str = ""
    issuer: str = ""
    generator: str = ""
    ingredients: tuple[str, ...] = ()

    @property
    def present(self) -> bool:
        return self.state not in (ABSENT, UNREADABLE)

    def as_dict(self) -> dict:
        return {**asdict(self), "reasons": list(self.reasons), "ingredients": list(self.ingredients)}


def sign_file(
    *, source: str, target: str, content_type: str, manifest: dict, material: SigningMaterial, ingredient: bool
) -> None:
    """Write `source` with `manifest` signed into `target`. With `ingredient`, the manifest the source already
    carries (the provider's) is kept inside the new one as an ingredient instead of being replaced."""
    info = c2pa.C2paSignerInfo(
        alg=b"es256",
        sign_cert=material.certificate_chain_pem,
        private_key=material.private_key_pem,
        ta_url=None,  # no timestamp authority offline
    )
    with (
        c2pa.Signer.from_info(info) as signer,
        c2pa.Builder(manifest) as builder,
        open(source, "rb") as src,
        open(target, "w+b") as dst,
    ):
        if ingredient:
            ingredient_info = {"title": "File as received from the generation service", "relationship": "componentOf"}
            builder.add_ingredient_from_stream(ingredient_info, content_type, src)
            src.seek(0)
        builder.sign(signer, content_type, src, dst)


def read_file(path: str, *, trust_anchor_pem: bytes, content_type: str | None = None) -> Credentials:
    """The credentials of the file at `path` (any size: the library streams it). Never raises for bad input."""
    try:
        with open(path, "rb") as stream, c2pa.Reader(content_type, stream, context=_context(trust_anchor_pem)) as r:
            return _credentials(json.loads(r.json()), r.get_validation_state(), r.get_validation_results() or {})
    except c2pa.C2paError.ManifestNotFound:
        return Credentials(state=ABSENT)
    except c2pa.C2paError.NotSupported as exc:
        return Credentials(state=UNREADABLE, reasons=(str(exc),))
    except c2pa.C2paError as exc:
        # A manifest store is there but cannot be parsed or checked (cut, overwritten, malformed).
        return Credentials(state=INVALID, reasons=(str(exc),))


def _context(trust_anchor_pem: bytes) -> c2pa.Context:
    settings: dict = {
        "verify": {"verify_trust": bool(trust_anchor_pem), "remote_manifest_fetch": False, "ocsp_fetch": False}
    }
    if trust_anchor_pem:
        settings["trust"] = {"trust_anchors": trust_anchor_pem.decode()}
    return c2pa.Context(c2pa.Settings.from_dict(settings))


def _credentials(store: dict, state: str | None, results: dict) -> Credentials:
    manifest = store.get("manifests", {}).get(store.get("active_manifest") or "", {})
    failures = [
        entry
        for entry in (results.get("activeManifest") or {}).get("failure", [])
        if entry.get("code") != UNTRUSTED_SIGNER
    ]
    verdict = {"Trusted": TRUSTED, "Valid": VALID}.get(state or "", INVALID)
    if failures:
        verdict = INVALID
    assertions = {item.get("label", ""): item.get("data", {}) for item in manifest.get("assertions", [])}
    work = assertions.get(CREATIVE_WORK_LABEL, {})
    created = _created_action(assertions)
    signature = manifest.get("signature_info", {})
    return Credentials(
        state=verdict,
        reasons=tuple(f"{entry.get('code')}: {entry.get('explanation', '')}" for entry in failures),
        title=str(work.get("name") or manifest.get("title") or ""),
        artist=", ".join(str(author.get("name", "")) for author in work.get("author", []) if isinstance(author, dict)),
        program=str((work.get("isPartOf") or {}).get("name", "")),
        page_url=str(work.get("url", "")),
        software_agent=_agent_name(created.get("softwareAgent")),
        digital_source_type=str(created.get("digitalSourceType", "")),
        training={
            key.removeprefix("cawg."): str(entry.get("use", ""))
            for key, entry in (assertions.get(TRAINING_LABEL, {}).get("entries") or {}).items()
        },
        signer=str(signature.get("common_name", "")),
        issuer=str(signature.get("issuer", "")),
        generator=", ".join(str(info.get("name", "")) for info in manifest.get("claim_generator_info", [])),
        ingredients=tuple(str(item.get("title", "")) for item in manifest.get("ingredients", [])),
    )


def _created_action(assertions: dict) -> dict:
    for label in ("c2pa.actions.v2", "c2pa.actions"):
        for action in assertions.get(label, {}).get("actions", []):
            if action.get("action") == "c2pa.created":
                return action
    return {}


def _agent_name(agent) -> str:
    if isinstance(agent, dict):
        return " ".join(str(agent.get(part, "")) for part in ("name", "version")).strip()
    return str(agent or "")
