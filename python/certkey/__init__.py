"""Offline audit of certkey responses: the certificate bundles a block-level server migration's
agent downloads (``GET /v3/tasks/{task_id}/certkey``) before it opens a mutual-TLS connection.

>>> import certkey
>>> report = certkey.audit(b'{"error_code": "SMS.9004", "error_msg": "denied"}')
>>> report.ok
False
>>> report.findings[0].id
'response.api_error'

:func:`audit` runs the Rust library's checks (the same as ``certkey-audit``) with the GIL
released, and returns a :class:`Report`. Bad input is never an exception: it is a finding.
Bad arguments raise :class:`TypeError` (a value of the wrong type) or :class:`ValueError` (an
unknown id, profile or stack, a time or duration that does not parse, a naive datetime).

Secrets: the report never holds key material. A ``passphrase`` is copied into a buffer that is
wiped once the audit is done; the ``bytes`` object the caller passed stays in Python's memory
until it is collected, and Python cannot wipe it. Pass a ``bytearray`` and clear it afterwards
(``passphrase[:] = bytes(len(passphrase))``) to keep the passphrase's lifetime short. The
response itself holds private keys: a ``bytes`` response is audited in place; a ``bytearray`` is
copied into a buffer wiped after the audit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Tuple, Union
import datetime

from . import _certkey

__all__ = ["audit", "Report", "Finding", "Check", "CATALOG", "OPTIONS", "__version__"]

__version__: str = _certkey.__version__

#: Every option :func:`audit` takes, by name (the C ABI's ``policy_json`` takes the same).
OPTIONS: Tuple[str, ...] = tuple(name for name in _certkey.OPTIONS if name != "handshake")


@dataclass(frozen=True)
class Finding:
    """One problem (or notable fact) found in a response. Never holds key material."""

    #: The stable id from the catalog, e.g. ``key.mismatch``.
    id: str
    #: ``error``, ``warning`` or ``info``.
    severity: str
    #: The member it is about (``cert``, ``private_key``, ...), or ``None`` for the response.
    field: Optional[str]
    #: What was found, in words.
    message: str
    #: What to do about it, when there is more to say than the catalog's fix.
    hint: Optional[str] = None
    #: The TLS stacks that refuse what it reports, by id (``openssl-3.0``, ``openssl-3.5``,
    #: ``openssl-4.0``, ``python-3.13-openssl-3.0`` and ``-3.5`` and ``-4.0``, ``go-1.23``,
    #: ``go-1.24``, ``rustls-ring``, ``rustls-aws-lc-rs``, ``pyca-48``, ``pyca-51``).
    refused_by: Tuple[str, ...] = ()
    #: Whether the policy allows it (``allow=``): reported, and never failing.
    allowed: bool = False

    @classmethod
    def _from(cls, member: Dict[str, Any]) -> "Finding":
        return cls(
            id=member["id"],
            severity=member["severity"],
            field=member["field"],
            message=member["message"],
            hint=member.get("hint"),
            refused_by=tuple(member.get("refused_by", ())),
            allowed=member.get("allowed", False),
        )


class Report:
    """The result of auditing one certkey response.

    ``ok`` is the verdict under the policy; the rest is read from the report's JSON, the
    record ``certkey-audit --format json`` writes (without its ``source``), on first use.
    """

    __slots__ = ("ok", "_json", "_data", "_findings")

    def __init__(self, ok: bool, report_json: str) -> None:
        #: The verdict: no error (and, with ``strict=True``, no warning) that is not allowed.
        self.ok: bool = ok
        self._json = report_json
        self._data: Optional[Dict[str, Any]] = None
        self._findings: Optional[List[Finding]] = None

    def to_json(self) -> str:
        """The report as JSON, exactly as the Rust library serializes it."""
        return self._json

    def to_dict(self) -> Dict[str, Any]:
        """The report as a dict (a new one each call)."""
        return json.loads(self._json)

    def _get(self, name: str) -> Any:
        if self._data is None:
            self._data = json.loads(self._json)
        return self._data.get(name)

    @property
    def findings(self) -> List[Finding]:
        """Every finding, response-level first, then member by member."""
        if self._findings is None:
            self._findings = [Finding._from(f) for f in self._get("findings")]
        return list(self._findings)

    @property
    def errors(self) -> List[Finding]:
        """The findings of severity ``error``."""
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> List[Finding]:
        """The findings of severity ``warning``."""
        return [f for f in self.findings if f.severity == "warning"]

    def has(self, check_id: str) -> bool:
        """Whether some finding has the id ``check_id``."""
        return any(f.id == check_id for f in self.findings)

    @property
    def certificates(self) -> List[Dict[str, Any]]:
        """A summary of every certificate that parsed, in member order (subject, issuer,
        serial, validity, days left, key, fingerprints, names, purposes)."""
        return self._get("certificates")

    @property
    def keys(self) -> List[Dict[str, Any]]:
        """A summary of every private key that parsed (encoding, algorithm, consistency, the
        match with its certificate), never the key."""
        return self._get("keys")

    @property
    def identities(self) -> List[Dict[str, Any]]:
        """Each identity's predicted verdict from every TLS stack; empty when the input was no
        bundle."""
        return self._get("identities") or []

    @property
    def api_error(self) -> Optional[Dict[str, Any]]:
        """The API's error body (``error_code``, ``error_msg``, ...) when the response is one."""
        return self._get("api_error")

    @property
    def strict(self) -> bool:
        """Whether warnings fail the report."""
        return self._get("strict")

    @property
    def audited_at(self) -> str:
        """The audit time, RFC 3339, UTC."""
        return self._get("audited_at")

    @property
    def ca_source(self) -> Optional[str]:
        """Where the audited CA came from: ``response``, ``supplied`` (``ca_pem=``) or
        ``None``."""
        return self._get("ca_source")

    @property
    def certkey_version(self) -> str:
        """The version of certkey that made the report."""
        return self._get("certkey_version")

    def __repr__(self) -> str:
        counts = {}
        for finding in self.findings:
            counts[finding.severity] = counts.get(finding.severity, 0) + 1
        shown = ", ".join(f"{n} {severity}" for severity, n in sorted(counts.items()))
        return f"<certkey.Report ok={self.ok} ({shown or 'no finding'})>"


