"""File formats of a VBA project, independent of Excel and of module semantics.

``compression`` (MS-OVBA 2.4.1), ``records`` (the ``dir``, ``_VBA_PROJECT`` and
``PROJECTwm`` streams), ``encryption`` (MS-OVBA 2.4.3), ``project_stream`` (the
``PROJECT`` stream) and ``cfb`` (the MS-CFB compound file).
"""
