"""LibreOffice over UNO for the tests (see ``session.py``; ``worker.py`` runs the jobs)."""
