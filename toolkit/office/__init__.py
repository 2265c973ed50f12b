"""LibreOffice from the product: converting documents to PDF, and the profile settings it
shares with the test harness (standard library only).
"""
