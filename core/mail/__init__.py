"""Email: messages, the transports that deliver them (SMTP, GOV.UK Notify, an outbox folder),
and the log of every message sent (:mod:`core.mail.service`)."""
