"""Deterministic generator of a realistic Danish demo municipality and its workbook fillings.

``toolkit.demo.municipality`` builds the register (institutions, committees, political focus
areas), ``toolkit.demo.filling`` builds what each institution types into its workbook, and
``toolkit.demo.names`` holds all the Danish word lists and text templates.  Plain data only.
"""
