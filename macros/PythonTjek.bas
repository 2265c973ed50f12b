Attribute VB_Name = "PythonTjek"
' Shared fallback for buttons that run Python through xlwings' RunPython.
'
' RunPython shows its own error box when no interpreter can be started. PythonKlar
' checks beforehand, the way RunPython would start Python: it reads the same xlwings
' settings (INTERPRETER_WIN / INTERPRETER, CONDA PATH / CONDA ENV) with xlwings'
' GetConfig and asks that interpreter, hidden, to "import xlwings" (through xlwings'
' WScript helper, i.e. WScript.Shell.Run). Without Python the user gets a short Danish
' message instead. A positive answer is kept for the session. Needs the modules of
' xlwings' standalone VBA (xlwings.bas: GetConfig, FileExists, WScript, RunPython).
Option Explicit

Private mPythonFundet As Boolean

' True when Python with xlwings can run. Otherwise shows besked, activates the sheet
' arkNavn (when given) and returns False.
Public Function PythonKlar(ByVal besked As String, Optional ByVal arkNavn As String = "") As Boolean
    If Not mPythonFundet Then mPythonFundet = PythonFindes()
    PythonKlar = mPythonFundet
    If PythonKlar Then Exit Function
    MsgBox besked, vbInformation, "Kontraktstyring"
    If arkNavn <> "" Then VisArk arkNavn
End Function

' Starts the interpreter RunPython would use and returns True if it imports xlwings.
' Never raises: any error (no WScript.Shell, no such file) means "no Python".
Public Function PythonFindes() As Boolean
    On Error GoTo IngenPython
    Dim tolk As String, kommando As String, condaSti As String, condaMiljoe As String
    If Left$(Application.OperatingSystem, 3) = "Mac" Then
        ' No WScript.Shell on the Mac: accept the default or an existing configured file.
        tolk = GetConfig("INTERPRETER_MAC", "")
        If tolk = "" Then tolk = GetConfig("INTERPRETER", "python")
        PythonFindes = (tolk = "python") Or FileExists(tolk)
        Exit Function
    End If
    tolk = GetConfig("INTERPRETER_WIN", "")
    If tolk = "" Then tolk = GetConfig("INTERPRETER", "python")
    If tolk = "python" Or tolk = "pythonw" Then
        kommando = "python"
    ElseIf FileExists(tolk) Then
        kommando = Chr(34) & tolk & Chr(34)
    Else
        Exit Function
    End If
    kommando = kommando & " -B -c " & Chr(34) & "import xlwings" & Chr(34)
    condaSti = GetConfig("CONDA PATH")
    condaMiljoe = GetConfig("CONDA ENV")
    If condaSti <> "" And condaMiljoe <> "" Then
        kommando = "cmd.exe /C " & Replace(condaSti, " ", "^ ") & "\condabin\conda activate " _
                   & condaMiljoe & " && " & kommando
    End If
    PythonFindes = (WScript.Run(kommando, 0, True) = 0)
    Exit Function
IngenPython:
    PythonFindes = False
End Function

' Activates the sheet named arkNavn; does nothing if it does not exist.
Public Sub VisArk(ByVal arkNavn As String)
    On Error Resume Next
    ThisWorkbook.Worksheets(arkNavn).Activate
End Sub

' Shows an unexpected error as a short Danish message instead of VBA's error dialog.
Public Sub VisFejl(ByVal beskrivelse As String)
    MsgBox "Der opstod en uventet fejl: " & beskrivelse, vbExclamation, "Kontraktstyring"
End Sub
