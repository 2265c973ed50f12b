"""Reading files into plain data: the .xlsx low layer, an institution's workbook, the
register and focus areas, and numbers as Danish people type them.
"""
