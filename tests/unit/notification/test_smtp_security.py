"""SMTP login and STARTTLS against real (aiosmtpd) servers that demand them."""

from __future__ import annotations

import shutil
import ssl
import subprocess

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from services.notification.adapters.devsmtp import MailFolder
from services.notification.adapters.mailer import DeliveryFailed, SmtpMailer
from tests.unit.notification.feeding import registered
from tests.unit.notification.mailbox import messages
from tests.unit.notification.test_sender import records


class Accounts:
    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = (auth_data.login, auth_data.password) == (b"antt", b"mat-khau")
        return AuthResult(success=ok, handled=False)


def test_the_mailer_logs_in_when_a_user_is_configured(feed, rt, mail_dir, smtp_port):
    controller = Controller(
        MailFolder(mail_dir),
        hostname="127.0.0.1",
        port=smtp_port,
        authenticator=Accounts(),
        auth_require_tls=False,
    )
    controller.start()
    try:
        feed.unit()
        feed.emit("registration", "case-loc-tho-2026", registered())
        [row] = records(rt).values()
        wrong = SmtpMailer(rt.deps.mail.but(smtp_user="antt", smtp_password="sai"))
        right = SmtpMailer(rt.deps.mail.but(smtp_user="antt", smtp_password="mat-khau"))
        try:
            wrong.send(row, rt.clock.now())
            raise AssertionError("a wrong password must be refused")
        except Exception as err:
            assert "535" in str(err)
        right.send(row, rt.clock.now())
    finally:
        controller.stop()
    assert len(messages(mail_dir)) == 1


@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for 127.0.0.1, made with the openssl command."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_with_starttls_the_mailer_upgrades_verifies_the_certificate_and_logs_in(
    feed, rt, mail_dir, smtp_port, certificate
):
    cert, key = certificate
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)
    controller = Controller(
        MailFolder(mail_dir),
        hostname="127.0.0.1",
        port=smtp_port,
        tls_context=tls,
        require_starttls=True,
        authenticator=Accounts(),
        auth_required=True,
    )
    controller.start()
    try:
        feed.unit()
        feed.emit("registration", "case-loc-tho-2026", registered())
        [row] = records(rt).values()
        mail = rt.deps.mail.but(smtp_user="antt", smtp_password="mat-khau")
        with pytest.raises(DeliveryFailed):  # without STARTTLS the server refuses to go on
            SmtpMailer(mail).send(row, rt.clock.now())
        with pytest.raises(DeliveryFailed, match="CERTIFICATE_VERIFY_FAILED"):
            SmtpMailer(mail.but(smtp_starttls=True)).send(row, rt.clock.now())
        SmtpMailer(mail.but(smtp_starttls=True, smtp_cafile=str(cert))).send(row, rt.clock.now())
    finally:
        controller.stop()
    assert len(messages(mail_dir)) == 1
