"""Attendance beyond the register of members: officers and guests recorded as in attendance,
and attendance statistics per member and per seat for a municipal year."""
