"""The master workbook: what Konsolider gathers, what the documents are made from."""
