; Windows installer for the PyInstaller folder dist\talentdesk (built by installer/build.py).
; Per-user install: no administrator rights needed at a service window, nothing in Program Files.
; makensis /DVERSION=0.1.0 /DSOURCE=..\dist\talentdesk /DOUTFILE=..\dist\talentdesk-0.1.0-setup.exe talentdesk.nsi

Unicode true
!include "MUI2.nsh"

!ifndef VERSION
  !define VERSION "0.0.0"
!endif
!ifndef SOURCE
  !define SOURCE "..\dist\talentdesk"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\dist\talentdesk-${VERSION}-setup.exe"
!endif

!define APPNAME "talentdesk"
!define DISPLAYNAME "talentdesk 人才服务工作台"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\talentdesk"

Name "${DISPLAYNAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\talentdesk"
InstallDirRegKey HKCU "Software\talentdesk" "InstallDir"
RequestExecutionLevel user
SetCompressor /SOLID lzma

VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "talentdesk"
VIAddVersionKey "FileDescription" "talentdesk installer"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "Apache-2.0"

!define MUI_ABORTWARNING
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\talentdesk.exe"
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

Section "talentdesk" SecMain
  SectionIn RO
  ; A new version replaces the program files; the user's database and settings live in
  ; %LOCALAPPDATA%\talentdesk and are never touched by the installer or the uninstaller.
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r "${SOURCE}\*.*"

  CreateDirectory "$SMPROGRAMS\talentdesk"
  CreateShortcut "$SMPROGRAMS\talentdesk\talentdesk.lnk" "$INSTDIR\talentdesk.exe"
  CreateShortcut "$SMPROGRAMS\talentdesk\talentdesk (demo).lnk" "$INSTDIR\talentdesk.exe" "--demo"
  CreateShortcut "$DESKTOP\talentdesk.lnk" "$INSTDIR\talentdesk.exe"

  WriteRegStr HKCU "Software\talentdesk" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${DISPLAYNAME}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "talentdesk"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\talentdesk.exe"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
  WriteUninstaller "$INSTDIR\uninstall.exe"
SectionEnd

Section "Uninstall"
  Delete "$DESKTOP\talentdesk.lnk"
  RMDir /r "$SMPROGRAMS\talentdesk"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\talentdesk.exe"
  Delete "$INSTDIR\talentdesk-cli.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTKEY}"
  DeleteRegKey HKCU "Software\talentdesk"
SectionEnd
