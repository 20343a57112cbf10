"""An email message as the toolkit composes it, and its MIME form."""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid, parseaddr


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message (an agenda pack, approved minutes)."""

    filename: str
    content: bytes
    mimetype: str = "application/pdf"


@dataclass(frozen=True)
class Message:
    """One message to one recipient: the toolkit never puts several people's addresses in
    one message, so nobody learns another's address and each delivery is logged apart."""

    to: str
    subject: str
    text: str
    html: str | None = None
    attachments: tuple[Attachment, ...] = field(default=())
    #: The name the message comes from (a council's), shown with the deployment's sender
    #: address instead of the sender's own name.
    from_name: str | None = None

    def mime(self, sender: str, reply_to: str | None = None) -> EmailMessage:
        """The message as MIME, from ``sender`` (under :attr:`from_name` when set): plain
        text, with an HTML alternative when there is one, and the attachments."""
        email = EmailMessage()
        email["From"] = (formataddr((self.from_name, parseaddr(sender)[1]))
                         if self.from_name else sender)
        email["To"] = self.to
        email["Subject"] = self.subject
        email["Date"] = formatdate(localtime=False, usegmt=True)
        domain = sender.rpartition("@")[2].rstrip(">").strip() or None
        email["Message-ID"] = make_msgid(domain=domain)
        if reply_to:
            email["Reply-To"] = reply_to
        email.set_content(self.text)
        if self.html is not None:
            email.add_alternative(self.html, subtype="html")
        for attachment in self.attachments:
            maintype, _, subtype = attachment.mimetype.partition("/")
            email.add_attachment(attachment.content, maintype=maintype, subtype=subtype,
                                 filename=attachment.filename)
        return email
