"""`cpt remind`: the daily email reminders (actions due, reviews due, terms of office
ending), read for every council at once (:mod:`.due`), made into one digest per recipient,
kind and council (:mod:`.digests`) and sent once a day each (:mod:`.run`)."""
