// The browser tests run real child processes and the distribution's Chromium: Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
