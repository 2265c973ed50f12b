"""The spec wing, at the bottom: the declared workbook (fields, sheets, lists), where each
field sits, the finding catalogue, the domain model, the cycle's dates and the words typed
by the committee. No I/O beyond reading the spec files; everything above imports from here.
"""