@dataclass(frozen=True)
class Check:
    """One entry of the catalog of checks."""

    id: str
    severity: str
    legacy_severity: str
    refused_by: Tuple[str, ...]
    severity_from_stacks: bool
    summary: str
    explanation: str
    source: str
    fix: str


#: Every check certkey runs, in catalog order.
CATALOG: Tuple[Check, ...] = tuple(
    Check(**{**entry, "refused_by": tuple(entry["refused_by"])})
    for entry in json.loads(_certkey.catalog_json())
)


def audit(
    data: Union[bytes, bytearray],
    *,
    at: Union[datetime.datetime, str, int, None] = None,
    profile: str = "strict",
    deep: bool = False,
    strict: bool = False,
    warn_within: Union[datetime.timedelta, str, int, None] = None,
    allow: Union[str, Iterable[str], None] = None,
    stacks: Union[str, Iterable[str], None] = None,
    ca_pem: Optional[str] = None,
    passphrase: Union[bytes, bytearray, None] = None,
    max_input_len: Optional[int] = None,
    max_pbkdf2_iterations: Optional[int] = None,
    max_scrypt_bytes: Optional[int] = None,
) -> Report:
    """Audits one certkey response (the body as downloaded, as ``bytes``).

    :param at: the audit time: an aware ``datetime``, a date (``"2026-06-01"``) or RFC 3339
        string, or Unix seconds; ``None`` is now.
    :param profile: ``"strict"`` (the default) or ``"legacy"`` (accepts weak-but-valid
        certificates some stacks still take).
    :param deep: also check the primality of RSA factors and prove possession of each key.
    :param strict: warnings fail the report too.
    :param warn_within: the expiry warning window: a ``timedelta``, ``"30d"``, ``"12h"``, or
        seconds; ``None`` is 30 days.
    :param allow: finding ids that never fail the report (still reported, marked allowed).
    :param stacks: the TLS stacks whose refusals count, by id or family
        (``"go-1.23,rustls"``: ``rustls`` is both its providers); ``None`` is every stack
        but pyca's (``pyca-48`` and ``pyca-51``, which are opt-in).
    :param ca_pem: the CA certificate (PEM) for a response without ``ca``.
    :param passphrase: the task's passphrase for encrypted keys.
    :param max_input_len: the size cap on the response, in bytes (16 MiB by default).
    :param max_pbkdf2_iterations: the most PBKDF2 iterations the response's encrypted keys
        may ask for, all together (1,000,000 by default).
    :param max_scrypt_bytes: the most scrypt work the response's encrypted keys may ask for,
        all together, in bytes (128 MiB by default).

    These are the options of every front end, by the same names; ``docs/OPTIONS.md`` lists
    each with what it takes and its default. ``None`` is the default.
    """
    ok, report_json = _certkey.audit(
        data,
        at=at,
        profile=profile,
        deep=deep,
        strict=strict,
        warn_within=warn_within,
        allow=allow,
        stacks=stacks,
        ca_pem=ca_pem,
        passphrase=passphrase,
        max_input_len=max_input_len,
        max_pbkdf2_iterations=max_pbkdf2_iterations,
        max_scrypt_bytes=max_scrypt_bytes,
    )
    return Report(ok, report_json)
