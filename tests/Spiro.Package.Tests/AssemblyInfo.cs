// dpkg, systemd units and unix modes: these tests only mean something on Linux.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
