"""Making institution workbooks: the base rendered from the spec, values stamped into it,
workbook protection, the xlwings Lite add-in parts and many workbooks at once.
"""
