"""Delivering reminder e-mails: as standard .eml files in an outbox folder, or through SMTP when configured.

SMTP is used when a host is configured: environment variables CFI_SMTP_HOST, CFI_SMTP_PORT, CFI_SMTP_USER,
CFI_SMTP_PASSWORD, CFI_SMTP_FROM (and CFI_SMTP_SSL=1 for implicit TLS), or the same keys (host, port, user,
password, from, ssl) in the [smtp] table of .streamlit/secrets.toml; environment variables win. Otherwise each
message is written to the outbox (CFI_OUTBOX_DIR; default data/outbox/ for the default warehouse, else
`<warehouse folder>/<warehouse name>-outbox/`) under a temporary name and renamed into place, so a mail
program or a test only ever sees whole messages. Pure Python (no Streamlit).
"""

from __future__ import annotations

import os
import re
import smtplib
import ssl
import tomllib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from app.reminders import Reminder
from warehouse import settings

DEFAULT_OUTBOX = settings.DATA_DIR / "outbox"
DEFAULT_SENDER = "collections@localhost"
SECRETS = (Path.home() / ".streamlit" / "secrets.toml", settings.PROJECT_ROOT / ".streamlit" / "secrets.toml")
TIMEOUT_SECONDS = 20


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    ssl: bool = False


@dataclass
class Delivery:
    """What happened to each message: delivered (where to: a file or the SMTP server) or failed (why)."""

    delivered: list[tuple[Reminder, str]] = field(default_factory=list)
    failed: list[tuple[Reminder, str]] = field(default_factory=list)

    @property
    def delivered_bills(self) -> list[str]:
        return [bill for reminder, _ in self.delivered for bill in reminder.bill_ids]


def outbox_for(db_path: Path | str) -> Path:
    configured = os.environ.get("CFI_OUTBOX_DIR")
    if configured:
        return Path(configured)
    db_path = Path(db_path)
    if db_path.resolve() == settings.DEFAULT_DB_PATH.resolve():
        return DEFAULT_OUTBOX
    return db_path.with_name(f"{db_path.stem}-outbox")


def _configured(environ: Mapping[str, str], secrets: Sequence[Path]) -> dict[str, object]:
    values: dict[str, object] = {}
    for path in secrets:
        try:
            values |= tomllib.loads(path.read_text(encoding="utf-8")).get("smtp", {})
        except (OSError, tomllib.TOMLDecodeError):
            continue
    for key in ("host", "port", "user", "password", "from", "ssl"):
        if environ.get(f"CFI_SMTP_{key.upper()}"):
            values[key] = environ[f"CFI_SMTP_{key.upper()}"]
    return values


def smtp_settings(environ: Mapping[str, str] = os.environ, secrets: Sequence[Path] = SECRETS) -> SmtpSettings | None:
    """The SMTP server to send through, or None: write to the outbox instead."""
    values = _configured(environ, secrets)
    if not values.get("host"):
        return None
    use_ssl = str(values.get("ssl", "")).lower() in ("1", "true", "yes")
    return SmtpSettings(str(values["host"]), int(values.get("port") or (465 if use_ssl else 25)),
                        str(values["user"]) if values.get("user") else None,
                        str(values["password"]) if values.get("password") else None, use_ssl)


def sender(environ: Mapping[str, str] = os.environ, secrets: Sequence[Path] = SECRETS) -> str:
    return str(_configured(environ, secrets).get("from") or DEFAULT_SENDER)


def message(reminder: Reminder, from_address: str) -> EmailMessage:
    """A standard MIME message: plain text with the HTML as alternative."""
    mail = EmailMessage()
    mail["From"] = from_address
    mail["To"] = reminder.to
    mail["Subject"] = reminder.subject
    mail["Date"] = format_datetime(datetime.now(timezone.utc))
    mail["Message-ID"] = make_msgid(domain=from_address.rpartition("@")[2] or "localhost")
    mail.set_content(reminder.text)
    mail.add_alternative(reminder.html, subtype="html")
    return mail


def deliver(reminders: Sequence[Reminder], *, outbox: Path, smtp: SmtpSettings | None,
            from_address: str) -> Delivery:
    """Send (SMTP) or write (outbox) every reminder; one failing does not stop the others."""
    delivery = Delivery()
    if not reminders:
        return delivery
    if smtp is None:
        for reminder in reminders:
            try:
                path = write_eml(message(reminder, from_address), reminder.customer_id, outbox)
            except (OSError, ValueError) as error:
                delivery.failed.append((reminder, f"could not write to the outbox {outbox}: {_reason(error)}"))
            else:
                delivery.delivered.append((reminder, str(path)))
        return delivery
    try:
        server = _connect(smtp)
    except (OSError, smtplib.SMTPException) as error:
        reason = f"could not reach the mail server {smtp.host}:{smtp.port}: {_reason(error)}"
        delivery.failed.extend((reminder, reason) for reminder in reminders)
        return delivery
    try:
        for reminder in reminders:
            try:
                server.send_message(message(reminder, from_address))
            except (OSError, smtplib.SMTPException, ValueError) as error:
                delivery.failed.append((reminder, f"the mail server refused it: {_reason(error)}"))
            else:
                delivery.delivered.append((reminder, f"{smtp.host}:{smtp.port}"))
    finally:
        try:
            server.quit()
        except (OSError, smtplib.SMTPException):
            pass
    return delivery


def _connect(smtp: SmtpSettings) -> smtplib.SMTP:
    if smtp.ssl:
        server: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=TIMEOUT_SECONDS,
                                                context=ssl.create_default_context())
    else:
        server = smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT_SECONDS)
        server.ehlo()
        if server.has_extn("starttls"):
            server.starttls(context=ssl.create_default_context())
            server.ehlo()
    if smtp.user:
        server.login(smtp.user, smtp.password or "")
    return server


def write_eml(mail: EmailMessage, customer_id: str, outbox: Path) -> Path:
    """Write one message as an .eml file, atomically."""
    outbox.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", customer_id)[:40]
    name = f"{datetime.now(timezone.utc):%Y%m%dT%H%M%S%f}-{safe}-{uuid.uuid4().hex[:8]}.eml"
    final, temporary = outbox / name, outbox / f".{name}.tmp"
    try:
        with open(temporary, "wb") as handle:
            handle.write(mail.as_bytes())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, final)
    finally:
        _discard(temporary)
    return final


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _discard(path: Path) -> None:
    """Remove a temporary file if it is there; never raises (it runs while another error may be on its way)."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass
