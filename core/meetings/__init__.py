"""Panel meetings: agendas, attendance, minutes and actions arising."""
