Attribute VB_Name = "Kontraktbog"
' Buttons of the institution's workbook (kontraktbog). Python does the work; without
' Python the sheet Tjek shows the same errors and omissions with formulas.
Option Explicit

Private Const UDEN_PYTHON As String = "Python er ikke installeret på denne computer. Brug arket Tjek, som viser fejl og mangler uden Python."

Public Sub Valider()
    On Error GoTo Fejl
    If PythonKlar(UDEN_PYTHON, "Tjek") Then RunPython "import toolkit.excel; toolkit.excel.valider()"
    Exit Sub
Fejl:
    VisFejl Err.Description
End Sub
