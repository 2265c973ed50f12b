"""The rules: Python validation of a read workbook, the Tjek sheet's formula checks, the
indicator library, goal attainment and the årshjul's deadlines.
"""
