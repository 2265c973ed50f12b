Attribute VB_Name = "Master"
' Buttons of the master workbook (.xlsm). Each one runs a function of toolkit.excel
' through xlwings' RunPython and needs Python on this computer.
Option Explicit

Private Const UDEN_PYTHON As String = "Python er ikke installeret på denne computer. Denne knap kræver Python."

Public Sub Konsolider()
    On Error GoTo Fejl
    If PythonKlar(UDEN_PYTHON) Then RunPython "import toolkit.excel; toolkit.excel.konsolider()"
    Exit Sub
Fejl:
    VisFejl Err.Description
End Sub

Public Sub LavKontrakter()
    On Error GoTo Fejl
    If PythonKlar(UDEN_PYTHON) Then RunPython "import toolkit.excel; toolkit.excel.lav_kontrakter()"
    Exit Sub
Fejl:
    VisFejl Err.Description
End Sub

Public Sub LavUdvalgsnotater()
    On Error GoTo Fejl
    If PythonKlar(UDEN_PYTHON) Then RunPython "import toolkit.excel; toolkit.excel.lav_udvalgsnotater()"
    Exit Sub
Fejl:
    VisFejl Err.Description
End Sub

Public Sub NytKontraktaar()
    On Error GoTo Fejl
    If PythonKlar(UDEN_PYTHON) Then RunPython "import toolkit.excel; toolkit.excel.nyt_kontraktaar()"
    Exit Sub
Fejl:
    VisFejl Err.Description
End Sub

Public Sub Paamind()
    On Error GoTo Fejl
    If PythonKlar(UDEN_PYTHON) Then RunPython "import toolkit.excel; toolkit.excel.paamind()"
    Exit Sub
Fejl:
    VisFejl Err.Description
End Sub
