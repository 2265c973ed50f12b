Attribute VB_Name = "xlwings"
' Test double for xlwings' VBA module, used by tests/test_vba.py in LibreOffice.
' RunPython writes its command into Tjek!A1 instead of starting Python; GetConfig,
' FileExists and WScript stand in for the xlwings helpers PythonTjek relies on.
Option Explicit

Public Sub RunPython(PythonCommand As String)
    ThisWorkbook.Worksheets("Tjek").Range("A1").Value = PythonCommand
End Sub

Public Function GetConfig(configKey As String, Optional default As String = "", Optional source As String = "") As Variant
    GetConfig = default
End Function

Public Function FileExists(ByVal FileSpec As String) As Boolean
    FileExists = False
End Function

Public Function WScript(Optional CreateNew As Boolean) As Object
    Set WScript = New FakeShell
End Function
