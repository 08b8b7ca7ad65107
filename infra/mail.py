"""Sends plain-text e-mail through the configured SMTP server (AWARDS_SMTP_*)."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from infra.settings import Settings


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


@dataclass(frozen=True)
class MailServer:
    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None  # never logged, never shown
    starttls: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> MailServer | None:
        """The configured server, or None when AWARDS_SMTP_HOST is unset (no e-mail)."""
        if not settings.smtp_host:
            return None
        return cls(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_from,
            settings.smtp_username,
            settings.smtp_password,
            settings.smtp_starttls,
        )

    def send(self, mails: list[Mail]) -> None:
        """Sends every mail over one connection; raises smtplib.SMTPException or OSError."""
        if not mails:
            return
        with smtplib.SMTP(self.host, self.port, timeout=30) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            for mail in mails:
                message = EmailMessage()
                message["From"] = self.sender
                message["To"] = mail.to
                message["Subject"] = mail.subject
                message.set_content(mail.body)
                smtp.send_message(message)
