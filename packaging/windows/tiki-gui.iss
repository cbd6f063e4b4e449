; Inno Setup script for tiki-gui on Windows: a per-user installer (no administrator rights) of
; the one-folder bundle dist\tiki-gui\ that packaging\build.py leaves. Compiled by the release
; workflow: iscc /DAppVersion=X.Y.Z packaging\windows\tiki-gui.iss
; Paths are relative to this file's folder.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif

[Setup]
AppId={{6C1B8F0E-2D4A-4E8B-9C31-7A5D2F9E4B10}
AppName=tiki-gui
AppVersion={#AppVersion}
AppVerName=tiki-gui {#AppVersion}
AppPublisher=tiki-gui
DefaultDirName={autopf}\tiki-gui
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Windows 10 1809: the oldest Windows that Qt 6 supports
MinVersion=10.0.17763
OutputDir=..\..\dist
OutputBaseFilename=tiki-gui-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\build\icons\tiki-gui.ico
UninstallDisplayIcon={app}\tiki-gui.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\tiki-gui\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\tiki-gui"; Filename: "{app}\tiki-gui.exe"
Name: "{autodesktop}\tiki-gui"; Filename: "{app}\tiki-gui.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\tiki-gui.exe"; Description: "{cm:LaunchProgram,tiki-gui}"; Flags: nowait postinstall skipifsilent
